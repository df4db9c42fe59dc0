""" "My work": each person lands on what waits for them by their roles, with a count and a
link to each thing, and never on what belongs to another country or another person."""

from __future__ import annotations

import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.models import Preferences
from roadmaps.models import Verdict
from tests.events.factories import EventFactory, RegistrationFactory
from tests.roadmaps.factories import (
    AssessmentFactory,
    CommentFactory,
    MilestoneUpdateFactory,
)
from tests.stakeholders.factories import PASSWORD
from tests.support.scenes import build_scene

pytestmark = pytest.mark.django_db

URL = "/my-work/"


@pytest.fixture
def scenes(world):
    return build_scene(world, own=True), build_scene(world, own=False)


def sections(content: str) -> dict[str, str]:
    """Each card of the page: its title, and what follows it up to the next card."""
    found = {}
    for part in content.split('<h2 id="work-')[1:]:
        title = part.split("<span>", 1)[1].split("</span>", 1)[0]
        found[html.unescape(title)] = part
    return found


def test_signing_in_lands_on_my_work(world, client):
    response = client.post(
        reverse("account_login"), {"login": world["org_admin"].email, "password": PASSWORD}
    )
    assert response.url == URL


def test_the_focal_point_finds_what_awaits_a_response(client_for, world, scenes):
    own, other = scenes
    dispute = AssessmentFactory(
        update=own.update, organization=own.organization, verdict=Verdict.DISPUTES
    )
    content = client_for("focal_point").get(URL).content.decode()
    shown = sections(content)
    comments = shown["Comments awaiting your response"]
    assert own.comment.get_absolute_url() in comments
    assert other.comment.get_absolute_url() not in comments
    assessments = shown["Assessments of progress awaiting your response"]
    assert dispute.update.get_absolute_url() in assessments
    assert "Disputes" in assessments
    assert "Confirms" not in assessments  # a confirmation needs no answer
    inputs = shown["Consultation inputs awaiting your response"]
    assert own.consultation_input.get_absolute_url() in inputs
    assert "Organizations to vet" not in shown


def test_the_coordinator_finds_membership_requests(client_for, scenes):
    own, _other = scenes
    shown = sections(client_for("coordinator").get(URL).content.decode())
    requests = shown["Membership requests to decide"]
    assert own.request.organization.name in requests
    assert reverse("stakeholders:alliance_requests", args=[own.code]) in requests
    assert "Comments awaiting your response" not in shown


def test_csu_staff_see_every_country(client_for, scenes):
    own, other = scenes
    shown = sections(client_for("staff").get(URL).content.decode())
    assert own.pending_organization.name in shown["Organizations to vet"]
    comments = shown["Comments awaiting your response"]
    assert own.comment.get_absolute_url() in comments
    assert other.comment.get_absolute_url() in comments


def test_an_organization_sees_the_consultations_that_ask_it(client_for, world, scenes):
    own, _other = scenes
    # Its organization has answered the scene's consultation: another one still asks.
    from tests.consultations.factories import ConsultationFactory

    asking = ConsultationFactory(initiative=own.initiative, title="Self-assessment, article 25")
    shown = sections(client_for("org_admin").get(URL).content.decode())
    consultations = shown["Consultations asking for your organization's input"]
    assert asking.get_absolute_url() in consultations
    assert own.consultation.get_absolute_url() not in consultations


def test_events_to_minute_and_events_coming(client_for, world, scenes):
    own, _other = scenes
    held = EventFactory(
        initiative=own.initiative,
        title="Dialogue on referral",
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3) + datetime.timedelta(hours=2),
    )
    held.organizers.add(world["focal_point"])
    shown = sections(client_for("focal_point").get(URL).content.decode())
    assert reverse("events:outcome", args=[held.pk]) in shown["Events to minute"]
    mine = sections(client_for("registered").get(URL).content.decode())
    assert own.event.get_absolute_url() in mine["Your events in the coming month"]


def test_what_is_new_in_followed_countries_is_what_the_reader_may_see(client_for, world, scenes):
    own, _other = scenes
    Preferences.objects.create(user=world["registered"]).countries.add(own.country)
    update = MilestoneUpdateFactory(milestone=own.milestone, author=world["focal_point"])
    open_event = EventFactory(initiative=own.initiative, title="Open forum", visibility="public")
    closed = EventFactory(initiative=own.initiative, title="Alliance only", visibility="alliance")
    shown = sections(client_for("registered").get(URL).content.decode())
    assert update.get_absolute_url() in shown["New progress in the countries you follow"]
    events = shown["New events in the countries you follow"]
    assert open_event.get_absolute_url() in events
    assert closed.get_absolute_url() not in events


def test_nothing_waiting_says_so(client, db):
    from tests.stakeholders.factories import UserFactory

    client.force_login(UserFactory())
    assert "Nothing waits for you now." in client.get(URL).content.decode()


@pytest.mark.parametrize("persona", ["focal_point", "coordinator", "org_admin", "staff"])
def test_the_page_runs_a_fixed_number_of_queries(client_for, world, scenes, persona):
    own, _other = scenes
    client = client_for(persona)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    for n in range(6):
        CommentFactory(roadmap=own.adopted, milestone=own.milestone, body=f"More {n}")
        AssessmentFactory(update=own.update, organization=own.organization)
        RegistrationFactory(event=own.event)
    with CaptureQueriesContext(connection) as large:
        client.get(URL)
    assert len(large) == len(small)
    # Six apps say what waits: a count for each kind of work, and the rows of those that have
    # some (the working groups added six kinds).
    assert len(small) <= 32
