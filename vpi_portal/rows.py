"""Rows read with plain queries and turned into instances the way the ORM does.

A queryset's ``get()`` compiles its SQL anew on every call, and for a model with many
columns (an event has 35, with its translations) that costs the process several times what
the database takes to answer. The hottest path reads one row by key on every request: the
signed-in person (with the session, vpi_portal/sessions.py). It is asked with SQL built
once per model, and the row is turned into an instance the way the ORM does: every
concrete column, each value through the field's converters, ``Model.from_db``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, NamedTuple, TypeVar

from django.db import connections, router
from django.db.models import Model

M = TypeVar("M", bound=Model)


class RowShape(NamedTuple):
    """How a model's rows are read: its concrete columns in order, the attributes they
    fill, and the converters of the columns that have any (by position)."""

    columns: tuple[str, ...]  # quoted
    names: list[str]
    converters: list[tuple[int, list[Callable], Any]]


@cache
def row_shape(model: type[Model], alias: str) -> RowShape:
    connection = connections[alias]
    meta = model._meta
    fields = meta.concrete_fields
    converters = []
    for index, field in enumerate(fields):
        column = field.get_col(meta.db_table)
        found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        if found:
            converters.append((index, found, column))
    return RowShape(
        tuple(connection.ops.quote_name(field.column) for field in fields),
        [field.attname for field in fields],
        converters,
    )


def instance_from_row(model: type[M], alias: str, row: Sequence[Any]) -> M:
    """The instance of ``model`` for ``row``, the values of its ``row_shape`` columns."""
    shape = row_shape(model, alias)
    if shape.converters:
        row = list(row)
        connection = connections[alias]
        for index, functions, column in shape.converters:
            for function in functions:
                row[index] = function(row[index], column, connection)
    return model.from_db(alias, shape.names, row)


@cache
def _statement(model: type[Model], alias: str, lock: bool) -> str:
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = model._meta
    sql = (
        f"SELECT {', '.join(row_shape(model, alias).columns)}"  # noqa: S608 (no input)
        f" FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = %s"
    )
    if lock and connection.features.has_select_for_update:  # SQLite locks the whole file
        sql += " FOR UPDATE"
    return sql


def load_row(model: type[M], pk: Any, *, lock: bool = False) -> M | None:
    """The instance of ``model`` with primary key ``pk`` (a value the key's field accepts),
    or None. With ``lock``, the row is locked (``SELECT ... FOR UPDATE``) until the
    transaction ends: call it inside one."""
    alias = router.db_for_write(model) if lock else router.db_for_read(model)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(
            _statement(model, alias, lock), [model._meta.pk.get_db_prep_value(pk, connection)]
        )
        row = cursor.fetchone()
    return None if row is None else instance_from_row(model, alias, row)
