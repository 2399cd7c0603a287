"""The full rebuild of the daily summary in one SQL statement (a million dossiers in one pass), and the
monthly roll-ups summed from the daily rows.

It derives the same facts as `quality.summary.DossierFacts` (the first event of each kind, the first
resolution, the supplement and digitised flags) by another path; tests/quality compare the two.
"""

from __future__ import annotations

from datetime import date

from django.db import connection

from quality.models import COUNTERS
from workdays.services import local_time_zone

REBUILD_SQL = """
WITH dossier AS (
    SELECT d.id, d.agency_id, v.procedure_id, p.sector_id, d.channel, d.due_original
    FROM applications_dossier d
    JOIN procedures_procedureversion v ON v.id = d.procedure_version_id
    JOIN procedures_procedure p ON p.id = v.procedure_id
), first_event AS (
    SELECT DISTINCT ON (e.dossier_id, e.action) e.dossier_id, e.action, e.at, e.data
    FROM applications_dossierevent e
    WHERE e.action IN ('received', 'refused', 'withdrawn', 'stopped', 'payment_confirmed', 'apologised', 'extended')
    ORDER BY e.dossier_id, e.action, e.at, e.id
), resolution AS (
    SELECT DISTINCT ON (e.dossier_id) e.dossier_id, e.action, e.at, e.data
    FROM applications_dossierevent e
    WHERE e.action IN ('approved', 'not_eligible')
    ORDER BY e.dossier_id, e.at, e.id
), received AS (
    SELECT dossier_id, at FROM first_event WHERE action = 'received'
), contribution AS (
    SELECT d.agency_id, d.procedure_id, d.sector_id, (f.at AT TIME ZONE %(zone)s)::date AS day, c.name, c.value
    FROM first_event f JOIN dossier d ON d.id = f.dossier_id
    CROSS JOIN LATERAL (VALUES
        ('received', CASE WHEN f.action = 'received' THEN 1 ELSE 0 END),
        ('received_' || d.channel, CASE WHEN f.action = 'received' THEN 1 ELSE 0 END),
        ('paper_received', CASE WHEN f.action = 'received' AND d.channel <> 'online' THEN 1 ELSE 0 END),
        ('paper_digitised', CASE WHEN f.action = 'received' AND d.channel <> 'online' AND EXISTS (
            SELECT 1 FROM applications_attachment a WHERE a.dossier_id = d.id AND a.is_digitised) THEN 1 ELSE 0 END),
        ('received_reused', CASE WHEN f.action = 'received' AND EXISTS (
            SELECT 1 FROM applications_attachment a WHERE a.dossier_id = d.id AND a.is_reused) THEN 1 ELSE 0 END),
        ('received_synced', CASE WHEN f.action = 'received' AND EXISTS (
            SELECT 1 FROM national_nationalsync n WHERE n.dossier_id = d.id AND n.state = 'delivered')
            THEN 1 ELSE 0 END),
        ('refused', CASE WHEN f.action = 'refused' THEN 1 ELSE 0 END),
        ('withdrawn', CASE WHEN f.action = 'withdrawn' THEN 1 ELSE 0 END),
        ('stopped', CASE WHEN f.action = 'stopped' THEN 1 ELSE 0 END),
        ('apologised', CASE WHEN f.action = 'apologised' THEN 1 ELSE 0 END),
        ('extended', CASE WHEN f.action = 'extended' THEN 1 ELSE 0 END),
        ('paid', CASE WHEN f.action = 'payment_confirmed' THEN 1 ELSE 0 END),
        ('paid_online', CASE WHEN f.action = 'payment_confirmed' AND f.data ->> 'channel' = 'online' THEN 1 ELSE 0 END)
    ) AS c(name, value)
    UNION ALL
    SELECT d.agency_id, d.procedure_id, d.sector_id, (r.at AT TIME ZONE %(zone)s)::date, c.name, c.value
    FROM resolution r JOIN dossier d ON d.id = r.dossier_id LEFT JOIN received rc ON rc.dossier_id = r.dossier_id
    CROSS JOIN LATERAL (VALUES
        ('resolved', 1::bigint),
        ('resolved_early', CASE WHEN r.data ->> 'timeliness' = 'early' THEN 1 ELSE 0 END),
        ('resolved_on_time', CASE WHEN r.data ->> 'timeliness' = 'on_time' THEN 1 ELSE 0 END),
        ('resolved_late', CASE WHEN r.data ->> 'timeliness' = 'late' THEN 1 ELSE 0 END),
        ('resolved_approved', CASE WHEN r.action = 'approved' THEN 1 ELSE 0 END),
        ('resolved_with_supplement', CASE WHEN EXISTS (
            SELECT 1 FROM applications_dossierevent s WHERE s.dossier_id = d.id AND s.action = 'supplement_requested')
            THEN 1 ELSE 0 END),
        ('processing_seconds', COALESCE(trunc(extract(epoch FROM r.at - rc.at))::bigint, 0)),
        ('statutory_seconds', COALESCE(trunc(extract(epoch FROM d.due_original - rc.at))::bigint, 0))
    ) AS c(name, value)
)
INSERT INTO quality_dailysummary (day, agency_id, procedure_id, sector_id, {columns})
SELECT day, agency_id, procedure_id, sector_id, {sums}
FROM contribution
GROUP BY day, agency_id, procedure_id, sector_id
"""


def summary_rebuild_sql() -> int:
    """Insert every bucket into an emptied quality_dailysummary (the caller owns the transaction)."""
    sums = ", ".join(f"COALESCE(SUM(value) FILTER (WHERE name = '{name}'), 0)" for name in COUNTERS)
    sql = REBUILD_SQL.format(columns=", ".join(COUNTERS), sums=sums)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"zone": str(local_time_zone())})
        return cursor.rowcount


ROLLUP_SQL = """
INSERT INTO quality_monthlysummary (month, agency_id, procedure_id, sector_id, {columns})
SELECT date_trunc('month', day)::date, agency_id, procedure_id, MAX(sector_id), {sums}
FROM quality_dailysummary
{where}
GROUP BY date_trunc('month', day)::date, agency_id, procedure_id
"""

MONTHS_SQL = "(agency_id, procedure_id, {month}) IN (SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::date[]))"


def monthly_rollup_sql(months: set[tuple[int, int, date]] | None = None) -> int:
    """Rewrite the monthly roll-ups of these (agency, procedure, first day of month) from the daily rows, or
    all of them (None; the caller has emptied the table). The caller owns the transaction.

    A month's sector is the largest sector id among its days: the days of one procedure share its sector
    unless it moved, and both paths (full rebuild, incremental) pick the same one."""
    columns = ", ".join(COUNTERS)
    sums = ", ".join(f"SUM({name})" for name in COUNTERS)
    with connection.cursor() as cursor:
        if months is None:
            cursor.execute(ROLLUP_SQL.format(columns=columns, sums=sums, where=""))
            return cursor.rowcount
        if not months:
            return 0
        ordered = sorted(months)
        arrays: tuple[list[int], list[int], list[date]] = (
            [key[0] for key in ordered], [key[1] for key in ordered], [key[2] for key in ordered])
        cursor.execute("DELETE FROM quality_monthlysummary WHERE " + MONTHS_SQL.format(month="month"), arrays)
        where = "WHERE " + MONTHS_SQL.format(month="date_trunc('month', day)::date")
        cursor.execute(ROLLUP_SQL.format(columns=columns, sums=sums, where=where), arrays)
        return cursor.rowcount
