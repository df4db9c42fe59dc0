"""Data shown to everyone in their own language (django-modeltranslation).

Theme names are data, not interface strings: each gets a column per language
(``name_en``, ``name_es``...); reading ``name`` gives the reader's language, else the first
language that has a text (countries/translation.py).
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Theme


@register(Theme)
class ThemeTranslationOptions(TranslationOptions):
    fields = ("name",)
