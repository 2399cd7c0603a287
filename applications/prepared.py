"""Querysets of a fixed shape compiled to SQL once per process, for the citizen's busiest pages.

Django compiles a queryset's SQL on every evaluation: for the short lookups of the citizen's dossier list
and dossier page (one owner, one code, one dossier's events) that compile was most of each query's CPU,
more than PostgreSQL's own work (bench/profile_queue.py). A PreparedQuery builds its queryset once with a
marker value for each argument, lets the ORM compile it, remembers the SQL and where each marker went
among the parameters, and from then on runs that SQL with the caller's values. The rows become model
instances exactly as the ORM makes them (converters, select_related objects, annotations).

Only equality-style lookups of plain values belong here (a pk, a code): the marker must reach the
parameters unchanged, which `_prepare` checks. The SQL depends on the models alone, so it never goes stale
within a process; it is kept per database alias (the read replica router may send a read elsewhere).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]  # not in the stubs
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class _Prepared:
    compiler: SQLCompiler
    sql: str
    params: list[Any]
    slots: list[int | None]  # for each parameter, the argument that replaces it (None: a constant)
    converters: dict
    model: type[Model]
    start: int  # the model's columns among the selected ones
    end: int
    init_list: list[str]
    populators: list  # select_related objects
    annotations: list[tuple[str, int]]


class PreparedQuery(Generic[M]):
    """`PreparedQuery(lambda owner_id: Dossier.objects.filter(owner_id=owner_id), markers=(-1,))(user.pk)`
    gives the list `list(Dossier.objects.filter(owner_id=user.pk))` would, without compiling it again.

    `markers` holds one value per argument of `build`, of the argument's type and distinct from every
    constant of the query (a negative id, a string no code has)."""

    def __init__(self, build: Callable[..., QuerySet[M]], markers: tuple[Any, ...]):
        self.build = build
        self.markers = markers
        self._prepared: dict[str, _Prepared] = {}
        self._model_cls: type[Model] | None = None

    def _prepare(self, db: str) -> _Prepared:
        queryset = self.build(*self.markers)
        if queryset._known_related_objects or queryset._prefetch_related_lookups:  # type: ignore[attr-defined]
            raise ValueError("PreparedQuery: querysets of a related manager or with prefetching are not supported")
        compiler = queryset.query.get_compiler(using=db)
        sql, params = compiler.as_sql()  # also fills compiler.select and klass_info
        slots = [next((i for i, marker in enumerate(self.markers)
                       if type(param) is type(marker) and param == marker), None) for param in params]
        missing = set(range(len(self.markers))) - set(slots)
        if missing:
            raise ValueError(f"PreparedQuery: argument(s) {sorted(missing)} did not reach the SQL parameters as "
                             "given (a lookup that transforms its value cannot be prepared)")
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        if compiler.has_extra_select or compiler.has_composite_fields(fields):
            raise ValueError("PreparedQuery: extra selected columns and composite keys are not supported")
        # What ModelIterable and compiler.results_iter() work out on every evaluation, worked out once.
        klass_info, select = compiler.klass_info, compiler.select
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return _Prepared(
            compiler=compiler, sql=sql, params=list(params), slots=slots, converters=compiler.get_converters(fields),
            model=klass_info["model"], start=start, end=end,
            init_list=[column[0].target.attname for column in select[start:end]],
            populators=get_related_populators(klass_info, select, db),
            annotations=list((compiler.annotation_col_map or {}).items()),
        )

    def __call__(self, *args: Any) -> list[M]:
        if len(args) != len(self.markers):
            raise TypeError(f"expected {len(self.markers)} argument(s), got {len(args)}")
        db = router.db_for_read(self._model())
        prepared = self._prepared.get(db)
        if prepared is None:
            prepared = self._prepared[db] = self._prepare(db)
        values = [param if slot is None else args[slot]
                  for param, slot in zip(prepared.params, prepared.slots, strict=True)]
        connection = connections[db]  # this thread's: the compiler holds the one that prepared it
        with connection.cursor() as cursor:
            cursor.execute(prepared.sql, values)
            rows = cursor.fetchall()
        if prepared.converters:  # as compiler.apply_converters, with this thread's connection
            converters = list(prepared.converters.items())
            rows = [list(row) for row in rows]
            for row in rows:
                for position, (functions, expression) in converters:
                    value = row[position]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[position] = value
        # The rest of what django.db.models.query.ModelIterable does with each row.
        model, start, end, init_list = prepared.model, prepared.start, prepared.end, prepared.init_list
        objects: list[Any] = []
        for row in rows:
            obj = model.from_db(db, init_list, row[start:end])
            for populator in prepared.populators:
                populator.populate(row, obj)
            for name, position in prepared.annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects

    def _model(self) -> type[Model]:
        model = self._model_cls
        if model is None:
            model = self._model_cls = self.build(*self.markers).model
        return model
