"""The vetting queue: CSU staff decide on organizations, and their admins are emailed."""

import pytest
from django.core import mail

from audit.models import AuditEntry
from stakeholders.models import MemberRole, OrganizationStatus
from tests.stakeholders.factories import (
    OrganizationFactory,
    OrganizationMemberFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def pending(world):
    """A pending organization with two admins and a plain member."""
    organization = OrganizationFactory(
        name="Sauti ya Wanawake",
        acronym="SYW",
        country=world.kenya,
        status=OrganizationStatus.PENDING,
        contact_email="info@sauti.example.org",
    )
    for email, role in [
        ("admin1@example.org", MemberRole.ADMIN),
        ("admin2@example.org", MemberRole.ADMIN),
        ("member@example.org", MemberRole.MEMBER),
    ]:
        OrganizationMemberFactory(
            organization=organization, user=UserFactory(email=email), role=role
        )
    return organization


def page(response) -> str:
    return response.content.decode()


def decide(client, organization, decision, reason="", seen=None, capture=None):
    data = {
        "decision": decision,
        "reason": reason,
        "seen_status": seen or organization.status,
    }
    url = f"/vetting/{organization.slug}/"
    if capture is None:
        return client.post(url, data, follow=True)
    with capture(execute=True):
        return client.post(url, data, follow=True)


# --- Who may see the queue ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("visitor", 302),
        ("registered", 404),
        ("org_admin", 404),
        ("coordinator", 404),
        ("focal_point", 404),
        ("other_focal_point", 404),
        ("staff", 200),
    ],
)
def test_only_csu_staff_reach_the_vetting_pages(world, client_for, pending, persona, expected):
    client = client_for(persona)
    for url in ("/vetting/", f"/vetting/{pending.slug}/"):
        response = client.get(url)
        assert response.status_code == expected
        if persona == "visitor":
            assert response.url.startswith("/accounts/login/?next=")
    response = decide(client, pending, "verified")
    pending.refresh_from_db()
    assert (pending.status == OrganizationStatus.VERIFIED) is (persona == "staff")


def test_an_admin_of_the_organization_cannot_vet_it(world, client_for, pending):
    admin = pending.members.filter(role=MemberRole.ADMIN).first().user
    client = client_for("visitor")
    client.force_login(admin)
    assert decide(client, pending, "verified").status_code == 404
    pending.refresh_from_db()
    assert pending.status == OrganizationStatus.PENDING


# --- The queue ------------------------------------------------------------------------------------


def test_the_queue_shows_what_waits_for_a_decision_oldest_first(world, client_for, pending):
    more_info = OrganizationFactory(
        name="Needs More", country=world.pakistan, status=OrganizationStatus.MORE_INFO
    )
    OrganizationFactory(name="Already Verified", country=world.kenya)
    OrganizationFactory(name="Was Rejected", country=world.kenya, status="rejected")

    content = page(client_for("staff").get("/vetting/"))
    assert "Sauti ya Wanawake" in content
    assert "Needs More" in content
    assert "Already Verified" not in content
    assert "Was Rejected" not in content
    assert "2 organizations" in content
    assert content.index("Sauti ya Wanawake") < content.index("Needs More")
    assert f'href="/vetting/{more_info.slug}/"' in content


def test_the_queue_filters_by_status_country_and_kind(world, client_for, pending):
    OrganizationFactory(
        name="Pakistani Academy",
        country=world.pakistan,
        kind="academia",
        status=OrganizationStatus.PENDING,
    )
    OrganizationFactory(name="Suspended One", country=world.kenya, status="suspended")
    client = client_for("staff")

    by_country = page(client.get("/vetting/", {"country": "PK"}))
    assert "Pakistani Academy" in by_country
    assert "Sauti ya Wanawake" not in by_country

    by_kind = page(client.get("/vetting/", {"kind": "academia"}))
    assert "Pakistani Academy" in by_kind
    assert "Sauti ya Wanawake" not in by_kind

    by_status = page(client.get("/vetting/", {"status": "suspended"}))
    assert "Suspended One" in by_status
    assert "Sauti ya Wanawake" not in by_status


def test_an_empty_queue_says_so(world, client_for):
    content = page(client_for("staff").get("/vetting/"))
    assert "Nothing to review here" in content


# --- Decisions ------------------------------------------------------------------------------------


def test_the_detail_page_shows_the_profile_history_and_possible_decisions(
    world, client_for, pending
):
    content = page(client_for("staff").get(f"/vetting/{pending.slug}/"))
    assert content.count("<h1") == 1
    assert "info@sauti.example.org" in content
    assert pending.description.split()[0] in content
    for label in ("Verify", "Ask for more information", "Reject"):
        assert label in content
    assert "Suspend" not in content
    assert "Reinstate" not in content


