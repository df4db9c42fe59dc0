"""One search across the portal, each result among what the reader may see, in the
reader's language (PostgreSQL's stemming for it; substrings on SQLite)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stakeholders.models import OrganizationVisibility
from tests.consultations.factories import ConsultationFactory
from tests.events.factories import EventFactory
from tests.roadmaps.factories import AdoptedRoadmapFactory, MilestoneFactory, PriorityFactory
from tests.stakeholders.factories import OrganizationFactory
from tests.support.scenes import in_days

pytestmark = pytest.mark.django_db

URL = "/search/"


@pytest.fixture
def content(world):
    roadmap = AdoptedRoadmapFactory(initiative=world.kenya_initiative)
    priority = PriorityFactory(roadmap=roadmap)
    milestone = MilestoneFactory(priority=priority, title="Open two shelters for victims")
    event = EventFactory(initiative=world.kenya_initiative, title="Forum on shelters")
    hidden_event = EventFactory(
        initiative=world.kenya_initiative, title="Shelters roundtable", visibility="alliance"
    )
    org = OrganizationFactory(country=world.kenya, name="Safe Shelters Network")
    hidden_org = OrganizationFactory(
        country=world.kenya, name="Quiet Shelters Group", visibility=OrganizationVisibility.ALLIANCE
    )
    consultation = ConsultationFactory(
        initiative=world.kenya_initiative, title="Standards for shelters"
    )
    public = ConsultationFactory(
        initiative=world.kenya_initiative,
        title="Shelters funding: public record",
        deadline=in_days(-1),
        public_record=True,
    )
    return {
        "milestone": milestone,
        "event": event,
        "hidden_event": hidden_event,
        "org": org,
        "hidden_org": hidden_org,
        "consultation": consultation,
        "public": public,
    }


def search(client, q: str) -> str:
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_a_visitor_finds_what_is_public_and_nothing_else(client_for, world, content):
    page = search(client_for("visitor"), "shelters")
    assert content["milestone"].get_absolute_url() in page
    assert content["event"].get_absolute_url() in page
    assert content["org"].get_absolute_url() in page
    assert reverse("consultations:summary", args=[content["public"].pk]) in page
    for hidden in ("hidden_event", "hidden_org", "consultation"):
        assert content[hidden].get_absolute_url() not in page
    assert "Quiet Shelters Group" not in page
    assert "Shelters roundtable" not in page


def test_an_alliance_member_also_finds_what_the_alliance_sees(client_for, world, content):
    page = search(client_for("org_admin"), "shelters")
    assert content["hidden_event"].get_absolute_url() in page
    assert content["consultation"].get_absolute_url() in page


def test_countries_by_their_name_in_the_readers_language(client_for, world, content):
    assert 'href="/countries/ke/"' in search(client_for("visitor"), "keny")
    client = client_for("visitor")
    client.cookies["django_language"] = "es"
    page = client.get(URL, {"q": "kenia"}, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert 'href="/countries/ke/"' in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming is PostgreSQL's")
def test_words_are_found_by_their_stem(client_for, world, content):
    page = search(client_for("visitor"), "shelter")  # "shelters" in the titles
    assert content["milestone"].get_absolute_url() in page


def test_empty_and_hostile_searches(client_for, world, content):
    client = client_for("visitor")
    assert "result" not in search(client, "   ")
    assert "Nothing matches these words" in search(client, "zzzyyyxxx")
    for q in ('"', "a & b | !c", "<script>alert(1)</script>", "x" * 5000, "'; DROP TABLE --"):
        page = search(client, q)
        assert "<script>alert(1)" not in page


@pytest.mark.parametrize("persona", ["visitor", "org_admin", "staff"])
def test_the_page_runs_a_fixed_number_of_queries(client_for, world, content, persona):
    client = client_for(persona)
    client.get(URL, {"q": "shelters"})
    with CaptureQueriesContext(connection) as small:
        client.get(URL, {"q": "shelters"})
    for n in range(12):
        MilestoneFactory(priority=content["milestone"].priority, title=f"Shelters {n}")
        EventFactory(initiative=world.kenya_initiative, title=f"Shelters meeting {n}")
    with CaptureQueriesContext(connection) as large:
        client.get(URL, {"q": "shelters"})
    assert len(large) <= len(small) + 2  # the counts of the groups that now have more
    assert len(large) <= 20
