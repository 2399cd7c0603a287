"""A province-sized dossier history (a million dossiers a year over hundreds of communes), written
straight into PostgreSQL with COPY, for capacity benches and load tests (`manage.py generate_history`).

The rows are what the workflow itself writes, step by step, for every dossier: the code in the
configured layout from a per-agency daily sequence (and the DossierCodeCounter rows after it, so the
next real submission continues the sequence), the tracking-book number, due dates from the working-day
calendar (pauses move them, extensions and apologies replace them), one DossierEvent per transition
with the workflow's from/to states and data, the slips and results (Document rows, all pointing at one
shared small file), supplement requests, pauses, extensions, apologies, stop requests, the control
sheet, attachments, fee assessments and payment attempts (online and at the counter). Each dossier's
life is simulated from its submission with realistic delays and cut at "now": old dossiers are
finished, recent ones sit in every open state, some are overdue.

No workflow service runs (no notifications, no rendering, no national sync): this is data, not
activity. Deterministic for a given seed and "now".
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import time as clock
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import accumulate

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, models, transaction

from accounts.models import Agency, AgencyKind, Role, User
from applications.codes import dossier_code_format
from applications.models import (
    Apology,
    Attachment,
    Channel,
    ControlSheetEntry,
    Document,
    DocumentKind,
    DocumentNumberCounter,
    DocumentState,
    Dossier,
    DossierCodeCounter,
    DossierEvent,
    Event,
    Extension,
    Pause,
    PauseReason,
    ResultDelivery,
    ScanStatus,
    Status,
    SupplementRequest,
    SupplementStage,
    TrackingBookCounter,
    _new_verify_token,
)
from applications.slips import C01_2018, C03_2025, NEW_REGIME_FROM, form_spec
from payments.models import AttemptState, FeeAssessment, PaymentAttempt, PaymentChannel, ProviderId
from portal.lib.storage import private_storage
from procedures.models import (
    Component,
    Fee,
    FeeBasis,
    FeeKind,
    FormField,
    Procedure,
    ProcedureVersion,
    Sector,
    ServiceLevel,
    VersionStatus,
)
from workdays.constants import Timeliness, TimeUnit
from workdays.services import _Calendar, local_time_zone, office_close, office_hours

TZ = local_time_zone()
SHARED_FILE = "generated/sample.pdf"  # every generated attachment and document points at this one file
SHARED_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
              b"endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
SHARED_SHA = hashlib.sha256(SHARED_PDF).hexdigest()

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Đinh", "Trịnh", "Mai", "Tô")
MIDDLE = ("Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Đức", "Thu", "Xuân", "Gia", "Bảo", "Kim", "Hoài")
GIVEN = ("An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Khánh",
         "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Ngọc", "Nhung", "Phong", "Phúc", "Phương", "Quân",
         "Quang", "Sơn", "Tâm", "Thảo", "Thắng", "Thủy", "Trang", "Trung", "Tuấn", "Uyên", "Việt", "Vy", "Yến")
PROCEDURE_NAMES = ("Đăng ký khai sinh", "Đăng ký kết hôn", "Đăng ký khai tử", "Cấp bản sao trích lục hộ tịch",
                   "Xác nhận tình trạng hôn nhân", "Chứng thực bản sao từ bản chính", "Chứng thực chữ ký",
                   "Đăng ký thường trú", "Đăng ký tạm trú", "Cấp giấy phép xây dựng nhà ở riêng lẻ",
                   "Đăng ký hộ kinh doanh", "Hỗ trợ hộ nghèo", "Đăng ký giám hộ", "Thay đổi, cải chính hộ tịch")
LIMITS = (1, 3, 3, 5, 5, 7, 10, 12, 15, 20)  # working days
FEES = (None, None, None, 8_000, 10_000, 20_000, 50_000, 100_000)
CHANNELS = ((55, Channel.ONLINE), (35, Channel.IN_PERSON), (10, Channel.POST))
DELIVERIES = ((45, ResultDelivery.ONLINE), (45, ResultDelivery.COUNTER), (10, ResultDelivery.POST))
TXN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class _Stop(Exception):
    """The next step of a dossier's life would happen after "now": it stays where it is."""


# --- COPY plumbing ---------------------------------------------------------------------------------


_json = json.JSONEncoder(ensure_ascii=False).encode  # one encoder for the run, not one per value


