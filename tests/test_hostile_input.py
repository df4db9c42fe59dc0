"""Hostile input that once answered with a server error (found by tests/test_fuzz.py)."""

import pytest

from stakeholders.models import Theme
from tests.stakeholders.factories import ThemeFactory

pytestmark = pytest.mark.django_db

TOO_LARGE = "99999999999999999999"  # beyond any integer column


def test_an_id_too_large_for_the_database_matches_nothing():
    theme = ThemeFactory()
    assert list(Theme.objects.filter(pk__in=[theme.pk, 10**20, -(10**20)])) == [theme]
    assert not Theme.objects.filter(pk__in=[10**20]).exists()


def test_a_choice_of_an_id_too_large_is_an_invalid_choice(client_for, world):
    response = client_for("registered").post(
        "/accounts/notifications/", {"digest_frequency": "weekly", "countries": TOO_LARGE}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_an_organization_with_a_theme_id_too_large_is_not_saved(client_for, world):
    organization = world.organization
    response = client_for("org_admin").post(
        f"/organizations/{organization.slug}/edit/",
        {
            "name": organization.name,
            "kind": organization.kind,
            "country": organization.country_id,
            "description": "New description.",
            "contact_email": organization.contact_email,
            "visibility": organization.visibility,
            "themes": TOO_LARGE,
        },
    )
    assert response.status_code == 200
    organization.refresh_from_db()
    assert organization.description != "New description."


def test_a_huge_search_in_the_audit_log_is_ignored(client_for, world):
    response = client_for("staff").get("/audit/", {"actor": "x" * 100_000})
    assert response.status_code == 200


def test_a_forged_form_count_builds_no_more_forms_than_allowed(client_for, world):
    response = client_for("focal_point").post(
        "/events/new/",
        {"title": "Workshop", "agenda-TOTAL_FORMS": "99999", "agenda-INITIAL_FORMS": "0"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="agenda-49-title"' in page
    assert 'name="agenda-50-title"' not in page


@pytest.mark.parametrize("direction", ["sideways", "\x00", "up" * 50_000])
def test_a_move_in_no_direction_changes_and_records_nothing(client_for, world, direction):
    from audit.models import AuditEntry
    from roadmaps.models import RoadmapStatus
    from tests.roadmaps.factories import MilestoneFactory, PriorityFactory, RoadmapFactory

    priority = PriorityFactory(
        roadmap=RoadmapFactory(initiative=world.kenya_initiative, status=RoadmapStatus.DRAFT)
    )
    milestone = MilestoneFactory(priority=priority)
    client = client_for("focal_point")
    for url in (f"/milestones/{milestone.pk}/move/", f"/priorities/{priority.pk}/move/"):
        response = client.post(url, {"direction": direction})
        assert response.status_code == 302
    assert not AuditEntry.objects.filter(action__endswith="_moved").exists()


@pytest.mark.parametrize(
    "url",
    [
        "/events/feed/%00.ics",
        "/countries/k%00e/",
        "/alliances/k%00e/",
        "/countries/k%00/roadmap/",
        "/countries/ke%00/consultations/",
    ],
)
def test_an_address_with_a_null_byte_is_a_bad_request(client_for, world, url):
    """PostgreSQL refuses the byte in any comparison: caught before any view looks it up."""
    assert client_for("staff").get(url).status_code == 400
