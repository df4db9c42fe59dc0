"""Following a country from its page: its news then comes in the digest and on "My work"."""

import pytest
from django.urls import reverse

from notifications.models import countries_followed_by
from tests.countries.factories import CountryFactory

pytestmark = pytest.mark.django_db


def test_a_person_follows_a_country_and_stops(world, client_for):
    client = client_for("registered")
    page = world.kenya.get_absolute_url()
    assert "Follow this country" in client.get(page).content.decode()
    url = reverse("notifications:follow_country", args=[world.kenya.slug])
    response = client.post(url, {"follow": "1"}, follow=True)
    content = response.content.decode()
    assert "You follow Kenya" in content
    assert "Stop following" in content
    assert countries_followed_by(world["registered"]) == [world.kenya.pk]
    client.post(url, {"follow": "0"})
    assert countries_followed_by(world["registered"]) == []


def test_a_country_without_an_initiative_cannot_be_followed(world, client_for):
    CountryFactory(code="SO")
    client = client_for("registered")
    for code in ("so", "zz"):
        response = client.post(
            reverse("notifications:follow_country", args=[code]), {"follow": "1"}
        )
        assert response.status_code == 404
    assert countries_followed_by(world["registered"]) == []


def test_visitors_see_no_follow_button(world, client_for):
    assert "Follow this country" not in client_for("visitor").get("/countries/ke/").content.decode()


def test_a_follower_of_a_milestone_hears_of_its_progress(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    from roadmaps import services as roadmaps
    from tests.roadmaps.factories import AdoptedRoadmapFactory, MilestoneFactory, PriorityFactory

    milestone = MilestoneFactory(
        priority=PriorityFactory(roadmap=AdoptedRoadmapFactory(initiative=world.kenya_initiative)),
        title="Open two shelters",
    )
    reader = client_for("registered")
    assert "Follow" in reader.get(milestone.get_absolute_url()).content.decode()
    reader.post(reverse("notifications:follow", args=["milestone", milestone.pk]), {"follow": "1"})
    assert "Following · stop" in reader.get(milestone.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        roadmaps.milestone_report_progress(
            milestone=milestone,
            actor=world["focal_point"],
            status="in_progress",
            progress=30,
            narrative="The first shelter opened.",
        )
    told = [m for m in mailoutbox if m.to == [world["registered"].email]]
    assert len(told) == 1
    body = " ".join(told[0].body.split())
    assert (
        "Progress was reported on the milestone “Open two shelters”: you follow it or its roadmap."
        in body
    )


def test_a_follower_of_an_event_hears_of_its_changes_without_the_venue(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    from events.forms import AgendaFormSet, EventForm
    from events.services import event_save
    from tests.events.factories import EventFactory, event_form_data

    event = EventFactory(initiative=world.kenya_initiative, venue="Old hall")
    hidden = EventFactory(initiative=world.kenya_initiative, visibility="invitation")
    reader = client_for("registered")
    reader.post(reverse("notifications:follow", args=["event", event.pk]), {"follow": "1"})
    response = reader.post(reverse("notifications:follow", args=["event", hidden.pk]))
    assert response.status_code == 404
    focal = world["focal_point"]
    data = event_form_data(event, focal, venue="Hotel Boulevard, Nairobi")
    form = EventForm(data, instance=event, user=focal)
    agenda = AgendaFormSet(data, instance=event, prefix="agenda")
    assert form.is_valid(), form.errors
    assert agenda.is_valid(), agenda.errors
    with django_capture_on_commit_callbacks(execute=True):
        event_save(event_form=form, agenda_formset=agenda, actor=focal)
    told = [m for m in mailoutbox if m.to == [world["registered"].email]]
    assert len(told) == 1
    body = " ".join(told[0].body.split())
    assert "You follow this event" in body
    assert "Hotel Boulevard" not in body
    assert "Your registration stays" not in body


def test_a_follower_who_may_no_longer_see_the_event_is_not_told(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    from django.contrib.contenttypes.models import ContentType

    from events.services import event_cancel
    from notifications.models import Follow
    from tests.events.factories import EventFactory

    event = EventFactory(initiative=world.kenya_initiative, title="Closed roundtable")
    Follow.objects.create(
        user=world["registered"],
        content_type=ContentType.objects.get_for_model(event),
        object_id=event.pk,
    )
    event.visibility = "invitation"  # since then, for the invited only
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        event_cancel(event=event, actor=world["focal_point"], message="No venue.")
    assert [m for m in mailoutbox if m.to == [world["registered"].email]] == []
