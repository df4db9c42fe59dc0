import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from consultations import services
from consultations.selectors import with_sources
from tests.consultations.factories import ConsultationFactory
from tests.roadmaps.test_services import pdf, stored_files

pytestmark = pytest.mark.django_db


def test_an_organization_sends_one_input_before_the_deadline(consultation, world, settings):
    admin = world["org_admin"]
    services.input_submit(
        consultation=consultation,
        actor=admin,
        organization=world.organization,
        text="Article 12 should guarantee shelter.",
        attachment=pdf("comments.pdf"),
    )
    with pytest.raises(ValidationError, match="already sent its input"):
        services.input_submit(
            consultation=consultation, actor=admin, organization=world.organization, text="More"
        )
    assert consultation.inputs.count() == 1
    assert len(stored_files(settings)) == 1  # the refused second input stored nothing


def test_an_input_after_the_deadline_is_refused(world):
    consultation = ConsultationFactory(initiative=world.kenya_initiative)
    consultation.deadline = timezone.now() - datetime.timedelta(minutes=1)
    consultation.save()
    with pytest.raises(ValidationError, match="takes no more input"):
        services.input_submit(
            consultation=consultation,
            actor=world["org_admin"],
            organization=world.organization,
            text="Late.",
        )
    assert not consultation.inputs.exists()


def test_nobody_speaks_for_an_organization_they_do_not_belong_to(consultation, world):
    with pytest.raises(ValidationError, match="cannot send input on behalf"):
        services.input_submit(
            consultation=consultation,
            actor=world["coordinator"],
            organization=world.organization,
            text="Not mine.",
        )
    services.input_submit(
        consultation=consultation, actor=world["coordinator"], organization=None, text="Ours."
    )
    (item,) = with_sources(consultation.inputs.all(), world["coordinator"])
    assert item.source == "The alliance"


def test_opening_a_consultation_tells_its_audience(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_open(
            initiative=world.kenya_initiative,
            actor=world["focal_point"],
            title="Self-assessment for the UNTOC review",
            description="Which answers would you change?",
            deadline=timezone.now() + datetime.timedelta(days=10),
        )
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted([world["org_admin"].email, world["coordinator"].email])


def test_a_country_wide_consultation_tells_every_verified_organization_of_the_country(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.stakeholders.factories import OrganizationMemberFactory

    outside = OrganizationMemberFactory(
        organization__country=world.kenya, user__email="outside@example.org"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_open(
            initiative=world.kenya_initiative,
            actor=world["focal_point"],
            title="Draft firearms law",
            description="What is missing?",
            deadline=timezone.now() + datetime.timedelta(days=10),
            audience="country",
        )
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted(
        [world["org_admin"].email, world["coordinator"].email, outside.user.email]
    )
