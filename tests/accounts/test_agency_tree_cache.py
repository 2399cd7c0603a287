"""The agency tree behind every staff scope is cached, and every change to an agency shows at once."""

from __future__ import annotations

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.access import staff_agency_ids
from accounts.models import Agency, AgencyKind, Role, User
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # a new request's user: no per-request memo


def _scope_and_queries(user: User) -> tuple[set[int], int]:
    with CaptureQueriesContext(connection) as queries:
        scope = set(staff_agency_ids(_fresh(user)))
    return scope, len([q for q in queries if "accounts_agency" in q["sql"]])


def test_the_tree_is_read_once_then_from_the_cache(province, commune, other_commune):
    leader = make_user("tinh@example.vn", Role.LEADER, province)

    first, first_queries = _scope_and_queries(leader)
    again, again_queries = _scope_and_queries(leader)

    assert first == again == {province.pk, commune.pk, other_commune.pk}
    assert (first_queries, again_queries) == (1, 0)


def test_a_new_moved_or_deleted_commune_changes_the_scope_at_once(province, commune, other_commune,
                                                                 django_capture_on_commit_callbacks):
    leader = make_user("tinh@example.vn", Role.LEADER, province)
    officer = make_user("xa@example.vn", Role.OFFICER, commune)
    assert set(staff_agency_ids(_fresh(leader))) == {province.pk, commune.pk, other_commune.pk}

    with django_capture_on_commit_callbacks(execute=True):
        new = Agency.objects.create(eid_code="H99.01.03", name="UBND xã Mới", kind=AgencyKind.COMMUNE, parent=province)
    assert new.pk in staff_agency_ids(_fresh(leader))

    # A commune put under another commune (say, after a merger) falls in that commune's scope.
    with django_capture_on_commit_callbacks(execute=True):
        new.parent = commune
        new.save(update_fields=["parent"])
    assert set(staff_agency_ids(_fresh(officer))) == {commune.pk, new.pk}

    with django_capture_on_commit_callbacks(execute=True):
        new.delete()
    assert set(staff_agency_ids(_fresh(officer))) == {commune.pk}
    assert new.pk not in staff_agency_ids(_fresh(leader))


def test_a_signed_in_user_comes_with_the_agency(client, officer):
    client.force_login(officer)
    client.get("/officer/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/officer/").status_code == 200
    agency_reads = [q["sql"] for q in queries if q["sql"].startswith('SELECT') and 'FROM "accounts_agency"' in q["sql"]]
    assert agency_reads == []  # neither the tree nor the officer's own agency is queried again
