"""Angola's common roadmap, in the browser: the focal point cannot adopt the draft alone;
after a consultation with a deadline, a response to each comment and CSU's co-signature
(Angola has no alliance), it is adopted, and the roadmap page shows both sides' word."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from notifications.models import Notification
from roadmaps.models import Roadmap, RoadmapStatus
from tests.roadmaps.factories import PriorityFactory, RoadmapFactory
from tests.stakeholders.factories import (
    InitiativeRoleFactory,
    OrganizationFactory,
    OrganizationMemberFactory,
    StaffFactory,
    UserFactory,
)

from .test_roadmap_journey import sign_in, sign_out


def test_angola_adopts_its_roadmap_only_with_the_non_governmental_sides_word(
    page, settings, country_factory, initiative_factory
):
    settings.PORTAL_REQUIRE_TWO_FACTOR = False
    initiative = initiative_factory(country=country_factory(code="AO"))
    focal = UserFactory(email="focal.ao@example.org", full_name="Ana Focal")
    InitiativeRoleFactory(user=focal, initiative=initiative)
    ngo = UserFactory(email="ngo.ao@example.org", full_name="Nelson Ngola")
    OrganizationMemberFactory(
        user=ngo, organization=OrganizationFactory(country=initiative.country, name="Mosaiko")
    )
    staff = StaffFactory(email="csu@example.org", full_name="Carla CSU")
    draft = RoadmapFactory(initiative=initiative, title="Roadmap of Angola")
    PriorityFactory(roadmap=draft, title="Protect victims of trafficking")

    # The focal point opens the consultation with a deadline three weeks away.
    sign_in(page, focal.email)
    page.goto("/countries/ao/roadmap/")
    expect(page.get_by_role("link", name="Adopt the roadmap")).to_have_count(0)
    page.get_by_role("link", name="Open the consultation").click()
    expect(page.get_by_text("the people of the country's verified organizations")).to_be_visible()
    deadline = timezone.localdate() + datetime.timedelta(days=21)
    page.get_by_label("Deadline for comments").fill(deadline.isoformat())
    page.get_by_role("button", name="Open the consultation").click()
    expect(page.get_by_text("may now comment")).to_be_visible()
    invitation = Notification.objects.get(kind="roadmaps_roadmap_consultation")
    assert invitation.recipient == ngo
    assert "in consultation until" in " ".join(invitation.body_text.split())

    # Adopting at once is refused, with each missing step named.
    page.get_by_role("link", name="Adopt the roadmap").click()
    page.get_by_label("I confirm").check()
    page.get_by_role("button", name="Adopt the roadmap").click()
    expect(page.locator(".alert-danger, .invalid-feedback, .errorlist").first).to_contain_text(
        "The consultation runs until"
    )
    assert Roadmap.objects.get(pk=draft.pk).status == RoadmapStatus.CONSULTATION
    sign_out(page)

    # The Angolan NGO comments on the draft.
    sign_in(page, ngo.email)
    page.goto("/countries/ao/roadmap/")
    expect(page.get_by_text("Protect victims of trafficking")).to_be_visible()
    page.get_by_label("Comment on the roadmap as a whole").fill(
        "Name the shelters and their budget."
    )
    page.get_by_role("button", name="Publish the comment").click()
    expect(page.get_by_text("Name the shelters and their budget.")).to_be_visible()
    sign_out(page)

    # The focal point answers it; the deadline then passes.
    sign_in(page, focal.email)
    page.goto("/countries/ao/roadmap/")
    page.get_by_label("Reasoned response").fill("Milestone 1 now names the shelters.")
    page.get_by_role("button", name="Publish the response").click()
    expect(page.get_by_text("Milestone 1 now names the shelters.")).to_be_visible()
    sign_out(page)
    Roadmap.objects.filter(pk=draft.pk).update(
        consultation_closes_on=timezone.localdate() - datetime.timedelta(days=1)
    )

    # CSU co-signs for the non-governmental side.
    sign_in(page, staff.email)
    page.goto("/countries/ao/roadmap/")
    page.get_by_role("link", name="Co-sign or object").click()
    page.get_by_label("We co-sign the roadmap").check()
    page.get_by_role("button", name="Record my word").click()
    expect(page.get_by_text("You co-signed the roadmap.")).to_be_visible()
    cosigned = Notification.objects.get(kind="roadmaps_roadmap_cosigned")
    assert cosigned.recipient == focal
    sign_out(page)

    # Now the focal point adopts it, and the page shows both sides' word.
    sign_in(page, focal.email)
    page.goto("/countries/ao/roadmap/")
    page.get_by_role("link", name="Adopt the roadmap").click()
    page.get_by_label("I confirm").check()
    page.get_by_role("button", name="Adopt the roadmap").click()
    expect(page.get_by_text("The roadmap was adopted.")).to_be_visible()
    agreement = page.locator("section[aria-labelledby=agreement-heading]")
    expect(agreement).to_contain_text("Government:")
    expect(agreement).to_contain_text("adopted")
    expect(agreement).to_contain_text("Co-signed")
    adopted = Notification.objects.filter(kind="roadmaps_roadmap_adopted")
    assert {n.recipient for n in adopted} == {ngo, staff}
    assert Roadmap.objects.get(pk=draft.pk).status == RoadmapStatus.ADOPTED
