"""Each role signs in, lands on "My work" and reaches what waits for it in one click."""

import pytest
from playwright.sync_api import expect

from roadmaps.models import Milestone, Verdict
from tests.browser.portal_pages import build_portal, sign_in
from tests.roadmaps.factories import AssessmentFactory


@pytest.mark.parametrize(
    ("persona", "card", "link", "arrives"),
    [
        (
            "focal_point",
            "Assessments of progress awaiting your response",
            "Adopt the anti-trafficking law",
            "Adopt the anti-trafficking law",
        ),
        ("coordinator", "Membership requests to decide", None, "Requests and members"),
        (
            "org_admin",
            "Consultations asking for your organization's input",
            None,
            "Send your organization's input",
        ),
        ("staff", "Organizations to vet", "Coast Youth Network", "Coast Youth Network"),
        (
            "org_admin",
            "Your events in the coming month",
            "Consultation on the anti-smuggling bill",
            "Consultation on the anti-smuggling bill",
        ),
    ],
)
def test_a_role_reaches_what_waits_for_it_from_my_work(page, world, persona, card, link, arrives):
    build_portal(world)
    milestone = Milestone.objects.get(title="Adopt the anti-trafficking law")
    AssessmentFactory(
        update=milestone.updates.get(), author=world["coordinator"], verdict=Verdict.DISPUTES
    )
    sign_in(page, world[persona].email)
    assert page.url.endswith("/my-work/")
    expect(page.get_by_role("heading", name="My work", level=1)).to_be_visible()
    section = page.locator("section").filter(has=page.get_by_role("heading", name=card))
    expect(section).to_be_visible()
    target = section.get_by_role("link", name=link) if link else section.get_by_role("link").first
    target.click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text(arrives)