def _text(value: object) -> str:
    """COPY text of a value. Generated strings hold no tab, newline or backslash, so they pass as they are;
    JSON is escaped (it may hold a backslash)."""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[return-value]
    if kind is datetime:
        return value.isoformat()  # type: ignore[union-attr]
    if kind is int:
        return str(value)
    if isinstance(value, str):  # a TextChoices member: its plain value
        return str.__str__(value)
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is dict or kind is list:
        if not value:
            return "{}" if kind is dict else "[]"
        value = _json(value)
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class _Table:
    """A model's columns and its default row as COPY text; rows override the columns they set."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.name = model._meta.db_table
        fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in fields]
        self.index = {f.attname: i for i, f in enumerate(fields)}
        template = []
        for f in fields:
            default = f.get_default() if not f.primary_key else None
            if isinstance(f, models.JSONField):
                template.append(_text(default))
            else:
                template.append(_text(f.get_db_prep_save(default, connection) if default is not None else None))
        self.template = template
        self.lines: list[str] = []
        self.next_id = 0

    def add(self, values: dict[str, object], dossier_id: int | None = None) -> int:
        """A row from the template with `values` over it (and the dossier it belongs to, if given)."""
        row = self.template.copy()
        pk = self.next_id
        self.next_id = pk + 1
        row[0] = str(pk)
        index = self.index
        if dossier_id is not None:
            row[index["dossier_id"]] = str(dossier_id)
        # _text inlined for the kinds most values are (tens of millions of calls at a million dossiers).
        for name, value in values.items():
            kind = type(value)
            if kind is datetime:
                row[index[name]] = value.isoformat()  # type: ignore[attr-defined]
            elif isinstance(value, str):  # a TextChoices member too: join takes its plain value
                row[index[name]] = value
            elif kind is int:
                row[index[name]] = str(value)
            elif value is None:
                row[index[name]] = "\\N"
            else:
                row[index[name]] = _text(value)
        self.lines.append("\t".join(row))
        return pk

    def copy(self, cursor) -> int:  # type: ignore[no-untyped-def]
        count = len(self.lines)
        if count:
            buffer = io.StringIO("\n".join(self.lines) + "\n")
            columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
            cursor.copy_expert(f"COPY {self.name} ({columns}) FROM STDIN", buffer)
        self.lines = []
        return count


def _sequence_take(cursor, table: str) -> int:  # type: ignore[no-untyped-def]
    cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
    return cursor.fetchone()[0]  # type: ignore[no-any-return]


def _sequence_set(cursor, table: str, last: int) -> None:  # type: ignore[no-untyped-def]
    cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, last])


# --- Reference data: agencies, staff, citizens, procedures -----------------------------------------


@dataclass
class _Staff:
    officer: User
    specialist: User
    leader: User


@dataclass
class _Version:
    version: ProcedureVersion
    limit: int
    fee: int | None
    components: list[int]
    fee_line: list[dict] = field(default_factory=list)


def reference_data(*, agencies: int, procedures: int) -> tuple[list[Agency], dict[int, _Staff], list[User], list[_Version]]:
    """Two provinces with two districts each and `agencies` communes under them, three staff per commune,
    a pool of citizens, and `procedures` published procedures received by every commune. Reused when
    they already exist (--append)."""
    provinces = [Agency.objects.get_or_create(eid_code=code, defaults={"name": name, "kind": AgencyKind.PROVINCE})[0]
                 for code, name in (("H80", "Tỉnh Thử Nghiệm Một"), ("H81", "Tỉnh Thử Nghiệm Hai"))]
    districts = [Agency.objects.get_or_create(
        eid_code=f"{province.eid_code}.{n:02d}",
        defaults={"name": f"Khu vực {n} — {province.name}", "kind": AgencyKind.UNIT, "parent": province})[0]
        for province in provinces for n in (1, 2)]
    communes = []
    for n in range(agencies):
        district = districts[n % len(districts)]
        communes.append(Agency.objects.get_or_create(
            eid_code=f"{district.eid_code}.{n // len(districts) + 1:02d}",
            defaults={"name": f"Xã Thử Nghiệm {n + 1:03d}", "kind": AgencyKind.COMMUNE, "parent": district,
                      "head_title": "Chủ tịch", "head_name": "Nguyễn Văn Chủ Tịch"})[0])
    password = make_password(None)  # generated people never sign in with a password
    staff: dict[int, _Staff] = {}
    wanted = []
    for commune in communes:
        for role in (Role.OFFICER, Role.SPECIALIST, Role.LEADER):
            wanted.append(User(email=f"{role}.{commune.eid_code.lower()}@generated.invalid", password=password,
                               full_name=f"{_role_name(role)} {commune.name}", role=role, agency=commune))
    existing = set(User.objects.filter(email__endswith="@generated.invalid").values_list("email", flat=True))
    User.objects.bulk_create([user for user in wanted if user.email not in existing], batch_size=1000)
    by_email = {user.email: user for user in User.objects.filter(email__endswith="@generated.invalid",
                                                                 agency__in=communes)}
    for commune in communes:
        key = commune.eid_code.lower()
        staff[commune.pk] = _Staff(*(by_email[f"{role}.{key}@generated.invalid"]
                                     for role in (Role.OFFICER, Role.SPECIALIST, Role.LEADER)))
    citizens = [User(email=f"citizen.{n:05d}@generated.invalid", password=password, role=Role.CITIZEN,
                     full_name=_name(random.Random(n))) for n in range(5000)]
    existing = set(User.objects.filter(email__startswith="citizen.", email__endswith="@generated.invalid")
                   .values_list("email", flat=True))
    User.objects.bulk_create([user for user in citizens if user.email not in existing], batch_size=1000)
    citizens = list(User.objects.filter(email__startswith="citizen.", email__endswith="@generated.invalid")
                    .order_by("email"))
    sector, _created = Sector.objects.get_or_create(code="GEN", defaults={"name": "Thủ tục thử nghiệm"})
    versions = []
    for n in range(procedures):
        versions.append(_procedure(n, sector, communes))
    return communes, staff, citizens, versions


def _role_name(role: str) -> str:
    return {Role.OFFICER: "Cán bộ một cửa", Role.SPECIALIST: "Chuyên viên", Role.LEADER: "Lãnh đạo"}[role]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _procedure(n: int, sector: Sector, communes: list[Agency]) -> _Version:
    code = f"9.{n + 1:06d}"
    limit, fee = LIMITS[n % len(LIMITS)], FEES[n % len(FEES)]
    procedure = Procedure.objects.filter(code=code).first()
    if procedure is None:
        procedure = Procedure.objects.create(code=code, sector=sector, is_published=True)
        version = ProcedureVersion.objects.create(
            procedure=procedure, number=1, status=VersionStatus.PUBLISHED, effective_from=date(2025, 7, 1),
            name=f"{PROCEDURE_NAMES[n % len(PROCEDURE_NAMES)]} ({n + 1})",
            service_level=ServiceLevel.FULL if n % 3 else ServiceLevel.PARTIAL,
            partial_reason="" if n % 3 else "Xuất trình bản chính tại Bộ phận Một cửa.",
            processing_time_value=limit, processing_time_unit=TimeUnit.WORKING_DAYS,
            steps="Bước 1: Nộp hồ sơ.\nBước 2: Nhận kết quả.", result_name="Kết quả giải quyết",
        )
        version.receiving_agencies.add(*communes)
        Component.objects.create(version=version, order=1, name="Tờ khai", originals=1, is_required=True)
        Component.objects.create(version=version, order=2, name="Giấy tờ kèm theo", originals=1, is_required=False)
        if fee is not None:
            Fee.objects.create(version=version, kind=FeeKind.CHARGE, name="Lệ phí", amount=fee, basis=FeeBasis.PER_CASE)
        FormField.objects.create(version=version, order=1, key="full_name", label="Họ, chữ đệm, tên",
                                 field_type="text", is_required=True, max_length=100)
        FormField.objects.create(version=version, order=2, key="birth_date", label="Ngày sinh",
                                 field_type="date", is_required=True)
        procedure.current_version = version
        procedure.save(update_fields=["current_version"])
    else:
        version = procedure.current_version
        version.receiving_agencies.add(*communes)
    components = list(Component.objects.filter(version=version).order_by("order").values_list("pk", flat=True))
    line = [{"name": "Lệ phí", "kind": FeeKind.CHARGE, "basis": FeeBasis.PER_CASE, "quantity": 1,
             "unit_amount": fee, "amount": fee, "legal_basis": "", "rules": []}] if fee else []
    return _Version(version, limit, fee, components, line)


# --- The generator ---------------------------------------------------------------------------------


TABLES = (Dossier, DossierEvent, Attachment, Document, Pause, SupplementRequest, Apology, Extension,
          ControlSheetEntry, FeeAssessment, PaymentAttempt)


@dataclass
class Report:
    dossiers: int = 0
    rows: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    statuses: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))


class _WorkingDays:
    """workdays' calendar (confirmed holidays, make-up days) for a fixed span, as lookups: a million dossiers
    ask it tens of millions of times."""

    def __init__(self, first: date, last: date) -> None:
        calendar = _Calendar().cover(first, last)
        self.first, self.last = first, last
        self.working: dict[date, bool] = {}
        self.days: list[date] = []
        self.rank: dict[date, int] = {}  # working days on or before the date
        day = first
        while day <= last:
            working = calendar.is_working_day(day)
            self.working[day] = working
            if working:
                self.days.append(day)
            self.rank[day] = len(self.days)
            day += timedelta(days=1)

    def is_working_day(self, day: date) -> bool:
        return self.working[day]

    def add_working_days(self, day: date, count: int) -> date:
        if count >= 0:
            return self.days[self.rank[day] + count - 1] if count else day
        before = self.rank[day] - (1 if self.working[day] else 0)  # working days strictly before `day`
        return self.days[before + count]

    def next_working_day(self, day: date) -> date:
        return self.days[self.rank[day]]

    def working_days_between(self, start: date, end: date) -> int:
        return self.rank[end] - self.rank[start]


def _classify(resolved: datetime, due: datetime) -> str:
    # workdays.classify for two datetimes already in Vietnam time.
    if resolved > due:
        return Timeliness.LATE
    if resolved.date() < due.date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME


class _History:
    def __init__(self, *, communes: list[Agency], staff: dict[int, _Staff], citizens: list[User],
                 versions: list[_Version], now: datetime, days: int, seed: int, part: int = 0,
                 parts: int = 1) -> None:
        # Every worker draws the same submissions (agency, moment) and keeps its communes' ones.
        self.moments_rng = random.Random(seed)
        self.rng = random.Random(seed * 7919 + part)
        self.part, self.parts = part, parts
        self.communes, self.staff, self.citizens, self.versions = communes, staff, citizens, versions
        self.now = now
        self.calendar = _WorkingDays((now - timedelta(days=days + 10)).date(), (now + timedelta(days=730)).date())
        self.opening, self.close = office_hours()[0][0], office_close()
        self.last_intake = (datetime.combine(now.date(), self.close) - timedelta(minutes=30)).time()
        self.tables = {model: _Table(model) for model in TABLES}
        self.code_counters: dict[tuple[int, date], int] = defaultdict(int)
        self.book_counters: dict[tuple[int, int], int] = defaultdict(int)
        self.number_counters: dict[tuple[str, int, str], int] = defaultdict(int)
        self.receipts: dict[int, int] = defaultdict(int)
        self.code_prefixes: dict[tuple[int, date], str] = {}
        self.gateway_numbers = 0
        self.report = Report()
        weights = [self.moments_rng.uniform(0.3, 2.0) for _ in communes]
        self.agency_cumulative = list(accumulate(weights))
        self.series: dict[str, dict[str, str | None]] = {}
        for basis in (C01_2018, C03_2025):
            self.series[basis] = {}
            for kind in _SPEC_KINDS:
                try:
                    self.series[basis][kind] = form_spec(kind, basis).series
                except KeyError:  # a paper that form does not have (no stop notice before 2025)
                    self.series[basis][kind] = None

    # ---- counters carried over from the database (--append) ----

    def counters_load(self) -> None:
        for agency_id, day, last in DossierCodeCounter.objects.values_list("agency_id", "day", "last_value"):
            self.code_counters[(agency_id, day)] = last
        for agency_id, year, last in TrackingBookCounter.objects.values_list("agency_id", "year", "last_value"):
            self.book_counters[(agency_id, year)] = last
        for scope, year, series, last in DocumentNumberCounter.objects.values_list("scope", "year", "series",
                                                                                  "last_value"):
            self.number_counters[(scope, year, series)] = last
        receipts = PaymentAttempt.objects.filter(receipt_number__startswith="BL-G").values_list("agency_id",
                                                                                              "receipt_number")
        for agency_id, number in receipts:
            self.receipts[agency_id] = max(self.receipts[agency_id], int(number.rsplit("-", 1)[1]))
        # This worker's gateway numbers go on after its last one (see _attempt).
        numbers = PaymentAttempt.objects.filter(provider=ProviderId.VNPAY, provider_txn_no__regex=rf"^{self.part + 1}\d{{10}}$")
        last = numbers.order_by("-provider_txn_no").values_list("provider_txn_no", flat=True).first()
        self.gateway_numbers = int(last[1:]) if last else 0

    def counters_save(self, cursor) -> None:  # type: ignore[no-untyped-def]
        def upsert(table: str, keys: str, rows: list[tuple]) -> None:
            if not rows:
                return
            marks = ", ".join(["%s"] * (len(rows[0])))
            for start in range(0, len(rows), 5000):
                part = rows[start:start + 5000]
                cursor.execute(
                    f"INSERT INTO {table} ({keys}, last_value) VALUES "
                    + ", ".join(f"({marks})" for _ in part)
                    + f" ON CONFLICT ({keys}) DO UPDATE SET last_value = GREATEST({table}.last_value, "
                    "EXCLUDED.last_value)", [value for row in part for value in row])

        upsert(DossierCodeCounter._meta.db_table, "agency_id, day",
               [(a, d, v) for (a, d), v in self.code_counters.items()])
        upsert(TrackingBookCounter._meta.db_table, "agency_id, year",
               [(a, y, v) for (a, y), v in self.book_counters.items()])
        upsert(DocumentNumberCounter._meta.db_table, "scope, year, series",
               [(s, y, r, v) for (s, y, r), v in self.number_counters.items()])

    # ---- time helpers ----

    def office(self, moment: datetime, *, spread_minutes: int = 90) -> datetime:
        """The first office moment at or after `moment` (staff act during office hours on working days)."""
        local = moment.astimezone(TZ)
        day = local.date()
        if self.calendar.is_working_day(day):
            if local.time() < self.opening:
                return datetime.combine(day, self.opening, tzinfo=TZ) + timedelta(
                    minutes=self.rng.randrange(spread_minutes))
            if local.time() <= self.last_intake:
                return local
        day = self.calendar.next_working_day(day)
        return datetime.combine(day, self.opening, tzinfo=TZ) + timedelta(minutes=self.rng.randrange(spread_minutes))

    def due_at_receipt(self, received: datetime, limit: int) -> datetime:
        # workdays.due_at for a working-days limit, with one calendar held for the whole run: receipt
        # in office time counts from that day; day 1 is the first working day after it.
        day = received.astimezone(TZ).date()
        if not (self.calendar.is_working_day(day) and received.astimezone(TZ).time() < self.close):
            day = self.calendar.next_working_day(day)
        return datetime.combine(self.calendar.add_working_days(day, limit), self.close, tzinfo=TZ)

    def transfer_due(self, received: datetime) -> datetime:
        local = received.astimezone(TZ)
        day = local.date()
        if local.time() > time(15, 0) or not self.calendar.is_working_day(day):
            day = self.calendar.next_working_day(day)
        return datetime.combine(day, self.close, tzinfo=TZ)

    def shift(self, due: datetime, paused: datetime, resumed: datetime) -> datetime:
        # workdays.shift_for_pause with the run's calendar.
        days = self.calendar.working_days_between(paused.astimezone(TZ).date(), resumed.astimezone(TZ).date())
        if days <= 0:
            return due
        local = due.astimezone(TZ)
        return datetime.combine(self.calendar.add_working_days(local.date(), days), local.time(), tzinfo=TZ)

    def add_days(self, due: datetime, days: int) -> datetime:
        local = due.astimezone(TZ)
        return datetime.combine(self.calendar.add_working_days(local.date(), days), local.time(), tzinfo=TZ)

    # ---- one chunk of days ----

    def chunk(self, days: list[date], per_day: list[int]) -> None:
        moments: list[tuple[int, datetime]] = []
        rng = self.moments_rng
        total = self.agency_cumulative[-1]
        for day, count in zip(days, per_day, strict=True):
            start = datetime.combine(day, time(0), tzinfo=TZ)
            working = self.calendar.is_working_day(day)
            # Today is cut at "now": its share is spread over the hours already gone.
            day_minutes = min(24 * 60, max(1, int((self.now - start).total_seconds() // 60)))
            for _ in range(count):
                agency = bisect_left(self.agency_cumulative, rng.random() * total)
                # Online filings come at any hour; counters are open in office hours only.
                minutes = rng.randrange(7 * 60 + 30, 16 * 60 + 30) if working and rng.random() < 0.6 \
                    and day_minutes > 16 * 60 + 30 else rng.randrange(day_minutes)
                moments.append((agency, start + timedelta(minutes=minutes, seconds=rng.randrange(60))))
        moments.sort(key=lambda item: item[1])
        for agency_index, submitted in moments:
            if submitted > self.now or agency_index % self.parts != self.part:
                continue
            self.dossier(self.communes[agency_index], submitted)

    def code(self, agency: Agency, day: date, sequence: int) -> str:
        """applications.codes.dossier_code_format, with the agency and day parts made once."""
        key = (agency.id, day)
        prefix = self.code_prefixes.get(key)
        if prefix is None:
            sample = dossier_code_format(agency, day, 9999)
            prefix = self.code_prefixes[key] = sample[: -len("9999")]
        return f"{prefix}{sequence:04d}"

    def number(self, kind: str, agency: Agency, at: datetime, code: str) -> tuple[str, str]:
        basis = C01_2018 if at.astimezone(TZ).date() < NEW_REGIME_FROM else C03_2025
        series = self.series[basis].get(kind)
        if series is None:
            return basis, code
        key = (agency.eid_code, at.astimezone(TZ).year, series)
        self.number_counters[key] += 1
        return basis, f"{self.number_counters[key]:02d}/{series}"

    def dossier(self, agency: Agency, submitted: datetime) -> None:  # noqa: C901 - one life, step by step
        rng, now, tables = self.rng, self.now, self.tables
        staff = self.staff[agency.id]
        spec = self.versions[rng.randrange(len(self.versions))]
        channel = _pick(rng, CHANNELS)
        working = self.calendar.is_working_day(submitted.astimezone(TZ).date())
        local_minutes = submitted.astimezone(TZ).hour * 60 + submitted.astimezone(TZ).minute
        if channel != Channel.ONLINE and not (working and 7 * 60 + 30 <= local_minutes <= 16 * 60 + 30):
            channel = Channel.ONLINE
        delivery = _pick(rng, DELIVERIES)
        citizen = self.citizens[rng.randrange(len(self.citizens))]
        owner = citizen if channel == Channel.ONLINE or rng.random() < 0.5 else None
        applicant = citizen.full_name if owner else _name(rng)
        dossier_id = tables[Dossier].next_id
        d: dict[str, object] = {
            "procedure_version_id": spec.version.id, "agency_id": agency.id, "channel": channel,
            "owner_id": owner.id if owner else None,
            "filed_by_id": owner.id if channel == Channel.ONLINE else staff.officer.id,
            "applicant_name": applicant, "subject_name": applicant,
            "applicant_id_number": f"0{rng.randrange(10**10, 10**11)}",
            "applicant_phone": f"09{rng.randrange(10**7, 10**8)}",
            "applicant_address": f"Thôn {rng.randrange(1, 20)}, {agency.name}",
            "form_data": {"full_name": applicant, "birth_date": f"19{rng.randrange(50, 99)}-0{rng.randrange(1, 9)}-1"
                          f"{rng.randrange(0, 9)}"},
            "result_delivery": delivery, "created_at": submitted - timedelta(minutes=rng.randrange(5, 60)),
            "consent_at": submitted,
        }
        if delivery == ResultDelivery.POST:
            d |= {"delivery_address": d["applicant_address"], "delivery_province": "Tỉnh Thử Nghiệm",
                  "delivery_commune": agency.name, "delivery_street": f"Thôn {rng.randrange(1, 20)}",
                  "delivery_recipient_name": applicant, "delivery_recipient_phone": d["applicant_phone"],
                  "postage_amount": 25_000}
        if owner is None and channel == Channel.ONLINE:
            d["filed_by_id"] = None
        # A draft: never submitted, no code (2% of online starts).
        if channel == Channel.ONLINE and owner is not None and rng.random() < 0.02:
            d |= {"status": Status.DRAFT, "updated_at": submitted}
            tables[Dossier].add(d)
            self.report.dossiers += 1
            self.report.statuses[Status.DRAFT] += 1
            return
        local_day = submitted.astimezone(TZ).date()
        self.code_counters[(agency.id, local_day)] += 1
        code = self.code(agency, local_day, self.code_counters[(agency.id, local_day)])
        d |= {"code": code, "submitted_at": submitted}
        if channel == Channel.POST:
            d["post_arrived_at"] = submitted
        state = {"status": Status.DRAFT, "version": 0, "at": submitted}
        events: list[dict] = []
        open_sheet: list[int] = []  # index in sheet of the open control-sheet row
        sheet: list[dict] = []
        pauses: list[dict] = []
        requests: list[dict] = []
        documents: list[tuple[str, int, datetime, int | None]] = []
        attachments: list[dict] = []
        assessments: list[dict] = []
        attempts: list[dict] = []
        citizen_actor = (owner.id, Role.CITIZEN) if owner else (staff.officer.id, Role.OFFICER)

        def step(action: str, at: datetime, to_status: str | None, actor: tuple[int, str] | None,
                 data: dict | None = None, note: str = "", on_behalf_of: str = "") -> int:
            if at > now:
                raise _Stop
            if at < state["at"]:
                at = state["at"] + timedelta(seconds=1)
            from_status = state["status"]
            if to_status:
                state["status"] = to_status
            state["version"] += 1
            state["at"] = at
            events.append({"action": action, "at": at, "from_status": from_status, "to_status": state["status"],
                           "actor_id": actor[0] if actor else None, "actor_role": actor[1] if actor else "system",
                           "data": data or {}, "note": note, "on_behalf_of": on_behalf_of})
            return len(events) - 1

        def hand_over(step_name: str, at: datetime, from_party: str, to_party: str, from_user: int | None,
                      to_user: int | None, due: object) -> None:
            for index in open_sheet:
                row = sheet[index]
                row["completed_at"] = at
                row["result"] = str(_classify(at, row["due_at"])) if row["due_at"] else ""
            open_sheet.clear()
            sheet.append({"step": step_name, "from_party": from_party, "to_party": to_party, "from_user_id": from_user,
                          "to_user_id": to_user, "handed_at": at, "due_at": due})
            open_sheet.append(len(sheet) - 1)

        def pause_close(at: datetime) -> None:
            pause = pauses[-1]
            pause["ended_at"] = at
            due = self.shift(d["due_current"], pause["started_at"], at)  # type: ignore[arg-type]
            pause["due_after"] = due
            d["due_current"] = due

        officer = (staff.officer.id, Role.OFFICER)
        apology: dict | None = None
        extension: dict | None = None
        specialist = (staff.specialist.id, Role.SPECIALIST)
        leader = (staff.leader.id, Role.LEADER)
        try:
            on_behalf = applicant if channel != Channel.ONLINE else ""
            step(Event.SUBMITTED, submitted, Status.SUBMITTED, citizen_actor if channel == Channel.ONLINE else officer,
                 {"resubmission": False, "channel": channel}, on_behalf_of=on_behalf)
            for page, component in enumerate(spec.components[: rng.randrange(1, 3)], start=1):
                digitised = channel != Channel.ONLINE
                attachments.append({
                    "component_id": component, "file": SHARED_FILE, "original_name": f"giay-to-{page}.pdf",
                    "content_type": "application/pdf", "size": len(SHARED_PDF), "sha256": SHARED_SHA,
                    "is_digitised": digitised, "digitised_by_id": staff.officer.id if digitised else None,
                    "digitised_at": submitted if digitised else None, "uploaded_at": submitted,
                    "uploaded_by_id": citizen_actor[0], "scan_status": ScanStatus.CLEAN,
                })
            fate = rng.random()
            first_look = self.office(submitted + timedelta(minutes=rng.randrange(10, 26 * 60)))
            if channel != Channel.ONLINE:
                first_look = submitted + timedelta(minutes=rng.randrange(2, 15))
            if fate < 0.02 and owner is not None:
                step(Event.WITHDRAWN, submitted + timedelta(minutes=rng.randrange(30, 48 * 60)), Status.WITHDRAWN,
                     citizen_actor)
                raise _Stop
            if fate < 0.06 and channel == Channel.ONLINE:
                reason = "Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan."
                event = step(Event.REFUSED, first_look, Status.REFUSED, officer, {"reason": reason}, note=reason)
                documents.append((DocumentKind.REFUSAL, event, first_look, None))
                raise _Stop
            if fate < 0.11 and channel == Channel.ONLINE:
                items = ["Bổ sung bản chụp giấy tờ tùy thân còn hiệu lực."]
                requests.append({"stage": SupplementStage.AT_RECEIPT, "items": items,
                                 "requested_by_id": staff.officer.id, "requested_at": first_look})
                event = step(Event.COMPLETION_REQUESTED, first_look, Status.NEEDS_COMPLETION, officer,
                             {"items": items, "supplement_request": len(requests) - 1})
                documents.append((DocumentKind.SUPPLEMENT, event, first_look, None))
                if rng.random() < 0.15:
                    raise _Stop  # never completed
                again = first_look + timedelta(hours=rng.randrange(2, 10 * 24))
                step(Event.SUBMITTED, again, Status.SUBMITTED, citizen_actor, {"resubmission": True, "channel": channel})
                requests[-1]["answered_at"] = again
                first_look = self.office(again + timedelta(minutes=rng.randrange(10, 20 * 60)))
            # Received: the tracking-book number, the legal deadline and the transfer deadline.
            received = first_look
            if first_look > now:
                raise _Stop
            year = received.astimezone(TZ).year
            self.book_counters[(agency.id, year)] += 1
            due = self.due_at_receipt(received, spec.limit)
            transfer_due = self.transfer_due(received)
            d |= {"received_at": received, "due_original": due, "due_current": due, "transfer_due": transfer_due,
                  "book_year": year, "book_number": self.book_counters[(agency.id, year)]}
            event = step(Event.RECEIVED, received, Status.RECEIVED, officer,
                         {"due": due.isoformat(), "transfer_due": transfer_due.isoformat()})
            documents.append((DocumentKind.RECEIPT, event, received, None))
            hand_over("Tiếp nhận hồ sơ", received, f"Người nộp hồ sơ: {applicant}",
                      f"Bộ phận Một cửa: {staff.officer.full_name}", d["owner_id"], staff.officer.id,  # type: ignore[arg-type]
                      transfer_due)
            # Transfer: mostly the same day, sometimes late.
            transferred = self.office(received + timedelta(minutes=rng.randrange(5, 30 * 60 if rng.random() < 0.1
                                                                                  else 6 * 60)))
            step(Event.TRANSFERRED, transferred, Status.PROCESSING, officer,
                 {"specialist": staff.specialist.full_name, "transfer_due": transfer_due.isoformat(),
                  "late": transferred > transfer_due})
            d["assigned_to_id"] = staff.specialist.id
            hand_over("Chuyển xử lý", transferred, f"Bộ phận Một cửa: {staff.officer.full_name}",
                      f"Chuyên viên: {staff.specialist.full_name}", staff.officer.id, staff.specialist.id, due)
            span = max(due - received, timedelta(hours=4))
            target = received + span * rng.uniform(0.3, 1.3)
            moment = transferred
            if rng.random() < 0.12:  # a supplement during processing (pauses the clock)
                asked = self.office(moment + (target - moment) * rng.uniform(0.1, 0.5))
                items = ["Bổ sung giấy xác nhận của cơ quan có thẩm quyền."]
                requests.append({"stage": SupplementStage.PROCESSING, "items": items,
                                 "requested_by_id": staff.specialist.id, "requested_at": asked})
                event = step(Event.SUPPLEMENT_REQUESTED, asked, Status.SUPPLEMENT_REQUESTED, specialist,
                             {"items": items, "supplement_request": len(requests) - 1})
                pauses.append({"reason": PauseReason.SUPPLEMENT, "started_at": asked, "due_before": d["due_current"]})
                documents.append((DocumentKind.SUPPLEMENT, event, asked, None))
                if rng.random() < 0.05:
                    raise _Stop  # the applicant never came back
                back = self.office(asked + timedelta(hours=rng.randrange(4, 12 * 24)))
                if back > now:
                    raise _Stop
                pause_close(back)
                requests[-1]["answered_at"] = back
                step(Event.SUPPLEMENTED, back, Status.PROCESSING, citizen_actor, {"note": "Đã bổ sung"})
                target += back - asked
                moment = back
            if spec.fee and rng.random() < 0.9:  # fees and charges (pauses the clock)
                asked = self.office(moment + timedelta(minutes=rng.randrange(10, 8 * 60)))
                if asked > now:
                    raise _Stop
                assessments.append({"pages": 1, "copies": 1, "lines": spec.fee_line, "quoted_total": spec.fee,
                                    "amount": spec.fee, "assessed_by_id": staff.specialist.id, "assessed_at": asked})
                d["fee_amount"] = spec.fee
                step(Event.PAYMENT_REQUESTED, asked, Status.AWAITING_PAYMENT, specialist,
                     {"amount": spec.fee, "return_to": Status.PROCESSING})
                pauses.append({"reason": PauseReason.PAYMENT, "started_at": asked, "due_before": d["due_current"]})
                online = owner is not None and rng.random() < 0.7
                paid = (asked + timedelta(minutes=rng.randrange(5, 3 * 24 * 60))) if online else \
                    self.office(asked + timedelta(minutes=rng.randrange(30, 5 * 24 * 60)))
                if online and rng.random() < 0.15:  # a failed try at the gateway first
                    tried = asked + (paid - asked) / 2
                    if tried <= now:
                        attempts.append(self._attempt(agency, spec, tried, AttemptState.FAILED, online=True))
                if paid > now or rng.random() < 0.01:
                    if online and rng.random() < 0.5 and asked + timedelta(minutes=3) <= now:
                        attempts.append(self._attempt(agency, spec, asked + timedelta(minutes=2), AttemptState.PENDING,
                                                      online=True))
                    raise _Stop
                attempt = self._attempt(agency, spec, paid, AttemptState.SUCCEEDED, online=online,
                                        recorded_by=None if online else staff.officer.id)
                attempts.append(attempt)
                pause_close(paid)
                reference = attempt["txn_ref"] if online else attempt["receipt_number"]
                step(Event.PAYMENT_CONFIRMED, paid, Status.PROCESSING, citizen_actor if online else officer,
                     {"reference": reference, "channel": PaymentChannel.ONLINE if online else PaymentChannel.COUNTER,
                      "amount": spec.fee})
                documents.append((DocumentKind.PAYMENT_RECEIPT, -1, paid, len(attempts) - 1))
                target += paid - asked
                moment = paid
            if rng.random() < 0.05 and moment < d["due_current"]:  # a legal extension for verification
                at = self.office(moment + timedelta(hours=2))
                days = rng.randrange(2, 6)
                before = d["due_current"]
                after = self.add_days(before, days)  # type: ignore[arg-type]
                reason = "Cần thẩm tra, xác minh thêm."
                step(Event.EXTENDED, at, None, specialist,
                     {"days": days, "reason": reason, "due_before": before.isoformat(), "due_after": after.isoformat()},  # type: ignore[union-attr]
                     note=reason)
                d["due_current"] = after
                extension = {"days": days, "reason": reason, "due_before": before, "due_after": after,
                             "granted_by_id": staff.specialist.id, "granted_at": at}
                target += (after - before) * rng.uniform(0.0, 1.0)  # type: ignore[operator]
                moment = at
            if rng.random() < 0.02 and owner is not None:  # the applicant asks to stop
                asked = moment + (target - moment) * rng.uniform(0.1, 0.6)
                reason = "Tôi không còn nhu cầu giải quyết."
                step(Event.STOP_REQUESTED, asked, Status.STOP_REQUESTED, citizen_actor, {"reason": reason}, note=reason)
                decided = self.office(asked + timedelta(hours=rng.randrange(2, 10 * 24)))
                if rng.random() < 0.7:
                    event = step(Event.STOPPED, decided, Status.STOPPED, leader, {"reason": reason}, note=reason)
                    documents.append((DocumentKind.STOP, event, decided, None))
                    d["assigned_to_id"] = None
                    raise _Stop
                decline = "Hồ sơ đã giải quyết gần xong."
                step(Event.STOP_DECLINED, decided, Status.PROCESSING, leader, {"reason": decline}, note=decline)
                moment = decided
            target = self.office(max(target, moment + timedelta(hours=2)))
            if target > d["due_current"] and rng.random() < 0.6:  # late: apologise and set a new date
                last_day = self.add_days(d["due_current"], -1)  # type: ignore[arg-type]
                at = self.office(max(moment + timedelta(hours=1), last_day - timedelta(hours=rng.randrange(0, 48))))
                if at < d["due_current"]:
                    new_due = datetime.combine(self.calendar.add_working_days(target.astimezone(TZ).date(), 1),
                                               self.close, tzinfo=TZ)
                    reason = "Cần thêm thời gian xác minh với cơ quan liên quan."
                    event = step(Event.APOLOGISED, at, None, specialist,
                                 {"reason": reason, "due_before": d["due_current"].isoformat(),  # type: ignore[union-attr]
                                  "due_after": new_due.isoformat()}, note=reason)
                    documents.append((DocumentKind.APOLOGY, event, at, None))
                    apology = {"reason": reason, "due_before": d["due_current"], "due_after": new_due,
                               "issued_by_id": staff.specialist.id, "issued_at": at}
                    d["due_current"] = new_due
                    moment = at
            to_leader = max(moment + timedelta(minutes=30), target - timedelta(hours=rng.randrange(1, 30)))
            to_leader = self.office(to_leader)
            step(Event.SUBMITTED_FOR_APPROVAL, to_leader, Status.PENDING_APPROVAL, specialist, note="Trình ký kết quả")
            hand_over("Trình phê duyệt", to_leader, f"Chuyên viên: {staff.specialist.full_name}",
                      f"Lãnh đạo: {staff.leader.full_name}", staff.specialist.id, staff.leader.id, d["due_current"])
            if rng.random() < 0.04:
                back = self.office(to_leader + timedelta(hours=rng.randrange(1, 24)))
                step(Event.SENT_BACK, back, Status.PROCESSING, leader, note="Đề nghị kiểm tra lại thành phần hồ sơ.")
                hand_over("Trả lại chuyên viên", back, f"Lãnh đạo: {staff.leader.full_name}",
                          f"Chuyên viên: {staff.specialist.full_name}", staff.leader.id, staff.specialist.id,
                          d["due_current"])
                again = self.office(back + timedelta(hours=rng.randrange(1, 24)))
                step(Event.SUBMITTED_FOR_APPROVAL, again, Status.PENDING_APPROVAL, specialist, note="Trình ký lại")
                hand_over("Trình phê duyệt", again, f"Chuyên viên: {staff.specialist.full_name}",
                          f"Lãnh đạo: {staff.leader.full_name}", staff.specialist.id, staff.leader.id, d["due_current"])
            resolved = self.office(max(target, state["at"] + timedelta(minutes=rng.randrange(10, 240))))
            statutory = apology["due_before"] if apology else d["due_current"]
            eligible = rng.random() >= 0.06
            if resolved > now:
                raise _Stop
            timeliness = str(_classify(resolved, statutory))  # type: ignore[arg-type]
            d |= {"resolved_at": resolved, "timeliness": timeliness}
            if eligible:
                summary = "Cấp kết quả giải quyết theo đề nghị."
                d["result_summary"] = summary
                event = step(Event.APPROVED, resolved, Status.APPROVED, leader, {"timeliness": timeliness}, note=summary)
                documents.append((DocumentKind.RESULT, event, resolved, None))
            else:
                reason = "Không đủ điều kiện theo quy định."
                event = step(Event.NOT_ELIGIBLE, resolved, Status.NOT_ELIGIBLE, leader,
                             {"reason": reason, "timeliness": timeliness}, note=reason)
                documents.append((DocumentKind.NOT_ELIGIBLE, event, resolved, None))
            hand_over("Phê duyệt, chuyển kết quả", resolved, f"Lãnh đạo: {staff.leader.full_name}",
                      f"Bộ phận Một cửa: {staff.officer.full_name}", staff.leader.id, staff.officer.id, d["due_current"])
            if delivery == ResultDelivery.POST:
                posted = self.office(resolved + timedelta(hours=rng.randrange(1, 48)))
                tracking = f"EG{rng.randrange(10**8, 10**9)}VN"
                step(Event.RESULT_POSTED, posted, Status.SENT_BY_POST, officer, {"reference": tracking})
                d["postal_tracking_number"] = tracking
                delivered = posted + timedelta(hours=rng.randrange(20, 120))
                step(Event.POSTAL_DELIVERED, delivered, Status.RETURNED, None,
                     {"method": ResultDelivery.POST, "tracking_number": tracking})
                d["returned_at"] = delivered
            else:
                returned = resolved + timedelta(minutes=rng.randrange(1, 30)) if delivery == ResultDelivery.ONLINE \
                    else self.office(resolved + timedelta(hours=rng.randrange(1, 10 * 24)))
                step(Event.RESULT_RETURNED, returned, Status.RETURNED, officer, {"method": delivery})
                d["returned_at"] = returned
            for index in open_sheet:
                sheet[index]["completed_at"] = d["returned_at"]
                sheet[index]["result"] = str(_classify(d["returned_at"], sheet[index]["due_at"]))  # type: ignore[arg-type]
            open_sheet.clear()
        except _Stop:
            pass
        status = state["status"]
        d |= {"status": status, "version": state["version"], "updated_at": state["at"]}
        tables[Dossier].add(d)
        self.report.dossiers += 1
        self.report.statuses[status] += 1
        self._children(dossier_id, agency, code, d, events, documents, attachments, pauses, requests, sheet,
                       assessments, attempts, apology, extension)

    def _attempt(self, agency: Agency, spec: _Version, at: datetime, state: str, *, online: bool,
                 recorded_by: int | None = None) -> dict:
        rng = self.rng
        reference = "P" + at.astimezone(TZ).strftime("%y%m%d") + "".join(
            TXN_ALPHABET[rng.randrange(len(TXN_ALPHABET))] for _ in range(15))
        attempt = {"agency_id": agency.id, "txn_ref": reference, "amount": spec.fee, "lines": spec.fee_line,
                   "state": state, "created_at": at}
        if online:
            attempt |= {"provider": ProviderId.VNPAY, "channel": PaymentChannel.ONLINE,
                        "expires_at": at + timedelta(minutes=15)}
            if state != AttemptState.PENDING:
                # The gateway's transaction number is unique per provider: a counter, not a random draw.
                self.gateway_numbers += 1
                attempt |= {"provider_txn_no": f"{self.part + 1}{self.gateway_numbers:010d}", "bank_code": "NCB",
                            "response_code": "00" if state == AttemptState.SUCCEEDED else "24",
                            "transaction_status": "00" if state == AttemptState.SUCCEEDED else "02", "settled_at": at}
        else:
            self.receipts[agency.id] += 1
            attempt |= {"provider": ProviderId.COUNTER, "channel": PaymentChannel.COUNTER, "counter_method": "cash",
                        "receipt_number": f"BL-G-{self.receipts[agency.id]:07d}", "recorded_by_id": recorded_by,
                        "settled_at": at}
        return attempt

    def _children(self, dossier_id: int, agency: Agency, code: str | None, d: dict, events: list[dict],
                  documents: list, attachments: list[dict], pauses: list[dict], requests: list[dict],
                  sheet: list[dict], assessments: list[dict], attempts: list[dict], apology: dict | None,
                  extension: dict | None) -> None:
        tables = self.tables
        request_ids = [tables[SupplementRequest].add(request, dossier_id) for request in requests]
        event_ids = []
        for event in events:
            if "supplement_request" in event["data"]:
                event["data"] = {**event["data"], "supplement_request": request_ids[event["data"]["supplement_request"]]}
            event_ids.append(tables[DossierEvent].add(event, dossier_id))
        for attachment in attachments:
            tables[Attachment].add(attachment, dossier_id)
        for pause in pauses:
            tables[Pause].add(pause, dossier_id)
        for row in sheet:
            tables[ControlSheetEntry].add(row, dossier_id)
        for assessment in assessments:
            tables[FeeAssessment].add(assessment, dossier_id)
        attempt_ids = [tables[PaymentAttempt].add(attempt, dossier_id) for attempt in attempts]
        if apology:
            tables[Apology].add(apology, dossier_id)
        if extension:
            tables[Extension].add(extension, dossier_id)
        for kind, event_index, at, attempt_index in documents:
            source = f"payment:{attempt_ids[attempt_index]}" if attempt_index is not None \
                else f"event:{event_ids[event_index]}"
            basis, number = self.number(kind, agency, at, code or "")
            issuer = events[event_index]["actor_id"] if attempt_index is None else None
            tables[Document].add({
                "kind": kind, "source_key": source, "legal_basis": basis, "number": number,
                "state": DocumentState.READY, "file": SHARED_FILE, "sha256": SHARED_SHA,
                "verify_token": _new_verify_token(), "issued_by_id": issuer, "issued_at": at, "attempts": 1,
                "created_at": at,
            }, dossier_id)


_SPEC_KINDS = (DocumentKind.RECEIPT, DocumentKind.SUPPLEMENT, DocumentKind.REFUSAL, DocumentKind.APOLOGY,
               DocumentKind.STOP, DocumentKind.RESULT, DocumentKind.NOT_ELIGIBLE, DocumentKind.PAYMENT_RECEIPT)


def _pick(rng: random.Random, table: tuple[tuple[int, str], ...]) -> str:
    roll = rng.random() * sum(weight for weight, _name in table)
    for weight, name in table:
        roll -= weight
        if roll < 0:
            return name
    return table[-1][1]


# --- Bulk-load helpers -----------------------------------------------------------------------------


@dataclass
class _Index:
    """A secondary index (or unique constraint) dropped for the load and built again after it."""

    table: str
    name: str
    definition: str  # CREATE [UNIQUE] INDEX … as pg_get_indexdef gives it
    constraint: bool  # backs a UNIQUE constraint of that name: attached to it again after the build
    size: int  # bytes when dropped, to build the biggest first


def _secondary_indexes(cursor, tables: Iterable[str]) -> list[_Index]:  # type: ignore[no-untyped-def]
    """The tables' indexes but their primary keys: plain ones, and those backing a UNIQUE constraint that no
    foreign key relies on (rebuilding a unique index checks the rows once, instead of per row on a
    random key such as a document's verify token)."""
    cursor.execute("""
        SELECT t.relname, i.relname, pg_get_indexdef(i.oid), c.oid IS NOT NULL, pg_relation_size(t.oid)
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
        LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = t.oid AND c.contype = 'u'
            AND c.conname = i.relname AND NOT c.condeferrable
        WHERE t.relname = ANY(%s) AND NOT x.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint o WHERE o.conindid = x.indexrelid
                          AND (c.oid IS NULL OR o.oid <> c.oid))
    """, [list(tables)])
    return [_Index(*row) for row in cursor.fetchall()]


def _index_drop(cursor, index: _Index) -> None:  # type: ignore[no-untyped-def]
    quote = connection.ops.quote_name
    if index.constraint:
        cursor.execute(f"ALTER TABLE {quote(index.table)} DROP CONSTRAINT {quote(index.name)}")
    else:
        cursor.execute(f"DROP INDEX {quote(index.name)}")


def _index_build(cursor, index: _Index) -> None:  # type: ignore[no-untyped-def]
    # A SHARE lock: the table's other indexes build meanwhile on other connections.
    cursor.execute(index.definition)


def _constraint_attach(cursor, index: _Index) -> None:  # type: ignore[no-untyped-def]
    """The UNIQUE constraint takes its rebuilt index over, under its own name, as it was (an ACCESS
    EXCLUSIVE lock for a moment: after every build, on one connection, so no two builders deadlock)."""
    quote = connection.ops.quote_name
    cursor.execute(f"ALTER TABLE {quote(index.table)} ADD CONSTRAINT {quote(index.name)} "
                   f"UNIQUE USING INDEX {quote(index.name)}")


class _Step:
    """One statement for _in_parallel, with what to call it in an error."""

    def __init__(self, label: str, run: Callable[[object], None]) -> None:
        self.label, self.run = label, run


def _statement(sql: str) -> _Step:
    return _Step(sql, lambda cursor: cursor.execute(sql))  # type: ignore[attr-defined]


def _builder(index: _Index) -> _Step:
    return _Step(index.name, lambda cursor: _index_build(cursor, index))


def _in_parallel(steps: list[_Step], connections_wanted: int, *, atomic: bool) -> list[str]:
    """Run the steps on `connections_wanted` connections of their own, in their order; returns the
    errors (each step commits alone, so one failure leaves the others built). `atomic=False` for
    VACUUM, which refuses a transaction."""
    import threading

    from django.db import connections

    failed: list[str] = []
    pending = list(reversed(steps))
    lock = threading.Lock()

    def work() -> None:
        try:
            with connections["default"].cursor() as cursor:
                # Each build is one process; the connections are the parallelism.
                cursor.execute("SET maintenance_work_mem = '256MB'")
                cursor.execute("SET max_parallel_maintenance_workers = 0")
                while True:
                    with lock:
                        if not pending:
                            return
                        step = pending.pop()
                    try:
                        if atomic:
                            with transaction.atomic():
                                step.run(cursor)
                        else:
                            step.run(cursor)
                    except DatabaseError as exc:  # the others go on; reported at the end
                        with lock:
                            failed.append(f"{step.label}: {exc}")
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=work) for _ in range(max(1, connections_wanted))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failed


