"""The audit log page: CSU staff review who did what, and who looked at personal data."""

import datetime

import pytest

from audit.models import AuditEntry
from audit.services import audit_record

pytestmark = pytest.mark.django_db

LOG = "/audit/"


@pytest.fixture
def entries(world):
    alliance = world.kenya_alliance
    audit_record(actor=world["coordinator"], action="alliance.membership_approved", target=alliance)
    audit_record(
        actor=world["coordinator"],
        action="alliance.member_contacts_viewed",
        target=alliance,
        sensitive=True,
        organizations=3,
    )
    old = audit_record(
        actor=world["staff"], action="organization.verified", target=world.organization
    )
    AuditEntry.objects.filter(pk=old.pk).update(
        created_at=datetime.datetime(2024, 1, 10, 12, 0, tzinfo=datetime.UTC)
    )


FIXTURE_ACTIONS = [
    "alliance.membership_approved",
    "alliance.member_contacts_viewed",
    "organization.verified",
]


def rows(response) -> int:
    return response.content.decode().count("data-action=")


def test_staff_see_every_entry_with_who_what_and_details(world, client_for, entries):
    response = client_for("staff").get(LOG)
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert rows(response) == AuditEntry.objects.count()
    # Actions, targets and details in words, moments in one format.
    assert "Alliance members&#x27; contacts viewed" in content
    assert "Organization verified" in content
    assert "<code>" not in content
    assert "Alliance #" in content
    assert "stakeholders.alliance" not in content
    assert "coordinator@example.org" in content
    assert "Organizations: 3" in content
    assert "Jan. 10, 2024, noon" in content
    assert "personal data" in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("action=organization.verified", ["organization.verified"]),
        ("actor=STAFF@example", ["organization.verified"]),
        ("sensitive=on", ["alliance.member_contacts_viewed"]),
        ("until=2024-01-31", ["organization.verified"]),
        (
            "since=2024-01-11&actor=coordinator",
            ["alliance.member_contacts_viewed", "alliance.membership_approved"],
        ),
    ],
)
def test_filters_narrow_the_log(world, client_for, entries, query, expected):
    content = client_for("staff").get(f"{LOG}?{query}").content.decode()
    shown = sorted(action for action in FIXTURE_ACTIONS if f'data-action="{action}"' in content)
    assert shown == sorted(expected)


def test_the_action_filter_offers_labels(world, client_for, entries):
    content = client_for("staff").get(LOG).content.decode()
    assert '<option value="organization.verified">Organization verified</option>' in content


def test_unticked_sensitive_box_shows_everything(world, client_for, entries):
    response = client_for("staff").get(f"{LOG}?action=&actor=&since=&until=")
    assert rows(response) == AuditEntry.objects.count()


def test_bad_filter_input_is_shown_not_crashing(world, client_for, entries):
    response = client_for("staff").get(f"{LOG}?since=yesterday&action=nonsense")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Enter a valid date." in content
    assert "Select a valid choice" in content


def test_no_match_says_so(world, client_for, entries):
    content = client_for("staff").get(f"{LOG}?actor=nobody").content.decode()
    assert "No entry matches these filters." in content


def test_log_is_paginated(world, client_for):
    AuditEntry.objects.bulk_create(
        AuditEntry(action="test.thing", target_repr=f"thing {i}") for i in range(60)
    )
    client = client_for("staff")
    first = client.get(f"{LOG}?action=test.thing")
    assert rows(first) == 50
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(f"{LOG}?action=test.thing&page=2")
    assert rows(second) == 10


def test_log_is_read_only(world, client_for, entries):
    client = client_for("staff")
    count = AuditEntry.objects.count()
    assert client.post(LOG, {"action": "x"}).status_code == 405
    assert AuditEntry.objects.count() == count


@pytest.mark.parametrize(
    "persona", ["registered", "org_admin", "coordinator", "focal_point", "other_focal_point"]
)
def test_log_is_a_404_for_everyone_but_staff(world, client_for, entries, persona):
    response = client_for(persona).get(LOG)
    assert response.status_code == 404
    assert "alliance.member_contacts_viewed" not in response.content.decode()


def test_visitors_are_sent_to_sign_in(world, client):
    assert client.get(LOG)["Location"].startswith("/accounts/login/")
