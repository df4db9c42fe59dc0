"""A common roadmap is agreed by both sides: the government adopts a draft only after a
consultation with the non-governmental side has run to its deadline, every comment has a
reasoned response, and that side has co-signed it or had its objection answered.

Angola's case is the one the demo shows: no alliance, so the draft goes to the country's
verified organizations and CSU staff co-sign for the non-governmental side."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from roadmaps import services
from roadmaps.models import Comment, Roadmap, RoadmapStatus
from tests.countries.factories import CountryFactory, InitiativeFactory
from tests.roadmaps.factories import PriorityFactory, RoadmapFactory, in_days
from tests.stakeholders.factories import (
    InitiativeRoleFactory,
    OrganizationFactory,
    OrganizationMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def body(message) -> str:
    return " ".join(message.body.split())


def run_out(roadmap: Roadmap) -> None:
    """The consultation's deadline passes."""
    Roadmap.objects.filter(pk=roadmap.pk).update(consultation_closes_on=in_days(-1))
    roadmap.refresh_from_db()


@pytest.fixture
def angola():
    """Angola: an initiative with a focal point, verified organizations and no alliance."""
    country = CountryFactory(code="AO")
    initiative = InitiativeFactory(country=country)
    focal = UserFactory(full_name="Ana Focal", email="ana@example.org")
    InitiativeRoleFactory(user=focal, initiative=initiative)
    ngo = OrganizationMemberFactory(
        user__full_name="Nelson NGO",
        user__email="nelson@example.org",
        organization=OrganizationFactory(country=country, name="Mosaiko"),
    ).user
    pending = OrganizationMemberFactory(
        user__email="pending@example.org",
        organization=OrganizationFactory(country=country, status="pending"),
    ).user
    draft = RoadmapFactory(initiative=initiative, title="Roteiro de Angola")
    PriorityFactory(roadmap=draft, title="Protect victims of trafficking")
    return {
        "initiative": initiative,
        "focal": focal,
        "ngo": ngo,
        "pending": pending,
        "draft": draft,
    }


def test_angolas_focal_point_cannot_adopt_alone_and_csu_co_signs_after_the_consultation(
    angola, client_for, world, mailoutbox, django_capture_on_commit_callbacks
):
    from django.test import Client

    focal, ngo, draft = angola["focal"], angola["ngo"], angola["draft"]
    government = Client()
    government.force_login(focal)

    # No deadline: no consultation.
    url = reverse("roadmaps:roadmap_open_consultation", args=[draft.pk])
    assert "the people of the country&#x27;s verified organizations" in (
        government.get(url).content.decode()
    )
    response = government.post(url, {"closes_on": str(timezone.localdate())})
    assert "The deadline must be after today." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == RoadmapStatus.DRAFT

    with django_capture_on_commit_callbacks(execute=True):
        government.post(url, {"closes_on": str(in_days(21))})
    draft.refresh_from_db()
    assert draft.status == RoadmapStatus.CONSULTATION
    assert draft.consultation_closes_on == in_days(21)
    # The verified organizations' people are consulted; not a pending organization's.
    assert [message.to for message in mailoutbox] == [[ngo.email]]
    assert "in consultation until" in body(mailoutbox[0])

    # The NGO sees the draft and comments on it.
    civil_society = Client()
    civil_society.force_login(ngo)
    page = civil_society.get(draft.get_absolute_url()).content.decode()
    assert "Protect victims of trafficking" in page
    civil_society.post(
        reverse("roadmaps:priority_comment", args=[draft.priorities.get().pk]),
        {"body": "Name the shelters' budget."},
    )
    comment = Comment.objects.get(roadmap=draft)
    assert comment.author == ngo

    # The focal point tries to adopt at once: every missing step is named.
    response = government.post(
        reverse("roadmaps:roadmap_adopt", args=[draft.pk]), {"confirm": "on"}
    )
    content = response.content.decode()
    assert "The consultation runs until" in content
    assert "1 comment still waits for a response" in content
    assert "CSU staff co-sign for the non-governmental side" in content
    draft.refresh_from_db()
    assert draft.status == RoadmapStatus.CONSULTATION

    services.comment_respond(comment=comment, actor=focal, response="Milestone 2 names it.")
    run_out(draft)
    with pytest.raises(ValidationError, match="CSU staff co-sign"):
        services.roadmap_adopt(roadmap=draft, actor=focal)

    # An alliance coordinator of another country does not speak for Angola; CSU does.
    assert not world["coordinator"].has_perm("roadmaps.cosign_roadmap", draft)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for("staff").post(
            reverse("roadmaps:roadmap_cosign", args=[draft.pk]),
            {"word": "cosign", "note": "The organizations' comments were answered."},
        )
    assert [message.to for message in mailoutbox] == [[focal.email]]
    assert "co-signed version 1 of the roadmap of Angola" in body(mailoutbox[0])

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = government.post(
            reverse("roadmaps:roadmap_adopt", args=[draft.pk]), {"confirm": "on"}
        )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == RoadmapStatus.ADOPTED
    # Everyone who took part hears of it: the NGO that commented and CSU, who co-signed.
    assert sorted(to for message in mailoutbox for to in message.to) == sorted(
        [ngo.email, world["staff"].email]
    )
    assert "Thank you for taking part" in body(mailoutbox[0])

    page = client_for("visitor").get(draft.get_absolute_url()).content.decode()
    assert "Agreement of both sides" in page
    assert "Co-signed" in page
    assert "adopted on" in page