STRIDE = 10**9  # each worker's block of ids in every table (BigAutoField): never reached by one worker


def _part_run(history: _History, *, all_days: list[date], per_day: list[int], chunk_days: int, superuser: bool,
              say: Callable[[str], None], started: float) -> dict[str, int]:
    """Generate and COPY one worker's part, chunk by chunk; returns the last id written per table."""
    report = history.report
    last_ids: dict[str, int] = {}
    for first in range(0, len(all_days), chunk_days):
        tick = clock.perf_counter()
        for table in history.tables.values():
            table.lines = []
        history.chunk(all_days[first:first + chunk_days], per_day[first:first + chunk_days])
        generated = clock.perf_counter()
        report.seconds["generate"] += generated - tick
        with transaction.atomic(), connection.cursor() as cursor:
            # Generated data written again from scratch if the machine fails: no wait for the WAL flush.
            cursor.execute("SET LOCAL synchronous_commit = off")
            if superuser:
                # The ids are consistent by construction; skip the per-row foreign-key triggers.
                cursor.execute("SET LOCAL session_replication_role = replica")
            for model, table in history.tables.items():
                report.rows[model._meta.label] += table.copy(cursor.cursor)
                last_ids[table.name] = table.next_id - 1
            history.counters_save(cursor)
        report.seconds["copy"] += clock.perf_counter() - generated
        say(f"part {history.part + 1}/{history.parts}: {report.dossiers:,} dossiers "
            f"({clock.perf_counter() - started:.0f} s)")
    return last_ids


