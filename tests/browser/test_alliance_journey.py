"""Issue 3's journey in the browser: a new person signs up and confirms the address,
registers an organization, CSU staff verify it, its admin asks to join the Kenyan alliance,
the coordinator approves, and the organization is listed on the alliance page. Each step
sends its email."""

import re

from django.core import mail
from playwright.sync_api import expect

from stakeholders.models import MembershipStatus, Organization, OrganizationStatus
from tests.stakeholders.factories import PASSWORD, AllianceFactory, StaffFactory, UserFactory


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def emails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def test_from_sign_up_to_alliance_membership(page, kenya_initiative):
    alliance = AllianceFactory(
        country=kenya_initiative.country, member_list_visibility="registered"
    )
    coordinator = UserFactory(email="cora@example.org", full_name="Cora Coordinator")
    alliance.coordinators.add(coordinator)
    staff = StaffFactory(email="alice@example.org", full_name="Alice Staff")

    # 1. Sign up and confirm the address.
    page.goto("/")
    page.get_by_role("link", name="Register").first.click()
    page.fill("input[name=full_name]", "Wanjiru Example")
    page.fill("input[name=email]", "wanjiru@example.org")
    page.fill("input[name=password1]", "a-long-and-unusual-passphrase")
    page.fill("input[name=password2]", "a-long-and-unusual-passphrase")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    (confirmation,) = emails_to("wanjiru@example.org")
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", confirmation.body).group(1)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    # 2. Register an organization in Kenya.
    page.goto("/organizations/new/")
    page.fill("input[name=name]", "Mombasa Shelter Network")
    page.fill("input[name=acronym]", "MSN")
    page.select_option("select[name=kind]", "ngo")
    page.select_option("select[name=country]", label="Kenya")
    page.fill("input[name=city]", "Mombasa")
    page.fill("input[name=website]", "https://msn.example.org")
    page.fill("textarea[name=description]", "Shelters and legal aid for survivors of trafficking.")
    page.fill("input[name=contact_email]", "contact@msn.example.org")
    page.get_by_label("Public: anyone may see the organization").check()
    page.get_by_role("button", name="Register the organization").click()
    expect(page.get_by_text("CSU staff will review it")).to_be_visible()
    organization = Organization.objects.get(name="Mombasa Shelter Network")
    assert organization.status == OrganizationStatus.PENDING
    assert emails_to(staff.email), "CSU staff are told of the new organization"
    sign_out(page)

    # 3. CSU staff verify it from the vetting queue.
    sign_in(page, staff.email)
    page.goto("/vetting/")
    page.get_by_role("link", name="Mombasa Shelter Network").click()
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("Verified").first).to_be_visible()
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.VERIFIED
    assert any("Verified" in m.subject for m in emails_to("wanjiru@example.org"))
    sign_out(page)

    # 4. Its admin asks to join the Kenyan alliance.
    sign_in(page, "wanjiru@example.org", "a-long-and-unusual-passphrase")
    page.goto("/alliances/ke/")
    page.get_by_label("Motivation").fill(
        "We run shelters on the coast and want to work on the roadmap."
    )
    page.get_by_role("button", name="Send the request").click()
    membership = organization.alliance_memberships.get()
    assert membership.status == MembershipStatus.REQUESTED
    assert any("asks to join" in m.subject for m in emails_to(coordinator.email))
    assert any("was received" in m.subject for m in emails_to("wanjiru@example.org"))
    sign_out(page)

    # 5. The coordinator approves.
    sign_in(page, coordinator.email)
    page.goto("/alliances/ke/requests/")
    expect(page.get_by_text("We run shelters on the coast")).to_be_visible()
    page.get_by_role("button", name="Approve").first.click()
    if page.get_by_role("button", name="Approve").count():  # a confirmation step, if any
        page.get_by_role("button", name="Approve").first.click()
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.APPROVED
    assert any("Approved" in m.subject for m in emails_to("wanjiru@example.org"))

    # 6. The organization is listed on the alliance page for those allowed to see the list.
    page.goto("/alliances/ke/")
    expect(page.get_by_role("link", name=re.compile("Mombasa Shelter Network"))).to_be_visible()
    sign_out(page)
    page.goto("/alliances/ke/")
    expect(page.get_by_role("link", name=re.compile("Mombasa Shelter Network"))).to_have_count(0)
