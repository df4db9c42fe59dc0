"""A country page shows both counts of who takes part: the figures the initiative declares
(with their date and source) and the people and organizations with an account here."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from stakeholders.models import ParticipationDeclaration

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_focal_point_declares_the_figures_and_everyone_reads_both(world, client_for):
    code = world.kenya.slug
    url = reverse("stakeholders:initiative_participation", kwargs={"code": code})
    before = page(client_for("visitor").get(world.kenya.get_absolute_url()))
    assert "Declared by the initiative" not in before
    assert '<strong class="fs-4">1</strong> government expert' in before

    focal = client_for("focal_point")
    assert "Declare the initiative" in page(focal.get(world.kenya.get_absolute_url()))
    response = focal.post(
        url,
        {
            "government_experts": "65",
            "organizations": "35",
            "as_of": "2024-05-20",
            "source": "List of participants, national workshop",
        },
    )
    assert response.url == world.kenya.get_absolute_url()
    declaration = ParticipationDeclaration.objects.get()
    assert declaration.declared_by == world["focal_point"]
    assert AuditEntry.objects.filter(action="initiative.participation_declared").exists()

    shown = page(client_for("visitor").get(world.kenya.get_absolute_url()))
    assert "Declared by the initiative" in shown
    assert '<strong class="fs-4">65</strong> government experts' in shown
    assert '<strong class="fs-4">35</strong> civil society organizations' in shown
    assert "Counted on May 20, 2024; source: List of participants, national workshop." in shown
    assert "With an account here" in shown
    assert '<strong class="fs-4">1</strong> government expert' in shown
    assert "Declare the initiative" not in shown
    # The form page keeps the earlier counts.
    assert "List of participants, national workshop" in page(focal.get(url))


def test_bad_figures_are_refused_and_nothing_is_saved(world, client_for):
    url = reverse("stakeholders:initiative_participation", kwargs={"code": world.kenya.slug})
    tomorrow = timezone.localdate() + datetime.timedelta(days=2)
    response = client_for("staff").post(
        url,
        {
            "government_experts": "-3",
            "organizations": "9999999",
            "as_of": tomorrow.isoformat(),
            "source": "",
        },
    )
    assert response.status_code == 200
    text = page(response)
    assert "Ensure this value is greater than or equal to 0." in text
    assert "Ensure this value is less than or equal to 100000." in text
    assert "Figures are counted on a day that has come." in text
    assert "This field is required." in text
    assert not ParticipationDeclaration.objects.exists()
