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
from typing import Any, Generic, TypeVar

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]  # not in the stubs
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=Model)


class PreparedQuery(Generic[M]):
    """`PreparedQuery(lambda owner_id: Dossier.objects.filter(owner_id=owner_id), markers=(-1,))(user.pk)`
    gives the list `list(Dossier.objects.filter(owner_id=user.pk))` would, without compiling it again.

    `markers` holds one value per argument of `build`, of the argument's type and distinct from every
    constant of the query (a negative id, a string no code has)."""

    def __init__(self, build: Callable[..., QuerySet[M]], markers: tuple[Any, ...]):
        self.build = build
        self.markers = markers
        self._prepared: dict[str, tuple[SQLCompiler, str, list[Any], list[int | None]]] = {}
        self._model_cls: type[Model] | None = None

    def _prepare(self, db: str) -> tuple[SQLCompiler, str, list[Any], list[int | None]]:
        queryset = self.build(*self.markers)
        compiler = queryset.query.get_compiler(using=db)
        sql, params = compiler.as_sql()  # also sets compiler.select and klass_info, read by __call__
        slots = [next((i for i, marker in enumerate(self.markers)
                       if type(param) is type(marker) and param == marker), None) for param in params]
        missing = set(range(len(self.markers))) - set(slots)
        if missing:
            raise ValueError(f"PreparedQuery: argument(s) {sorted(missing)} did not reach the SQL parameters as "
                             "given (a lookup that transforms its value cannot be prepared)")
        if queryset._known_related_objects or queryset._prefetch_related_lookups:  # type: ignore[attr-defined]
            raise ValueError("PreparedQuery: querysets of a related manager or with prefetching are not supported")
        return compiler, sql, list(params), slots

    def __call__(self, *args: Any) -> list[M]:
        if len(args) != len(self.markers):
            raise TypeError(f"expected {len(self.markers)} argument(s), got {len(args)}")
        db = router.db_for_read(self._model())
        prepared = self._prepared.get(db)
        if prepared is None:
            prepared = self._prepared[db] = self._prepare(db)
        compiler, sql, params, slots = prepared
        values = [param if slot is None else args[slot] for param, slot in zip(params, slots, strict=True)]
        with connections[db].cursor() as cursor:
            cursor.execute(sql, values)
            rows = cursor.fetchall()
        # What django.db.models.query.ModelIterable does with the rows of a compiled query.
        klass_info, select = compiler.klass_info, compiler.select
        model_cls = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, db)
        annotations = compiler.annotation_col_map
        objects = []
        for row in compiler.results_iter([rows]):
            obj = model_cls.from_db(db, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in (annotations or {}).items():
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects

    def _model(self) -> type[Model]:
        model = self._model_cls
        if model is None:
            model = self._model_cls = self.build(*self.markers).model
        return model
