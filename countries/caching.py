"""A version for what the pages show of the countries and their initiatives, bumped when an
initiative or a country changes: a fragment cached under it (the home page's list of
initiatives) is out of date as soon as either does."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import cache

VERSION_KEY = "countries:version"


def initiatives_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, timeout=None)
    return str(cache.get(VERSION_KEY) or version)


def bump_initiatives_version(**kwargs: Any) -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