def test_an_objection_must_be_answered_before_adoption(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    draft = RoadmapFactory(
        initiative=world.kenya_initiative,
        status=RoadmapStatus.CONSULTATION,
        consultation_closes_on=in_days(-2),
    )
    PriorityFactory(roadmap=draft)
    coordinator = client_for("coordinator")
    url = reverse("roadmaps:roadmap_cosign", args=[draft.pk])

    response = coordinator.post(url, {"word": "object", "note": "  "})
    assert "Say why you object" in response.content.decode()
    assert not draft.endorsements.exists()

    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(url, {"word": "object", "note": "Survivors were not heard."})
    objection = draft.endorsements.get()
    assert objection.objection
    (to_focal,) = mailoutbox
    assert to_focal.to == [world["focal_point"].email]
    assert "objects to version 1 of the roadmap of Kenya" in body(to_focal)
    assert "Survivors were not heard." in body(to_focal)

    with pytest.raises(ValidationError, match="An objection waits"):
        services.roadmap_adopt(roadmap=draft, actor=world["focal_point"])

    government = client_for("focal_point")
    answer = reverse("roadmaps:objection_respond", args=[objection.pk])
    assert "Survivors were not heard." in government.get(answer).content.decode()
    response = government.post(answer, {"response": ""})
    assert response.status_code == 200
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        government.post(answer, {"response": "A hearing with survivors is milestone 1."})
    (to_coordinator,) = mailoutbox
    assert to_coordinator.to == [world["coordinator"].email]
    assert "A hearing with survivors is milestone 1." in body(to_coordinator)

    adopted = services.roadmap_adopt(roadmap=draft, actor=world["focal_point"])
    assert adopted.status == RoadmapStatus.ADOPTED
    page = client_for("registered").get(draft.get_absolute_url()).content.decode()
    assert "Objection" in page
    assert "Survivors were not heard." in page
    assert "A hearing with survivors is milestone 1." in page


def test_a_co_signature_replaces_the_signers_own_objection(world):
    draft = RoadmapFactory(initiative=world.kenya_initiative, status=RoadmapStatus.CONSULTATION)
    coordinator = world["coordinator"]
    services.roadmap_cosign(roadmap=draft, actor=coordinator, note="Too vague.", objection=True)
    with pytest.raises(ValidationError, match="already objected"):
        services.roadmap_cosign(roadmap=draft, actor=coordinator, note="Again.", objection=True)
    services.roadmap_cosign(roadmap=draft, actor=coordinator, note="Now clear.")
    word = draft.endorsements.get()
    assert not word.objection
    assert word.note == "Now clear."
    assert AuditEntry.objects.get(action="roadmap.objection_withdrawn").data["objection"] == (
        "Too vague."
    )


def test_csus_signature_does_not_stand_in_for_an_existing_alliance(world):
    draft = RoadmapFactory(
        initiative=world.kenya_initiative,
        status=RoadmapStatus.CONSULTATION,
        consultation_closes_on=in_days(-1),
    )
    PriorityFactory(roadmap=draft)
    services.roadmap_cosign(roadmap=draft, actor=world["staff"])
    with pytest.raises(ValidationError, match="alliance's coordinator co-signs"):
        services.roadmap_adopt(roadmap=draft, actor=world["focal_point"])
    services.roadmap_cosign(roadmap=draft, actor=world["coordinator"])
    assert services.roadmap_adopt(roadmap=draft, actor=world["focal_point"]).is_published


def test_where_no_one_can_be_consulted_csu_records_why(world, client_for):
    country = CountryFactory(code="GH")
    initiative = InitiativeFactory(country=country)
    focal = UserFactory()
    InitiativeRoleFactory(user=focal, initiative=initiative)
    draft = RoadmapFactory(initiative=initiative, status=RoadmapStatus.CONSULTATION)
    PriorityFactory(roadmap=draft)
    url = reverse("roadmaps:consultation_waive", args=[draft.pk])

    assert client_for("focal_point").post(url, {"reason": "Nobody."}).status_code == 404
    staff = client_for("staff")
    assert (
        "Record that no consultation can run"
        in staff.get(draft.get_absolute_url()).content.decode()
    )
    response = staff.post(url, {"reason": "Neither an alliance nor a verified organization yet."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.consultation_waived_by == world["staff"]
    services.roadmap_cosign(roadmap=draft, actor=world["staff"])
    assert services.roadmap_adopt(roadmap=draft, actor=focal).is_published
    page = client_for("registered").get(draft.get_absolute_url()).content.decode()
    assert "No consultation could run:" in page
    assert "Neither an alliance nor a verified organization yet." in page

    # Kenya has an alliance: its draft goes to consultation instead.
    kenya = RoadmapFactory(initiative=world.kenya_initiative, status=RoadmapStatus.CONSULTATION)
    with pytest.raises(ValidationError, match="non-governmental side to consult"):
        services.consultation_waive(roadmap=kenya, actor=world["staff"], reason="Hurry.")


def test_a_running_consultations_deadline_can_be_set_and_moved(world, client_for):
    draft = RoadmapFactory(initiative=world.kenya_initiative, status=RoadmapStatus.CONSULTATION)
    url = reverse("roadmaps:consultation_deadline", args=[draft.pk])
    government = client_for("focal_point")
    page = government.get(draft.get_absolute_url()).content.decode()
    assert "The consultation has no deadline yet" in page
    assert url in page
    too_far = timezone.localdate() + datetime.timedelta(days=400)
    assert "at most a year" in government.post(url, {"closes_on": str(too_far)}).content.decode()
    government.post(url, {"closes_on": str(in_days(10))})
    draft.refresh_from_db()
    assert draft.consultation_closes_on == in_days(10)
    assert AuditEntry.objects.filter(action="roadmap.consultation_deadline_set").exists()
    assert client_for("coordinator").post(url, {"closes_on": str(in_days(5))}).status_code == 403
