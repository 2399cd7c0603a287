"""Back-office fixtures: dossiers put through the real workflow, and logged-in clients per persona."""

from __future__ import annotations

import pytest

from applications.models import Status
from tests.applications.workflow.conftest import Cast, call, drive, new_draft  # noqa: F401
from tests.factories import make_procedure


@pytest.fixture
def cast(citizen, officer, specialist, leader) -> Cast:
    return Cast(citizen, officer, specialist, leader)


@pytest.fixture
def version(commune):
    return make_procedure(agency=commune, time_value=3, name="Cấp Giấy xác nhận tình trạng hôn nhân")


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def submitted(cast, version, commune, citizen):
    return drive(new_draft(version, commune, citizen), Status.SUBMITTED, cast)