def _part_child(history: _History, options: dict, results) -> None:  # type: ignore[no-untyped-def]
    from django.db import connections

    try:
        last_ids = _part_run(history, **options)
        report = history.report
        results.put((history.part, last_ids, report.dossiers, dict(report.rows), dict(report.statuses),
                     dict(report.seconds), None))
    except BaseException as exc:  # reported to the parent, which fails the run
        results.put((history.part, {}, 0, {}, {}, {}, repr(exc)))
    finally:
        connections.close_all()


def generate_history(*, dossiers: int, agencies: int = 200, procedures: int = 50, days: int = 365, seed: int = 16,
                     now: datetime | None = None, append: bool = False, workers: int = 1,
                     progress: Callable[[str], None] | None = None) -> Report:
    """Write `dossiers` dossiers submitted over the `days` days before `now` into PostgreSQL (see the module).

    `workers` processes each write the dossiers of their share of the communes (codes, book numbers and
    receipt numbers are per commune, so they never meet) into their own block of ids. Nothing else may
    write these tables meanwhile. Into an empty history the secondary indexes and the unique constraints
    are dropped first and built again at the end, `workers` at a time, after a VACUUM."""
    import multiprocessing

    from django.db import connections

    say = progress or (lambda message: None)
    started = clock.perf_counter()
    now = now or datetime.now(TZ)
    if workers > 1 and connection.in_atomic_block:
        raise ValueError("Several workers cannot share the caller's transaction.")
    communes, staff, citizens, versions = reference_data(agencies=agencies, procedures=procedures)
    if not private_storage().exists(SHARED_FILE):
        private_storage().save(SHARED_FILE, ContentFile(SHARED_PDF))
    histories = [_History(communes=communes, staff=staff, citizens=citizens, versions=versions, now=now, days=days,
                          seed=seed, part=part, parts=workers) for part in range(workers)]
    if append:
        for history in histories:
            history.counters_load()
    report = Report()
    first_day = (now - timedelta(days=days)).astimezone(TZ).date() + timedelta(days=1)
    all_days = [first_day + timedelta(days=n) for n in range(days)]
    per_day = [dossiers // days + (1 if n < dossiers % days else 0) for n in range(days)]
    chunk_days = max(1, min(days, 20_000 * workers * days // max(dossiers, 1)))
    table_names = [table.name for table in histories[0].tables.values()]
    report.seconds["reference"] = clock.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = cursor.fetchone()[0]
        bases = {name: _sequence_take(cursor, name) for name in table_names}
        # An empty history: drop the secondary indexes and build them once at the end (much faster
        # than maintaining them row by row); kept when appending to a database in use.
        dropped = [] if append else _secondary_indexes(cursor, table_names)
        for index in dropped:
            _index_drop(cursor, index)
    for history in histories:
        for table in history.tables.values():
            table.next_id = bases[table.name] + history.part * STRIDE
    options = {"all_days": all_days, "per_day": per_day, "chunk_days": chunk_days, "superuser": superuser,
               "say": say, "started": started}
    last_ids: dict[str, int] = dict(bases)
    try:
        if workers == 1:
            parts = [(0, _part_run(histories[0], **options), histories[0].report)]
        else:
            connections.close_all()  # each process opens its own connection
            context = multiprocessing.get_context("fork")
            results = context.Queue()
            processes = [context.Process(target=_part_child, args=(history, options, results))
                         for history in histories]
            for process in processes:
                process.start()
            parts = []
            for _ in processes:
                part, ids, count, rows, statuses, seconds, error = results.get()
                if error:
                    raise RuntimeError(f"generate_history worker {part + 1} failed: {error}")
                part_report = Report(count, defaultdict(int, rows), defaultdict(int, statuses),
                                     defaultdict(float, seconds))
                parts.append((part, ids, part_report))
            for process in processes:
                process.join()
        for _part, ids, part_report in parts:
            report.dossiers += part_report.dossiers
            for label, count in part_report.rows.items():
                report.rows[label] += count
            for status, count in part_report.statuses.items():
                report.statuses[status] += count
            for label in ("generate", "copy"):
                report.seconds[label] = max(report.seconds[label], part_report.seconds[label])
            for name, last in ids.items():
                last_ids[name] = max(last_ids[name], last)
        loaded = True
    except BaseException:
        loaded = False
        raise
    finally:
        tick = clock.perf_counter()
        with connection.cursor() as cursor:
            for name, last in last_ids.items():
                _sequence_set(cursor, name, last)
        vacuumed = table_names + ["applications_dossiercodecounter"]
        # Biggest tables first, so the last builds running alone are short ones.
        dropped.sort(key=lambda index: -index.size)
        if connection.in_atomic_block:  # a test's transaction: one connection, no VACUUM
            failed = []
            with connection.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '256MB'")
                for index in dropped:
                    try:
                        with transaction.atomic():
                            _index_build(cursor, index)
                            if index.constraint:
                                _constraint_attach(cursor, index)
                    except DatabaseError as exc:
                        failed.append(f"{index.name}: {exc}")
            report.seconds["indexes"] = clock.perf_counter() - tick
            if loaded:
                with connection.cursor() as cursor:
                    for name in vacuumed:
                        cursor.execute(f"ANALYZE {name}")
        else:
            quote = connection.ops.quote_name
            failed = []
            if loaded:
                # VACUUM sets the visibility map (index-only counts) and the rows' hint bits; before the
                # indexes are built it has only the primary keys to visit, and the builds then read
                # clean pages.
                say("vacuum")
                failed += _in_parallel([_statement(f"VACUUM {quote(name)}") for name in vacuumed], workers,
                                       atomic=False)
                report.seconds["vacuum"] = clock.perf_counter() - tick
            tick = clock.perf_counter()
            say(f"{len(dropped)} indexes")
            failed += _in_parallel([_builder(index) for index in dropped], workers, atomic=True)
            with connection.cursor() as cursor:
                for index in dropped:
                    if index.constraint and not any(error.startswith(f"{index.name}:") for error in failed):
                        _constraint_attach(cursor, index)
            report.seconds["indexes"] = clock.perf_counter() - tick
            if loaded:
                tick = clock.perf_counter()
                failed += _in_parallel([_statement(f"ANALYZE {quote(name)}") for name in vacuumed], workers,
                                       atomic=False)
                report.seconds["vacuum"] += clock.perf_counter() - tick
        if failed:  # a unique index found a duplicate
            raise RuntimeError("Indexes not rebuilt or tables not vacuumed: " + "; ".join(failed))
    report.seconds["total"] = clock.perf_counter() - started
    return report
