"""The OpenAPI schema: every operation documents its problem-details answers."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema

from api.problems import ERROR_STATUSES, PROBLEM_CONTENT_TYPE, WRITE_ERROR_STATUSES, ProblemSerializer


class ApiSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        statuses = list(ERROR_STATUSES)
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            statuses += list(WRITE_ERROR_STATUSES)
        for code in statuses:
            responses.setdefault(str(code), self._get_response_for_code(
                ProblemSerializer, str(code), media_types=[PROBLEM_CONTENT_TYPE]))
        return responses
