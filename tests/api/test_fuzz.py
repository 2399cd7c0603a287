"""Schemathesis against the live schema: every operation, as the right caller, 0 server errors and
0 answers outside the schema (status, content type, body)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from django.test import Client

from api.keys import api_key_issue
from applications.models import Status
from tests.factories import make_dossier, make_procedure

pytestmark = pytest.mark.django_db(transaction=True)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CSRF = "a" * 32
EXAMPLES = 25


def _session_for(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def test_every_operation_survives_fuzzing(live_server, settings, citizen, officer, commune):
    settings.API_RATE_ANONYMOUS = settings.API_RATE_USER = settings.API_RATE_KEY = "100000/minute"
    settings.TRACKING_RATE_LIMIT = 100000
    version = make_procedure(agency=commune, fee=20_000)
    codes = [make_dossier(version, commune, citizen).code,
             make_dossier(version, commune, citizen, status=Status.SUPPLEMENT_REQUESTED).code]
    key = api_key_issue(name="fuzz", agency=commune, user=officer)[1]
    cookies = {"sessionid": _session_for(citizen), "csrftoken": CSRF}

    schema = schemathesis.openapi.from_url(live_server.url + "/api/v1/schema/?format=json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    seen: dict[str, set[int]] = {}
    for operation in operations:
        if "/agency/" in operation.path:
            headers, jar = {"X-Api-Key": key}, {}
        else:
            headers, jar = {"X-CSRFToken": CSRF}, cookies
        seen[operation.label] = _fuzz(operation, live_server.url, headers, jar, codes)
    # The fuzzing reached the views: every operation answered, and reads succeeded.
    assert all(seen.values()), seen
    assert {200} <= set().union(*seen.values()), seen


def _fuzz(operation, base_url: str, headers: dict, jar: dict, codes: list[str]) -> set[int]:
    """Half the cases name a real dossier, so the fuzzing gets past the 404 into the views' own checks."""
    statuses: set[int] = set()

    @given(case=operation.as_strategy(), real=st.sampled_from([None, *codes]))
    @hypothesis_settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(case, real):
        if real and "code" in (case.path_parameters or {}):
            case.path_parameters["code"] = real
        response = case.call_and_validate(base_url=base_url, headers=headers, cookies=jar, checks=CHECKS)
        statuses.add(response.status_code)

    run()
    return statuses
