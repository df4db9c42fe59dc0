"""A version for what the pages show of the countries and their initiatives, bumped when an
initiative or a country changes: a fragment cached under it (the home page's list of
initiatives) is out of date as soon as either does."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import cache

VERSION_KEY = "countries:version"


def initiatives_version() -> str:
    return str(cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None))


def bump_initiatives_version(**kwargs: Any) -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