def test_verifying_emails_every_admin_and_lists_the_organization(
    world, client_for, pending, django_capture_on_commit_callbacks
):
    response = decide(
        client_for("staff"), pending, "verified", capture=django_capture_on_commit_callbacks
    )

    pending.refresh_from_db()
    assert pending.status == OrganizationStatus.VERIFIED
    assert pending.status_changed_by == world["staff"]
    assert "Sauti ya Wanawake is now “Verified”" in page(response)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "admin1@example.org",
        "admin2@example.org",
    ]
    assert all(m.subject == "[VPI Portal] Sauti ya Wanawake: Verified" for m in mail.outbox)
    assert "has been verified" in mail.outbox[0].body
    assert "Sauti ya Wanawake" in page(client_for("visitor").get("/organizations/"))
    # The decision is in the history on the vetting page.
    history = page(client_for("staff").get(f"/vetting/{pending.slug}/"))
    assert "Organization verified" in history


@pytest.mark.parametrize("decision", ["rejected", "more_info"])
def test_rejecting_or_asking_for_more_needs_a_reason(world, client_for, pending, decision):
    response = client_for("staff").post(
        f"/vetting/{pending.slug}/",
        {"decision": decision, "reason": "  ", "seen_status": "pending"},
    )
    assert response.status_code == 200
    assert "Give a reason: the organization&#x27;s admins will read it." in page(response)
    pending.refresh_from_db()
    assert pending.status == OrganizationStatus.PENDING
    assert not mail.outbox


def test_rejecting_with_a_reason_tells_the_admins_why(
    world, client_for, pending, django_capture_on_commit_callbacks
):
    decide(
        client_for("staff"),
        pending,
        "rejected",
        reason="We could not confirm the registration.",
        capture=django_capture_on_commit_callbacks,
    )
    pending.refresh_from_db()
    assert pending.status == OrganizationStatus.REJECTED
    assert pending.status_reason == "We could not confirm the registration."
    assert len(mail.outbox) == 2
    assert "We could not confirm the registration." in mail.outbox[0].body
    assert AuditEntry.objects.get(action="organization.rejected").data == {
        "previous": "pending",
        "reason": "We could not confirm the registration.",
    }


def test_asking_for_more_information_shows_the_reason_and_an_edit_sends_it_back(
    world, client_for, pending, django_capture_on_commit_callbacks
):
    decide(
        client_for("staff"),
        pending,
        "more_info",
        reason="Please add your registration number.",
        capture=django_capture_on_commit_callbacks,
    )
    assert "needs more information" in mail.outbox[0].body
    admin = pending.members.filter(role=MemberRole.ADMIN).first().user
    client = client_for("visitor")
    client.force_login(admin)
    content = page(client.get(pending.get_absolute_url()))
    assert "Please add your registration number." in content
    assert "Update the profile" in content


def test_suspending_and_reinstating_a_verified_organization(
    world, client_for, django_capture_on_commit_callbacks
):
    organization = world.organization
    staff = client_for("staff")
    assert "Suspend" in page(staff.get(f"/vetting/{organization.slug}/"))

    no_reason = decide(staff, organization, "suspended")
    assert "Give a reason" in page(no_reason)
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.VERIFIED

    decide(
        staff,
        organization,
        "suspended",
        reason="Complaint under review.",
        capture=django_capture_on_commit_callbacks,
    )
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.SUSPENDED
    assert [m.to for m in mail.outbox] == [["orgadmin@example.org"]]
    assert organization.name not in page(client_for("visitor").get("/organizations/"))
    assert client_for("visitor").get(organization.get_absolute_url()).status_code == 404

    assert "Reinstate" in page(staff.get(f"/vetting/{organization.slug}/"))
    mail.outbox.clear()
    decide(staff, organization, "verified", capture=django_capture_on_commit_callbacks)
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.VERIFIED
    assert [m.to for m in mail.outbox] == [["orgadmin@example.org"]]


