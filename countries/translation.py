"""Texts that CSU staff may give in several languages (django-modeltranslation).

Each field gets a column per language (``summary_en``, ``summary_es``...); reading
``summary`` gives the reader's language, else the first language that has a text.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Initiative


@register(Initiative)
class InitiativeTranslationOptions(TranslationOptions):
    fields = ("summary",)
