"""Database lookups that make the ORM answer like the database would.

Django already treats an integer too large for a column as "no match" in ``exact``, ``lt``
and the like, but not in ``in``: ``Theme.objects.filter(pk__in=[10**20])`` raises an
OverflowError on SQLite, and model multiple-choice form fields build exactly that query from
whatever was posted (a crafted form then answers with a server error). An id outside the
column's range can match no row, so it is dropped from the list.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.lookups import In


class IntegerFieldIn(In):
    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    models.IntegerField.register_lookup(IntegerFieldIn)