def test_a_decision_already_taken_by_another_staff_member_changes_nothing(
    world, client_for, pending, django_capture_on_commit_callbacks
):
    alice = client_for("staff")
    bob = client_for("visitor")
    bob.force_login(StaffFactory(full_name="Bob Staff"))
    # Both open the page while the organization is pending; Alice decides first.
    decide(alice, pending, "verified", seen="pending", capture=django_capture_on_commit_callbacks)
    mail.outbox.clear()

    # Bob's stale form asks for more information, which from "verified" is not possible...
    response = decide(
        bob,
        pending,
        "more_info",
        reason="Registration?",
        seen="pending",
        capture=django_capture_on_commit_callbacks,
    )
    assert "Another staff member decided in the meantime" in page(response)
    # ...and a stale "reject" too, even though rejecting could follow other statuses.
    response = decide(
        bob,
        pending,
        "rejected",
        reason="No.",
        seen="pending",
        capture=django_capture_on_commit_callbacks,
    )
    assert "Another staff member decided in the meantime" in page(response)

    pending.refresh_from_db()
    assert pending.status == OrganizationStatus.VERIFIED
    assert pending.status_changed_by == world["staff"]
    assert not mail.outbox
    assert (
        AuditEntry.objects.filter(
            target_id=str(pending.pk),
            action__in=["organization.more_info", "organization.rejected"],
        ).count()
        == 0
    )


def test_a_stale_verify_after_a_request_for_more_information_is_refused(world, client_for, pending):
    alice = client_for("staff")
    bob = client_for("visitor")
    bob.force_login(StaffFactory(full_name="Bob Staff"))
    decide(alice, pending, "more_info", reason="Registration number?", seen="pending")

    # Verifying could follow "more information requested", but Bob saw "pending".
    response = decide(bob, pending, "verified", seen="pending")
    assert "Another staff member decided in the meantime" in page(response)
    pending.refresh_from_db()
    assert pending.status == OrganizationStatus.MORE_INFO


def test_an_impossible_decision_is_refused(world, client_for, pending):
    response = decide(client_for("staff"), pending, "suspended", reason="x")
    assert "no longer possible" in page(response)
    pending.refresh_from_db()
    assert pending.status == OrganizationStatus.PENDING


# --- After a rejection -----------------------------------------------------------------------


@pytest.fixture
def rejected(pending):
    pending.status = OrganizationStatus.REJECTED
    pending.status_reason = "We could not confirm the registration."
    pending.save()
    return pending


def test_a_rejected_organizations_admin_asks_for_a_new_review(
    world, client, rejected, django_capture_on_commit_callbacks
):
    admin = rejected.members.filter(role=MemberRole.ADMIN).first().user
    client.force_login(admin)
    url = f"/organizations/{rejected.slug}/review/"
    assert url in page(client.get(rejected.get_absolute_url()))
    form = page(client.get(url))
    assert "We could not confirm the registration." in form

    # Nothing said: nothing changes.
    response = client.post(url, {"note": "  "})
    assert "This field is required." in page(response)
    rejected.refresh_from_db()
    assert rejected.status == OrganizationStatus.REJECTED

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"note": "Our registration number is now on the profile."}, follow=True
        )
    assert "CSU staff will review it again" in page(response)
    rejected.refresh_from_db()
    assert rejected.status == OrganizationStatus.PENDING
    (to_staff,) = [m for m in mail.outbox if m.to == [world["staff"].email]]
    body = " ".join(to_staff.body.split())
    assert "is waiting for vetting" in body
    assert "Our registration number is now on the profile." in body
    entry = AuditEntry.objects.get(action="organization.review_requested")
    assert entry.data["reason"] == "Our registration number is now on the profile."

    # Once back in the queue, the request cannot be repeated.
    response = client.post(url, {"note": "Again."})
    assert "only a rejected organization asks for a new review" in page(response)


def test_a_plain_member_cannot_ask_for_the_review(client, rejected):
    member = rejected.members.filter(role=MemberRole.MEMBER).get().user
    client.force_login(member)
    response = client.post(f"/organizations/{rejected.slug}/review/", {"note": "Please."})
    assert response.status_code == 403
    rejected.refresh_from_db()
    assert rejected.status == OrganizationStatus.REJECTED


def test_csu_staff_undo_a_rejection_with_a_reason(
    world, client_for, rejected, django_capture_on_commit_callbacks
):
    staff = client_for("staff")
    assert "Reopen the review" in page(staff.get(f"/vetting/{rejected.slug}/"))
    response = decide(staff, rejected, "pending", reason="")
    assert "Give a reason" in page(response)
    decide(
        staff,
        rejected,
        "pending",
        reason="The registry confirmed the registration after all.",
        capture=django_capture_on_commit_callbacks,
    )
    rejected.refresh_from_db()
    assert rejected.status == OrganizationStatus.PENDING
    admins = {m.to[0] for m in mail.outbox}
    assert admins == {"admin1@example.org", "admin2@example.org"}
    assert "reopened the review" in " ".join(mail.outbox[0].body.split())
    assert "Verify" in page(staff.get(f"/vetting/{rejected.slug}/"))
