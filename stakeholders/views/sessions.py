"""A session's end, met gently: the warning's "stay signed in", and a form that was sent
after its session ended, offered again to the same person once signed in
(stakeholders.two_factor.SessionTimeoutMiddleware keeps it)."""

from __future__ import annotations

import time

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.text import capfirst
from django.views.decorators.http import require_POST

from ..two_factor import KEPT_FORM, idle_limit

# A kept form is offered for this long after the session ended.
KEPT_FORM_HOURS = 24


@require_POST
@login_required
def session_keepalive(request: HttpRequest) -> HttpResponse:
    """The person is still at work on a page: count this as a request, and say how long the
    session now lasts without another one."""
    request.session["seen_at"] = int(time.time())
    return HttpResponse(str(idle_limit(request)), content_type="text/plain")


@login_required
def resume_form(request: HttpRequest) -> HttpResponse:
    """What the person was sending when their session ended, to send again or to drop."""
    # Offered once: the page itself holds the fields from here on.
    kept = request.session.pop(KEPT_FORM, None)
    fresh = (
        isinstance(kept, dict)
        and kept.get("user") == request.user.pk
        and time.time() - kept.get("at", 0) < KEPT_FORM_HOURS * 3600
    )
    if not fresh or not _is_portal_path(kept.get("path", "")):
        # Another person's, or too old: it is not shown, and it is dropped.
        return redirect("home")
    fields = [(key, value) for key, values in kept["data"].items() for value in values]
    shown = [
        (capfirst(key.replace("_", " ").replace("-", " ")), value)
        for key, value in fields
        if value.strip() and not key.endswith(("TOTAL_FORMS", "INITIAL_FORMS", "_FORMS"))
    ]
    return render(
        request,
        "stakeholders/sessions/resume_form.html",
        {"kept": kept, "fields": fields, "shown": shown},
    )


def _is_portal_path(path: str) -> bool:
    if not isinstance(path, str) or not path.startswith("/") or path.startswith("//"):
        return False
    try:
        resolve(path)
    except Resolver404:
        return False
    return True
