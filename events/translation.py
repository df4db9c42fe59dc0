"""Texts that CSU staff may give in several languages (django-modeltranslation).

Each field gets a column per language (``title_en``, ``title_es``...); reading ``title``
gives the reader's language, else the first language that has a text.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Event


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = ("title", "description")
