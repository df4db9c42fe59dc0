"""A working group in the browser: a focal point creates it and names a government expert,
invites an NGO member, who joins; they open a thread and answer each other, quoting; a
proposal closes with the NGO's objection, which the facilitator answers before recording
the outcome; the outcome becomes a milestone of the draft roadmap. Each step tells the
people it concerns."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from groups import services
from groups.models import GroupMember, MemberStatus, Outcome, Proposal, Reply, Vote, WorkingGroup
from groups.tasks import close_proposals
from notifications.models import Notification
from roadmaps.models import Milestone, RoadmapStatus
from tests.roadmaps.factories import PriorityFactory, RoadmapFactory
from tests.stakeholders.factories import UserFactory

from .test_roadmap_journey import sign_in, sign_out


def test_a_focal_point_and_an_ngo_member_work_in_a_group(page, world, settings):
    settings.PORTAL_REQUIRE_TWO_FACTOR = False
    expert = UserFactory(email="expert@example.org", full_name="Eli Expert")
    focal, ngo = world["focal_point"], world["org_admin"]
    draft = RoadmapFactory(initiative=world.kenya_initiative, status=RoadmapStatus.DRAFT)
    PriorityFactory(roadmap=draft, title="Protect victims of trafficking")

    sign_in(page, focal.email)
    page.goto("/countries/ke/")
    page.get_by_role("link", name="All working groups").click()
    page.get_by_role("link", name="New working group").click()
    page.get_by_role("textbox", name="Title").fill("Referral of victims")
    page.get_by_role("textbox", name="Purpose").fill(
        "Agree how victims reach shelters within a day."
    )
    page.get_by_label("Registered people see the group and its purpose").check()
    page.get_by_role("button", name="Create the group").click()
    expect(page.get_by_text("The working group is created.")).to_be_visible()
    group = WorkingGroup.objects.get(title="Referral of victims")
    assert group.facilitator == focal

    page.get_by_role("link", name="Members and requests").click()
    expert_form = page.locator("form").filter(
        has=page.get_by_role("button", name="Add to the group")
    )
    expert_form.get_by_label("Email address").fill(expert.email)
    expert_form.get_by_label("Agency").fill("Directorate of Criminal Investigations")
    expert_form.get_by_role("button", name="Add to the group").click()
    expect(page.get_by_text("The government expert is a member")).to_be_visible()
    invite_form = page.locator("form").filter(
        has=page.get_by_role("button", name="Send the invitation")
    )
    invite_form.get_by_label("Email address").fill(ngo.email)
    invite_form.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("The invitation is sent.")).to_be_visible()
    named = Notification.objects.get(kind="groups_member_added")
    assert named.recipient == expert
    invitation = Notification.objects.get(kind="groups_invited")
    assert invitation.recipient == ngo
    assert "You are invited to join the working group “Referral of victims” in Kenya" in " ".join(
        invitation.body_text.split()
    )
    sign_out(page)

    sign_in(page, ngo.email)
    page.goto(group.get_absolute_url())
    expect(page.get_by_text("You are invited to join this group.")).to_be_visible()
    page.get_by_role("button", name="Join the group").click()
    expect(page.get_by_text("Welcome to the group.")).to_be_visible()
    assert GroupMember.objects.get(group=group, user=ngo).status == MemberStatus.ACTIVE
    page.get_by_role("link", name="New thread").click()
    page.get_by_role("textbox", name="Title").fill("Border referrals")
    page.get_by_label("Context").fill("Who refers a victim found at the border?")
    page.get_by_role("button", name="Open the thread").click()
    expect(page.get_by_text("The thread is open")).to_be_visible()
    started = Notification.objects.filter(kind="groups_thread_started")
    assert {n.recipient for n in started} == {expert, focal}
    page.get_by_label("Your reply").fill("The shelters can take them at any hour.")
    page.get_by_role("button", name="Post the reply").click()
    expect(page.get_by_text("Your reply is posted.")).to_be_visible()
    sign_out(page)

    sign_in(page, focal.email)
    page.goto(group.get_absolute_url())
    expect(page.get_by_text("1 new")).to_be_visible()
    page.get_by_role("link", name="Border referrals").click()
    page.get_by_role("link", name="Quote").click()
    expect(page.get_by_text("Quoting:")).to_be_visible()
    page.get_by_label("Your reply").fill("Agreed for adults; children go to the county officer.")
    page.get_by_role("button", name="Post the reply").click()
    expect(page.locator("blockquote").first).to_contain_text("The shelters can take them")
    answer = Reply.objects.get(body__startswith="Agreed")
    assert answer.quote is not None
    told = Notification.objects.filter(kind="groups_reply_posted")
    assert [n.recipient for n in told] == [ngo]
    assert "There is a new reply in the thread “Border referrals”" in " ".join(
        told[0].body_text.split()
    )

    # The facilitator puts a proposal; the NGO objects, with its reason; the expert consents.
    page.get_by_role("link", name="Put a proposal").click()
    page.get_by_label("Question").fill("Refer every victim to a shelter within 24 hours?")
    closes = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Closes at").fill(closes)
    page.get_by_role("button", name="Open the proposal").click()
    expect(page.get_by_text("The proposal is open")).to_be_visible()
    opened = Notification.objects.filter(kind="groups_proposal_opened")
    assert {n.recipient for n in opened} == {expert, ngo}
    proposal = Proposal.objects.get()
    services.vote_cast(proposal=proposal, user=expert, position="consent")
    sign_out(page)

    sign_in(page, ngo.email)
    page.goto(proposal.get_absolute_url())
    page.get_by_role("radio", name="Objection").check()
    page.get_by_role("button", name="Vote").click()
    expect(page.get_by_text("Say why you object")).to_be_visible()
    page.get_by_role("radio", name="Objection").check()
    page.get_by_label("Reason").fill("Adults are sent home: the rule must cover them.")
    page.get_by_role("button", name="Vote").click()
    expect(page.get_by_text("Your vote is recorded.")).to_be_visible()
    expect(page.get_by_text("Government: 1 of 1")).to_be_visible()
    sign_out(page)

    # Its time comes: the periodic task closes it and tells the group.
    Proposal.objects.filter(pk=proposal.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    close_proposals()
    closed = Notification.objects.get(kind="groups_proposal_closed", recipient=ngo)
    assert "1 objection is on record" in " ".join(closed.body_text.split())

    sign_in(page, focal.email)
    page.goto(proposal.get_absolute_url())
    page.get_by_role("link", name="Record the outcome").click()
    page.get_by_label("What the group decided").fill("Refer every victim within 24 hours")
    page.get_by_label("Why").fill("Three of four consented; the objection is answered below.")
    page.get_by_role("button", name="Save the outcome").click()
    page.get_by_role("button", name="Publish the outcome").click()
    expect(page.get_by_text("1 objection still waits for a written response")).to_be_visible()
    page.get_by_label("Response to the objection").fill("Adults are covered from day one.")
    page.get_by_role("button", name="Answer the objection").click()
    page.get_by_role("button", name="Publish the outcome").click()
    expect(page.get_by_text("The outcome is published")).to_be_visible()
    assert Vote.objects.get(position="objection").responded_at is not None
    published = Notification.objects.get(kind="groups_outcome_published", recipient=ngo)
    assert "has published the outcome of a proposal" in " ".join(published.body_text.split())
    page.get_by_label("Priority of the draft roadmap").select_option(
        label="Protect victims of trafficking"
    )
    page.get_by_role("button", name="Make it a milestone of the draft roadmap").click()
    expect(page.get_by_text("The outcome is a milestone of the draft roadmap.")).to_be_visible()
    milestone = Milestone.objects.get(title="Refer every victim within 24 hours")
    assert Outcome.objects.get().milestone == milestone
    assert milestone.priority.roadmap == draft
