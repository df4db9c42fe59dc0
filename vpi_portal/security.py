"""Answer addresses that cannot name anything before any view looks them up."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest


class RejectNullBytesMiddleware:
    """Answer 400 to an address with a null byte in it (``/countries/k%00e/``). Such an
    address names nothing, and PostgreSQL refuses the byte in any text it is asked to
    compare: without this, every view that looks up a part of the address (a country code,
    a calendar token) would answer with a server error. Form fields refuse it on their own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return HttpResponseBadRequest("Bad request.")
        return self.get_response(request)
