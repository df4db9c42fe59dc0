"""No page, download, export or feed shows a persona a canary the rules keep from them.

The routes are read from the URL configuration; the objects each route points to are the
permission matrix's (tests/test_permission_matrix.py), for a Kenyan and a Pakistani scene,
and also the hidden organizations and events of the canary world. A route without a way to
build its URL fails ``test_every_route_is_walked``, so a new page is covered as soon as it
has its row in the policy table.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse

from events.services import calendar_feed_for
from notifications.services import unsubscribe_token
from stakeholders.models import Invitation
from stakeholders.services import invitation_token
from tests.privacy.canaries import PERSONAS, CanaryWorld, find_leaks, unfold
from tests.privacy.conftest import record
from tests.test_permission_matrix import ROWS, project_routes

pytestmark = pytest.mark.django_db

# Searches and filters a reader can type, aimed at the hidden organizations and events by the
# words of their names that are not canaries (a result would show the canary beside them).
QUERIES: dict[str, list[dict[str, str]]] = {
    "stakeholders:organization_list": [
        {"q": "Migrant Support"},
        {"q": "Coast Watch"},
        {"q": "Lake Traders"},
        {"q": "canaryorghidden"},
    ],
    "events:list": [{"when": "past"}, {"q": "roundtable"}],
    "stakeholders:vetting_queue": [{"status": "rejected"}, {"q": "Coast Watch"}],
    "audit:log": [{"q": "Canary"}],
    # Words of the canary world's hidden names and titles that are not canaries themselves.
    "search": [
        {"q": "Migrant Support"},
        {"q": "Coast Watch"},
        {"q": "Lake Traders"},
        {"q": "shelter standards"},
        {"q": "draft law review"},
        {"q": "roundtable survivors"},
        {"q": "alliance meeting"},
        {"q": "victim support"},
        {"q": "shelters funded"},
        {"q": "smuggling routes"},
        {"q": "border referrals"},
        {"q": "referral group"},
        {"q": "navy rescue"},
    ],
}


@dataclass(frozen=True)
class Visit:
    route: str
    url: str
    typed: tuple[str, ...] = ()  # what the reader typed: echoing it back is not a leak


def kwargs_by_route() -> dict[str, Any]:
    """How the policy table builds each route's URL (any of its rows: a route whose rows
    are all POST is still asked for with GET)."""
    known: dict[str, Any] = {}
    for row in ROWS:
        known.setdefault(row.name, row)
    return known


def own_tokens(w: CanaryWorld, persona: str) -> dict[str, dict[str, str]]:
    """A link with a token is sent to one person: each persona follows its own (a visitor,
    an invitation to an address without an account; a made-up token for the others)."""
    person = w.people[persona]
    if not person.is_authenticated:
        invitation = Invitation.objects.create(
            organization=w.stage.own.organization, email="newcomer@example.org"
        )
        return {
            "events:feed": {"token": "not-a-token"},
            "notifications:unsubscribe": {"token": "not-a-token"},
            "stakeholders:invitation_accept": {"token": invitation_token(invitation)},
        }
    invitation = Invitation.objects.create(
        organization=w.stage.own.organization, email=person.email
    )
    return {
        "events:feed": {"token": calendar_feed_for(person).token},
        "notifications:unsubscribe": {
            "token": unsubscribe_token(user_id=person.pk, category="digests")
        },
        "stakeholders:invitation_accept": {"token": invitation_token(invitation)},
    }


def visits(w: CanaryWorld, persona: str) -> list[Visit]:
    stage = w.stage
    rows = kwargs_by_route()
    tokens = own_tokens(w, persona)
    found: list[Visit] = []
    for name in sorted(project_routes()):
        if name in tokens:
            found.append(Visit(name, reverse(name, kwargs=tokens[name])))
            continue
        row = rows.get(name)
        if row is None:
            if name.startswith("admin:"):
                # An object's page in the admin is for staff only, who may read every canary.
                with contextlib.suppress(NoReverseMatch):
                    found.append(Visit(name, reverse(name)))
                continue
            raise AssertionError(f"{name}: no way to build its URL (add its policy-table row)")
        kwarg_sets = [
            row.kwargs(stage, stage.scene(scope)) if row.kwargs else None for scope in row.scopes
        ]
        for kwargs in list(kwarg_sets):
            kwarg_sets.extend(variants(w, name, kwargs))
        for kwargs in kwarg_sets:
            url = reverse(name, kwargs=kwargs)
            found.append(Visit(name, url))
            for query in QUERIES.get(name, []):
                found.append(Visit(name, f"{url}?{urlencode(query)}", tuple(query.values())))
    return found


def variants(w: CanaryWorld, name: str, kwargs: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The same route pointed at the canary world's hidden objects."""
    if not kwargs:
        return []
    own = w.stage.own
    more = []
    if kwargs.get("slug") == own.organization.slug:
        more += [{**kwargs, "slug": org.slug} for org in w.hidden_organizations]
    if name.startswith("events:") and kwargs.get("pk") == own.event.pk:
        more += [{**kwargs, "pk": event.pk} for event in w.hidden_events]
    if name.startswith("groups:") and kwargs.get("pk") == own.group.pk:
        more += [{**kwargs, "pk": group.pk} for group in w.hidden_groups]
    if name == "groups:proposal" and kwargs.get("pk") == own.proposal.pk:
        more += [
            {**kwargs, "pk": proposal.pk}
            for group in w.hidden_groups
            for thread in group.threads.all()
            for proposal in thread.proposals.all()
        ]
    if name.startswith("groups:") and kwargs.get("pk") == own.thread.pk:
        more += [
            {**kwargs, "pk": thread.pk}
            for group in w.hidden_groups
            for thread in group.threads.all()
        ]
    return more


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    headers = "\n".join(f"{key}: {value}" for key, value in response.headers.items())
    return unfold(headers + "\n" + content.decode("utf-8", errors="replace"))


