"""The one guard of the views: ``require_perm(request, "app.perm", obj)``.

A view first finds the object among those the person may see (a 404 otherwise, so that a
hidden object does not exist for them), then asks the rules whether the person may do
what the view does with it: if not, 403. The rules themselves live in each app's
``rules.py``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def require_perm(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
