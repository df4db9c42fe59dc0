"""A working group in the browser: a focal point creates it and names a government expert,
invites an NGO member, who joins; they open a thread and answer each other, quoting; each
step tells the people it concerns."""

from playwright.sync_api import expect

from groups.models import GroupMember, MemberStatus, Reply, WorkingGroup
from notifications.models import Notification
from tests.stakeholders.factories import UserFactory

from .test_roadmap_journey import sign_in, sign_out


def test_a_focal_point_and_an_ngo_member_work_in_a_group(page, world, settings):
    settings.PORTAL_REQUIRE_TWO_FACTOR = False
    expert = UserFactory(email="expert@example.org", full_name="Eli Expert")
    focal, ngo = world["focal_point"], world["org_admin"]

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
