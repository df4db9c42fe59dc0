"""No form's answer, error or message tells a persona a canary the rules keep from them, and
no form answers differently for a hidden organization than for one that does not exist.

Every form is reached through the permission matrix's POST rows (the URL configuration's
routes, each with its minimal valid data): each is sent by each persona as the row has it and
empty (to draw out its error messages), and the page it leads to (following redirects, so
that flash messages are read too) is checked for the persona's denied canaries.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from tests.privacy.canaries import PERSONAS, Canary, CanaryWorld, find_leaks
from tests.privacy.conftest import record
from tests.privacy.test_routes import (
    Visit,
    body_of,
    client_of,
    own_tokens,
    without_what_was_typed,
)
from tests.test_permission_matrix import ROWS, organization_data

pytestmark = pytest.mark.django_db

POST_ROWS = [row for row in ROWS if row.method == "POST"]


def post(
    w: CanaryWorld, persona: str, url: str, data: dict, denied: list[Canary]
) -> tuple[int, list[Canary], str]:
    """As ``persona``, in a transaction rolled back after, so that every persona meets the
    same world (a fresh client: a POST may sign its sender out). Returns the canaries the
    persona reads that the rules keep from them, before their action and after it (whoever
    registers for an event may then read its venue; whoever removes a member was told their
    address before), with what they typed taken out."""
    cache.clear()
    client = client_of(w, persona)
    with transaction.atomic():
        response = client.post(url, data, follow=True)
        text = without_what_was_typed(body_of(response), Visit("", url))
        found = find_leaks(text, denied)
        if found:
            found = [canary for canary in found if canary in w.denied_to(persona)]
        transaction.set_rollback(True)
    return response.status_code, found, text


def test_no_form_tells_any_persona_what_the_rules_deny(canary_world):
    w = canary_world
    denied = w.denied()
    stage = w.stage
    leaks: list[str] = []
    for persona in PERSONAS:
        tokens = own_tokens(w, persona)
        for row in POST_ROWS:
            for scope in row.scopes:
                scene = stage.scene(scope)
                kwargs = row.kwargs(stage, scene) if row.kwargs else None
                url = reverse(row.name, kwargs=tokens.get(row.name, kwargs))
                sends = [row.data(stage, scene), {}] if row.data else [{}]
                for sent in sends:
                    status, found, _ = post(w, persona, url, sent, denied[persona])
                    leaks += [
                        f"{persona}: POST {url} ({status}) tells {canary.what} ({canary.token})"
                        for canary in found
                    ]
            record("forms", row.id, persona)
    assert not leaks, "\n".join(leaks)


# The request's own tokens, and a length that follows the typed name's.
TOKENS = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|csrftoken=[^;]*|Content-Length: \d+')


def answer(w: CanaryWorld, persona: str, name: str) -> tuple[int, str]:
    """The new-organization form sent with this name, with what the sender typed and the
    request's own tokens taken out: what is left is what the portal says about the name."""
    data = organization_data(w.stage.own, name=name, website="")
    status, _, text = post(w, persona, reverse("stakeholders:organization_create"), data, [])
    text = TOKENS.sub("", text.replace(name, "NAME"))
    return status, re.sub(r"/organizations/[\w-]+/", "/organizations/SLUG/", text)


@pytest.mark.parametrize("persona", ["registered", "other_member", "member", "focal_point"])
def test_the_new_organization_form_answers_alike_for_hidden_and_unknown_names(
    canary_world, persona
):
    w = canary_world
    unknown = answer(w, persona, "Coastal Fishers Cooperative")
    for organization in w.hidden_organizations:
        assert answer(w, persona, organization.name) == unknown, organization.name
