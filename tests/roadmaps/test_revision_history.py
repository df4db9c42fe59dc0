"""A milestone carried into a revision keeps one history: its page, the open data and the
digest read the reports made on it in the earlier versions."""

import pytest
from django.core import mail

from digests.services import digest_chunks, digests_build
from notifications.models import Preferences
from roadmaps import services
from roadmaps.models import Milestone, Verdict
from tests.roadmaps.factories import (
    AdoptedRoadmapFactory,
    AssessmentFactory,
    MilestoneFactory,
    PriorityFactory,
    agreed,
    in_days,
)
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def revised(world):
    """Kenya's version 1 with a report at 60 % and a dispute of it, then version 2 adopted
    the same week."""
    focal = world["focal_point"]
    adopted = AdoptedRoadmapFactory(initiative=world.kenya_initiative)
    first = MilestoneFactory(
        priority=PriorityFactory(roadmap=adopted), title="Shelter standards adopted"
    )
    update = services.milestone_report_progress(
        milestone=first,
        actor=focal,
        status="in_progress",
        progress=60,
        narrative="The standards passed the cabinet.",
    )
    AssessmentFactory(update=update, verdict=Verdict.DISPUTES)
    revision = services.roadmap_start_revision(roadmap=adopted, actor=focal)
    services.roadmap_open_consultation(roadmap=revision, actor=focal, closes_on=in_days(14))
    agreed(revision, world["coordinator"])
    services.roadmap_adopt(roadmap=revision, actor=focal)
    second = Milestone.objects.get(priority__roadmap=revision)
    return {"first": first, "second": second, "adopted": adopted, "revision": revision}


def test_the_revisions_milestone_shows_the_reports_made_before(revised, client_for):
    second = revised["second"]
    assert second.origin == revised["first"]
    page = client_for("visitor").get(second.get_absolute_url()).content.decode()
    assert "The standards passed the cabinet." in page
    assert "reported on version 1" in page
    assert "No progress has been reported yet." not in page


def test_an_earlier_versions_page_does_not_show_later_reports(revised, world, client_for):
    services.milestone_report_progress(
        milestone=revised["second"],
        actor=world["focal_point"],
        status="in_progress",
        progress=80,
        narrative="Two shelters inspected.",
    )
    page = client_for("visitor").get(revised["first"].get_absolute_url()).content.decode()
    assert "The standards passed the cabinet." in page
    assert "Two shelters inspected." not in page
    page = client_for("visitor").get(revised["second"].get_absolute_url()).content.decode()
    assert "Two shelters inspected." in page


def test_the_open_data_keeps_the_reports_of_earlier_versions(revised, client_for):
    data = client_for("visitor").get("/countries/ke/roadmap.json").json()
    (milestone,) = [m for p in data["priorities"] for m in p["milestones"]]
    assert milestone["id"] == revised["second"].pk
    assert [u["narrative"] for u in milestone["updates"]] == ["The standards passed the cabinet."]


def test_the_weeks_report_and_dispute_stay_in_the_digest_after_a_revision(
    revised, world, outbox_delivery
):
    follower = UserFactory()
    Preferences.objects.create(user=follower, digest_frequency="weekly").countries.add(world.kenya)
    with outbox_delivery():
        for ids in digest_chunks("weekly"):
            digests_build(frequency="weekly", user_ids=ids)
    (digest,) = [m for m in mail.outbox if m.to == [follower.email]]
    body = " ".join(digest.body.split())
    assert "Shelter standards adopted" in body
    assert "1 new assessment of reported progress (1 disputing it)" in body
