"""Countries whose name, in the reader's language, holds the words searched: among the
countries with an initiative the reader may see."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.utils.translation import gettext as _

from common.search import SHOWN, Result, ResultGroup

from .models import Initiative


def _folded(text: str) -> str:
    """Without case or accents: "angola" finds "Angola", "mexico" finds "México"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def search_for(user: Any, terms: str) -> list[ResultGroup]:
    wanted = _folded(terms)
    countries = {
        initiative.country.pk: initiative.country
        for initiative in Initiative.objects.visible_to(user).select_related("country")
        if wanted in _folded(str(initiative.country.name))
    }
    found = sorted(countries.values(), key=lambda country: str(country.name))
    if not found:
        return []
    return [
        ResultGroup(
            _("Countries"),
            len(found),
            [Result(str(country.name), country.get_absolute_url()) for country in found[:SHOWN]],
        )
    ]
