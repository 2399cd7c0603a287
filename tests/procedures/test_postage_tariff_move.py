"""Issue 17: the postage tariff moved from `postal` to `procedures` (so filing can quote postage
without depending on postal). The migration renames the table: every row the admin entered stays."""

from __future__ import annotations

from datetime import date

import pytest

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("postal", "0002_postage_tariff"), ("procedures", "0009_form_field_editable_when_verified")]


@pytest.mark.django_db(transaction=True)
def test_the_tariff_rows_survive_the_move_and_back():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        old = MigrationExecutor(connection).loader.project_state(BEFORE).apps.get_model("postal", "PostageRate")
        old.objects.create(zone="inter", weight_from=0, weight_to=250, amount=18_000, effective_from=date(2025, 7, 1),
                           legal_basis="Bảng cước của bưu điện tỉnh")

        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
        from procedures.models import PostageRate

        moved = PostageRate.objects.get()
        assert (moved.zone, moved.weight_to, moved.amount, moved.legal_basis) == (
            "inter", 250, 18_000, "Bảng cước của bưu điện tỉnh")
        # and back: the rows return to postal's table
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        old = MigrationExecutor(connection).loader.project_state(BEFORE).apps.get_model("postal", "PostageRate")
        assert old.objects.get().amount == 18_000
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
