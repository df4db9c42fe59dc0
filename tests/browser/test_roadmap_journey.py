import re

from playwright.sync_api import expect

from notifications.models import Notification
from roadmaps.models import Assessment, Evidence, MilestoneUpdate
from stakeholders.models import MemberRole
from tests.roadmaps.factories import (
    PDF_BYTES,
    AdoptedRoadmapFactory,
    MilestoneFactory,
    PriorityFactory,
)
from tests.stakeholders.factories import (
    PASSWORD,
    AllianceMembershipFactory,
    InitiativeRoleFactory,
    OrganizationMemberFactory,
    UserFactory,
)


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form").filter(has=page.locator("input[name=password]")).locator(
        "button[type=submit]"
    ).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_focal_point_reports_progress_and_civil_society_disputes_it(
    page, settings, country_factory, initiative_factory
):
    settings.PORTAL_REQUIRE_TWO_FACTOR = False
    initiative = initiative_factory(country=country_factory(code="KE"))
    focal = UserFactory(email="focal.ke@example.org", full_name="Fatima Focal")
    InitiativeRoleFactory(user=focal, initiative=initiative)
    membership = AllianceMembershipFactory(alliance__country=initiative.country)
    activist = UserFactory(email="activist@example.org", full_name="Amani Activist")
    OrganizationMemberFactory(
        user=activist, organization=membership.organization, role=MemberRole.MEMBER
    )
    roadmap = AdoptedRoadmapFactory(initiative=initiative)
    priority = PriorityFactory(roadmap=roadmap, title="Protect victims of trafficking")
    milestone = MilestoneFactory(priority=priority, title="Adopt the anti-trafficking law")

    # The focal point reports progress with a PDF as evidence.
    sign_in(page, focal.email)
    page.goto(milestone.get_absolute_url())
    page.get_by_label("Status now").select_option("in_progress")
    page.get_by_label("Progress now (%)").fill("45")
    page.get_by_label("What happened").fill("The bill passed its second reading.")
    page.locator("input[name=file_1]").set_input_files(
        files=[{"name": "hansard.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.locator("input[name=file_1_title]").fill("Hansard of the second reading")
    page.get_by_role("button", name="Publish the update").click()
    expect(page.get_by_text("Your update was published.")).to_be_visible()
    expect(page.get_by_role("link", name="Hansard of the second reading")).to_be_visible()
    assert Evidence.objects.get().content_type == "application/pdf"

    # The country's roadmap page shows the new progress.
    page.goto("/countries/ke/roadmap/")
    row = page.locator(f"#milestone-{milestone.pk}")
    expect(row).to_contain_text("In progress")
    expect(row.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "45")
    sign_out(page)

    # A civil society member disputes it.
    sign_in(page, activist.email)
    page.goto(milestone.get_absolute_url())
    page.get_by_text("Assess this update").click()
    page.get_by_label("Disputes").check()
    page.get_by_label("Why").fill("The shelters we visited are still closed.")
    page.get_by_role("button", name="Publish the assessment").click()

    # The dispute shows on the milestone page, and the focal point is emailed.
    expect(page.get_by_text("Your assessment was published.")).to_be_visible()
    update = page.locator(f"#update-{MilestoneUpdate.objects.get().pk}")
    expect(update).to_contain_text("Disputed")
    expect(update).to_contain_text("The shelters we visited are still closed.")
    assert Assessment.objects.get().verdict == "disputes"
    email = Notification.objects.get(kind="roadmaps_update_assessed")
    assert email.recipient == focal
    assert "shelters" not in email.body_text
    assert re.search(rf"/milestones/{milestone.pk}/", email.body_text)
