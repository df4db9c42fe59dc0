"""A consultation opened with a public record leaves one: after the deadline anyone reads the
question, each input and its response, without people's names, and with an organization's
name only where its profile is public."""

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from consultations.models import Consultation
from stakeholders.models import OrganizationVisibility
from tests.consultations.factories import ConsultationFactory, ConsultationInputFactory
from tests.stakeholders.factories import OrganizationFactory
from tests.support.scenes import in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(world):
    consultation = ConsultationFactory(
        initiative=world.kenya_initiative, deadline=in_days(-1), public_record=True
    )
    ConsultationInputFactory(
        consultation=consultation,
        organization=world.organization,
        author=world["org_admin"],
        text="Article 12 should guarantee shelter for every victim.",
        response="Accepted: article 12 now guarantees shelter.",
        responded_by=world["focal_point"],
        responded_at=in_days(0),
    )
    hidden = OrganizationFactory(
        country=world.kenya_initiative.country,
        name="Quiet Harbour Collective",
        visibility=OrganizationVisibility.ALLIANCE,
    )
    ConsultationInputFactory(
        consultation=consultation,
        organization=hidden,
        text="Smuggled migrants must not be prosecuted for having been smuggled.",
    )
    return consultation


def test_a_visitor_reads_the_public_record_after_the_deadline(record, world):
    world.organization.visibility = OrganizationVisibility.PUBLIC
    world.organization.save()
    response = Client().get(reverse("consultations:summary", args=[record.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The public record of this consultation" in page
    assert record.description in page
    assert "Article 12 should guarantee shelter for every victim." in page
    assert "Accepted: article 12 now guarantees shelter." in page
    assert world.organization.name in page
    # The alliance-only organization's input is read, and its name is not.
    assert "Smuggled migrants must not be prosecuted" in page
    assert "Quiet Harbour Collective" not in page
    assert "An organization" in page
    assert world["org_admin"].full_name not in page
    csv = Client().get(reverse("consultations:summary_csv", args=[record.pk]))
    assert csv.status_code == 200
    assert "Quiet Harbour Collective" not in csv.content.decode()
    # Downloads of a public record by anyone are not audited as readings of private input.
    assert not AuditEntry.objects.filter(action="consultation.summary_exported").exists()


def test_the_public_record_is_listed_and_old_links_lead_to_it(record, world):
    code = world.kenya_initiative.country.slug
    listing = Client().get(reverse("consultations:list", args=[code]))
    summary = reverse("consultations:summary", args=[record.pk])
    assert f'href="{summary}"' in listing.content.decode()
    assert "Public record" in listing.content.decode()
    assert Client().get(record.get_absolute_url()).url == summary


def test_no_record_before_the_deadline_nor_without_a_public_record(record, world):
    record.deadline = in_days(3)
    record.save()
    visitor = Client()
    assert visitor.get(reverse("consultations:summary", args=[record.pk])).status_code == 404
    assert visitor.get(record.get_absolute_url()).status_code == 404
    closed = ConsultationFactory(initiative=world.kenya_initiative, deadline=in_days(-1))
    assert visitor.get(reverse("consultations:summary", args=[closed.pk])).status_code == 404
    listing = visitor.get(reverse("consultations:list", args=[world.kenya_initiative.country.slug]))
    assert record.title not in listing.content.decode()


def test_the_focal_point_opens_a_consultation_with_a_public_record(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(world["focal_point"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("consultations:create", args=[world.kenya_initiative.country.slug]),
            {
                "title": "Draft firearms law",
                "kind": "draft_legislation",
                "description": "Which provisions are missing?",
                "audience": "country",
                "deadline": in_days(10).strftime("%Y-%m-%dT%H:%M"),
                "public_record": "on",
            },
        )
    consultation = Consultation.objects.get(title="Draft firearms law")
    assert response.url == consultation.get_absolute_url()
    assert consultation.public_record
    told = [message for message in mailoutbox if "Draft firearms law" in message.body]
    assert {world["org_admin"].email} <= {message.to[0] for message in told}
    assert "Its record will be public after the deadline" in " ".join(told[0].body.split())
    member = Client()
    member.force_login(world["org_admin"])
    page = member.get(consultation.get_absolute_url()).content.decode()
    assert "Its record will be public after the deadline" in page
