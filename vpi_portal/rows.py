"""One row by its primary key, read with a plain query.

A queryset's ``get()`` compiles its SQL anew on every call, and for a model with many
columns (an event has 35, with its translations) that costs the process several times what
the database takes to answer. The hottest paths read one row by key on every request: the
signed-in person (the authentication backend) and the event being registered for (under a
lock). ``load_row`` asks the same question with SQL built once per model, and turns the row
into an instance the way the ORM does: every concrete column, each value through the
field's converters, ``Model.from_db``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

from django.db import connections, router
from django.db.models import Model

M = TypeVar("M", bound=Model)


@cache
def _statement(
    model: type[Model], alias: str, lock: bool
) -> tuple[str, list[str], list[tuple[int, list[Callable], Any]]]:
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = model._meta
    fields = meta.concrete_fields
    sql = (
        f"SELECT {', '.join(quote(field.column) for field in fields)}"  # noqa: S608 (no input)
        f" FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = %s"
    )
    if lock and connection.features.has_select_for_update:  # SQLite locks the whole file
        sql += " FOR UPDATE"
    converters = []
    for index, field in enumerate(fields):
        column = field.get_col(meta.db_table)
        found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        if found:
            converters.append((index, found, column))
    return sql, [field.attname for field in fields], converters


def load_row(model: type[M], pk: Any, *, lock: bool = False) -> M | None:
    """The instance of ``model`` with primary key ``pk`` (a value the key's field accepts),
    or None. With ``lock``, the row is locked (``SELECT ... FOR UPDATE``) until the
    transaction ends: call it inside one."""
    alias = router.db_for_write(model) if lock else router.db_for_read(model)
    connection = connections[alias]
    sql, names, converters = _statement(model, alias, lock)
    with connection.cursor() as cursor:
        cursor.execute(sql, [model._meta.pk.get_db_prep_value(pk, connection)])
        row = cursor.fetchone()
    if row is None:
        return None
    if converters:
        row = list(row)
        for index, functions, column in converters:
            for function in functions:
                row[index] = function(row[index], column, connection)
    return model.from_db(alias, names, row)
