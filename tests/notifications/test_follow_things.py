"""Following a roadmap, a milestone across revisions, a consultation and an event: their
news reaches the follower as notifications, in the digest and on "My work", and only while
the follower may see them."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from consultations import services as consultations
from digests.services import digest_chunks, digests_build
from notifications.models import Follow, Preferences
from roadmaps import services as roadmaps
from roadmaps.models import Milestone
from tests.consultations.factories import ConsultationFactory, ConsultationInputFactory
from tests.events.factories import EventFactory
from tests.roadmaps.factories import (
    AdoptedRoadmapFactory,
    MilestoneFactory,
    MilestoneUpdateFactory,
    PriorityFactory,
    agreed,
    in_days,
)
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


def follow(person, target):
    Follow.objects.create(
        user=person, content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    )


def told(person) -> list[str]:
    return [" ".join(m.body.split()) for m in mail.outbox if m.to == [person.email]]


@pytest.fixture
def adopted(world):
    roadmap = AdoptedRoadmapFactory(initiative=world.kenya_initiative)
    milestone = MilestoneFactory(
        priority=PriorityFactory(roadmap=roadmap), title="Shelter standards adopted"
    )
    return roadmap, milestone


def report(milestone, actor, narrative="Cabinet approved."):
    return roadmaps.milestone_report_progress(
        milestone=milestone, actor=actor, status="in_progress", progress=50, narrative=narrative
    )


def test_the_roadmap_and_the_consultation_pages_have_a_follow_button(world, client_for, adopted):
    roadmap, _milestone = adopted
    consultation = ConsultationFactory(initiative=world.kenya_initiative)
    for client, page in (
        (client_for("registered"), roadmap.get_absolute_url()),
        (client_for("org_admin"), consultation.get_absolute_url()),
    ):
        content = client.get(page).content.decode()
        assert "Follow</button>" in content
    assert (
        "Follow</button>"
        not in client_for("visitor").get(roadmap.get_absolute_url()).content.decode()
    )


def test_a_follower_of_the_roadmap_hears_of_progress_on_any_milestone_and_the_next_adoption(
    world, client_for, adopted, django_capture_on_commit_callbacks
):
    roadmap, milestone = adopted
    reader = client_for("registered")
    response = reader.post(
        reverse("notifications:follow", args=["roadmap", roadmap.pk]), {"follow": "1"}, follow=True
    )
    assert "You follow it" in response.content.decode()
    assert "Following · stop" in response.content.decode()
    focal = world["focal_point"]
    with django_capture_on_commit_callbacks(execute=True):
        report(milestone, focal)
    (body,) = told(world["registered"])
    assert (
        "Progress was reported on the milestone “Shelter standards adopted”: you follow it or "
        "its roadmap." in body
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        revision = roadmaps.roadmap_start_revision(roadmap=roadmap, actor=focal)
        roadmaps.roadmap_open_consultation(roadmap=revision, actor=focal, closes_on=in_days(14))
        agreed(revision, world["coordinator"])
        roadmaps.roadmap_adopt(roadmap=revision, actor=focal)
    (body,) = told(world["registered"])
    assert "Version 2 of the roadmap of Kenya, which you follow, was adopted" in body
    # Following version 1 follows the roadmap: progress on version 2 reaches them too.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report(Milestone.objects.get(priority__roadmap=revision), focal, "Second report.")
    assert len(told(world["registered"])) == 1


def test_a_follower_of_a_milestone_keeps_following_it_into_the_revision(
    world, adopted, django_capture_on_commit_callbacks
):
    roadmap, milestone = adopted
    reader = world["registered"]
    follow(reader, milestone)
    focal = world["focal_point"]
    revision = roadmaps.roadmap_start_revision(roadmap=roadmap, actor=focal)
    roadmaps.roadmap_open_consultation(roadmap=revision, actor=focal, closes_on=in_days(14))
    agreed(revision, world["coordinator"])
    roadmaps.roadmap_adopt(roadmap=revision, actor=focal)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report(Milestone.objects.get(priority__roadmap=revision), focal)
    (body,) = told(reader)
    assert "“Shelter standards adopted”: you follow it or its roadmap" in body


def test_a_follower_of_a_consultation_hears_of_responses_only_when_they_may_read_them(
    world, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory(
        initiative=world.kenya_initiative, title="Referral mechanism for victims"
    )
    # An alliance member follows it, and so does a Kenyan focal point.
    follow(world["org_admin"], consultation)
    follow(world["focal_point"], consultation)
    follow(world["other_focal_point"], consultation)  # may not see it at all
    staff = world["staff"]
    item = ConsultationInputFactory(consultation=consultation, organization=world.organization)
    with django_capture_on_commit_callbacks(execute=True):
        consultations.input_respond(consultation_input=item, actor=staff, response="Taken in.")
    # While it runs, the alliance member may read only their own organization's inputs.
    (body,) = told(world["focal_point"])
    assert (
        "The initiative responded to an input to the consultation “Referral mechanism for "
        "victims”, which you follow." in body
    )
    assert told(world["org_admin"]) == []
    assert told(world["other_focal_point"]) == []
    # After the deadline its summary is theirs to read: now they are told.
    mail.outbox.clear()
    consultation.deadline = timezone.now() - timedelta(hours=1)
    consultation.save()
    late = ConsultationInputFactory(consultation=consultation)
    with django_capture_on_commit_callbacks(execute=True):
        consultations.input_respond(consultation_input=late, actor=staff, response="Noted.")
    assert len(told(world["org_admin"])) == 1
    assert told(world["other_focal_point"]) == []


def sections(content: str) -> dict[str, str]:
    found = {}
    for part in content.split('<h2 id="work-')[1:]:
        title = part.split("<span>", 1)[1].split("</span>", 1)[0]
        found[title] = part
    return found


def test_my_work_lists_what_the_person_follows_and_may_see(world, client_for, adopted):
    roadmap, milestone = adopted
    reader = world["registered"]
    MilestoneUpdateFactory(milestone=milestone, created_at=timezone.now() - timedelta(days=2))
    seen_event = EventFactory(
        initiative=world.kenya_initiative,
        title="Referral workshop",
        starts_at=timezone.now() + timedelta(days=40),
    )
    hidden_event = EventFactory(
        initiative=world.kenya_initiative, title="Closed roundtable", visibility="invitation"
    )
    for target in (milestone, seen_event, hidden_event):
        follow(reader, target)
    shown = sections(client_for("registered").get("/my-work/").content.decode())
    assert "Shelter standards adopted" in shown["New progress on what you follow"]
    assert "Referral workshop" in shown["Events you follow"]
    assert "Closed roundtable" not in "".join(shown.values())

    consultation = ConsultationFactory(
        initiative=world.kenya_initiative, title="Referral mechanism for victims"
    )
    follow(world["org_admin"], consultation)
    shown = sections(client_for("org_admin").get("/my-work/").content.decode())
    assert "Referral mechanism for victims" in shown["Consultations you follow"]


def build():
    return sum(digests_build(frequency="weekly", user_ids=ids) for ids in digest_chunks("weekly"))


def test_the_digest_brings_the_followed_things_of_a_country_the_person_does_not_follow(
    world, adopted, outbox_delivery
):
    roadmap, milestone = adopted
    other = MilestoneFactory(priority=milestone.priority, title="Hotline staffed")
    reader = UserFactory(email="reader@example.org")
    Preferences.objects.create(user=reader, digest_frequency="weekly")
    follow(reader, milestone)
    hidden = EventFactory(
        initiative=world.kenya_initiative,
        title="Closed roundtable",
        visibility="invitation",
        starts_at=timezone.now() + timedelta(days=3),
    )
    follow(reader, hidden)
    MilestoneUpdateFactory(milestone=milestone, created_at=timezone.now() - timedelta(days=1))
    MilestoneUpdateFactory(milestone=other, created_at=timezone.now() - timedelta(days=1))
    # A Kenya follower's digest is the country's whole news, as before.
    kenya_follower = UserFactory(email="kenya@example.org")
    Preferences.objects.create(user=kenya_follower, digest_frequency="weekly").countries.add(
        world.kenya
    )
    with outbox_delivery():
        build()
    (body,) = told(reader)
    assert "== Kenya (what you follow) ==" in body
    assert "Shelter standards adopted" in body
    assert "Hotline staffed" not in body
    assert "Closed roundtable" not in body
    (whole,) = told(kenya_follower)
    assert "== Kenya ==" in whole
    assert "Shelter standards adopted" in whole
    assert "Hotline staffed" in whole