def without_what_was_typed(text: str, visit: Visit) -> str:
    for typed in (visit.url, quote(visit.url), quote(visit.url, safe=""), *visit.typed):
        text = text.replace(typed, "")
    return text


def client_of(w: CanaryWorld, persona: str) -> Client:
    client = Client()
    person = w.people[persona]
    if person.is_authenticated:
        client.force_login(person)
    return client


def test_every_route_is_walked(canary_world):
    walked = {visit.route for visit in visits(canary_world, "registered")}
    missing = {name for name in project_routes() if not name.startswith("admin:")} - walked
    assert not missing


def test_the_harness_sees_a_canary_in_a_page():
    """The check itself: a canary in a page, in any case, in a folded calendar line."""
    from tests.privacy.canaries import Canary

    canary = Canary("CanaryOrgHidden", "a test", lambda user: False)
    assert find_leaks("<td>canaryorghidden-network</td>", [canary]) == [canary]
    assert find_leaks(unfold("LOCATION:Canary\r\n OrgHidden"), [canary]) == [canary]
    assert find_leaks("Coast Watch", [canary]) == []


def test_no_route_shows_any_persona_what_the_rules_deny(canary_world):
    """Every route, as each persona. Also every canary must be read somewhere by someone
    the rules let read it: a canary that no page shows proves nothing."""
    w = canary_world
    denied = w.denied()
    assert all(denied[persona] for persona in PERSONAS if persona != "staff")
    leaks: list[str] = []
    read: set[str] = set()
    for persona in PERSONAS:
        client = client_of(w, persona)
        for visit in visits(w, persona):
            cache.clear()
            with transaction.atomic():
                response = client.get(visit.url)
                text = without_what_was_typed(body_of(response), visit)
                transaction.set_rollback(True)
            record("routes", visit.route, persona)
            found = find_leaks(text, w.canaries)
            read |= {canary.token for canary in found if canary not in denied[persona]}
            leaks += [
                f"{persona}: {visit.url} ({response.status_code}) shows {canary.what} "
                f"({canary.token})"
                for canary in found
                if canary in denied[persona]
            ]
    assert not leaks, "\n".join(leaks)
    unread = [c.token for c in w.canaries if c.token not in read]
    assert not unread, "canaries that no page shows even to those who may read them"
