"""The table of sessions, found through the session engine in settings, as Django's
``clearsessions`` finds it: deletion ends a person's sessions and retention removes the
expired ones, without this app depending on where the engine keeps its model."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession


def session_model() -> type[AbstractBaseSession]:
    return import_module(settings.SESSION_ENGINE).SessionStore.get_model_class()
