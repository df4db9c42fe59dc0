"""Texts that CSU staff may give in several languages (django-modeltranslation).

Each field gets a column per language (``title_en``, ``title_es``...); reading ``title``
gives the reader's language, else the first language that has a text.
"""

from typing import Any

from modeltranslation.settings import AVAILABLE_LANGUAGES as LANGUAGES
from modeltranslation.translator import TranslationOptions, register
from modeltranslation.utils import build_localized_fieldname

from .models import Milestone, Priority


@register(Priority)
class PriorityTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(Milestone)
class MilestoneTranslationOptions(TranslationOptions):
    fields = ("title",)


def translations_of(obj: Any, *fields: str) -> dict[str, Any]:
    """Every language's text of these fields (``{"title_en": ..., "title_es": ...}``), so
    that a copy (a roadmap revision) keeps the translations staff entered."""
    return {
        name: getattr(obj, name)
        for field in fields
        for name in (build_localized_fieldname(field, language) for language in LANGUAGES)
    }
