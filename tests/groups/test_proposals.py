"""Proposals through the pages: a member puts one, each side votes, an objection gives its
reason, the proposal closes with its result, the facilitator answers every objection before
publishing the outcome, and the outcome becomes a milestone of the draft roadmap."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from groups import services
from groups.models import Outcome, Position, Proposal, ProposalResult, Side, Vote
from groups.tasks import close_proposals
from roadmaps.models import Milestone, RoadmapStatus
from tests.groups.factories import (
    GroupMemberFactory,
    ProposalFactory,
    ThreadFactory,
    WorkingGroupFactory,
)
from tests.roadmaps.factories import PriorityFactory, RoadmapFactory

pytestmark = pytest.mark.django_db


def mails_to(person) -> list:
    return [message for message in mail.outbox if message.to == [person.email]]


def body(message) -> str:
    return " ".join(message.body.split())


@pytest.fixture
def group(world):
    group = WorkingGroupFactory(
        initiative=world.kenya_initiative, facilitator=world["focal_point"], title="Referrals"
    )
    GroupMemberFactory(
        group=group,
        user=world["org_admin"],
        side=Side.CIVIL_SOCIETY,
        organization=world.organization,
    )
    return group


@pytest.fixture
def expert(group):
    return GroupMemberFactory(group=group, side=Side.GOVERNMENT).user


def close(proposal):
    Proposal.objects.filter(pk=proposal.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    close_proposals()
    proposal.refresh_from_db()


def test_a_member_puts_a_proposal_and_the_group_is_told(
    world, client_for, group, expert, outbox_delivery
):
    thread = ThreadFactory(group=group)
    client = client_for("org_admin")
    assert "Put a proposal" in client.get(thread.get_absolute_url()).content.decode()
    closes = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    with outbox_delivery():
        response = client.post(
            reverse("groups:proposal_create", args=[thread.pk]),
            {
                "question": "A 24-hour rule?",
                "kind": "consent",
                "closes_at": closes,
                "pass_share": 60,
            },
            follow=True,
        )
    assert "The proposal is open" in response.content.decode()
    proposal = Proposal.objects.get()
    assert proposal.pass_share == 60
    (told,) = mails_to(expert)
    assert "A proposal is open in the working group “Referrals”" in body(told)
    assert mails_to(world["focal_point"])  # the facilitator too
    assert "A 24-hour rule?" in client.get(group.get_absolute_url()).content.decode()


def test_a_proposal_in_the_past_or_a_choice_without_options_is_refused(world, client_for, group):
    thread = ThreadFactory(group=group)
    past = (timezone.localtime() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client_for("org_admin").post(
        reverse("groups:proposal_create", args=[thread.pk]),
        {"question": "Too late?", "kind": "consent", "closes_at": past, "pass_share": 50},
    )
    assert "The closing time must be in the future." in response.content.decode()
    future = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client_for("org_admin").post(
        reverse("groups:proposal_create", args=[thread.pk]),
        {
            "question": "Which?",
            "kind": "choice",
            "options": "Only one",
            "closes_at": future,
            "pass_share": 50,
        },
    )
    assert "A choice needs between 2 and 8 options" in response.content.decode()
    assert not Proposal.objects.exists()


def test_each_side_votes_an_objection_needs_its_reason_and_the_tally_shows_the_sides(
    world, client_for, group, expert
):
    proposal = ProposalFactory(thread=ThreadFactory(group=group))
    ngo = client_for("org_admin")
    response = ngo.post(reverse("groups:vote", args=[proposal.pk]), {"position": "objection"})
    assert response.status_code == 400
    assert "Say why you object" in response.content.decode()
    assert not Vote.objects.exists()
    ngo.post(
        reverse("groups:vote", args=[proposal.pk]),
        {"position": "objection", "reason": "Adults are sent home."},
    )
    services.vote_cast(proposal=proposal, user=expert, position=Position.CONSENT)
    page = ngo.get(proposal.get_absolute_url()).content.decode()
    assert "Government: 1 of 1" in page
    assert "Civil society: 1 of 1" in page
    assert "Adults are sent home." in page
    vote = Vote.objects.get(user=world["org_admin"])
    assert (vote.side, vote.position) == (Side.CIVIL_SOCIETY, Position.OBJECTION)


def test_a_non_member_cannot_vote_and_nobody_votes_after_closing(world, client_for, group, expert):
    proposal = ProposalFactory(thread=ThreadFactory(group=group))
    # The facilitator reads and runs the group, but is not a member: no vote.
    response = client_for("focal_point").post(
        reverse("groups:vote", args=[proposal.pk]), {"position": "consent"}
    )
    assert response.status_code == 403
    assert (
        client_for("registered")
        .post(reverse("groups:vote", args=[proposal.pk]), {"position": "consent"})
        .status_code
        == 404
    )
    close(proposal)
    response = client_for("org_admin").post(
        reverse("groups:vote", args=[proposal.pk]), {"position": "consent"}, follow=True
    )
    assert "This proposal is closed" in response.content.decode()
    assert not Vote.objects.exists()


def test_closing_computes_the_result_once_and_tells_the_group(
    world, group, expert, outbox_delivery
):
    proposal = ProposalFactory(thread=ThreadFactory(group=group), pass_share=50, quorum=2)
    services.vote_cast(proposal=proposal, user=expert, position=Position.CONSENT)
    services.vote_cast(
        proposal=proposal, user=world["org_admin"], position=Position.OBJECTION, reason="Too slow."
    )
    with outbox_delivery():
        close(proposal)
        close_proposals()  # a second run finds nothing to close
    assert proposal.result == ProposalResult.PASSED  # 1 consent of 2 deciding: 50 %
    closed = [m for m in mails_to(expert) if "has closed" in m.subject]
    assert len(closed) == 1
    assert "Result: Passed." in body(closed[0])
    assert "1 objection is on record" in body(closed[0])
    assert AuditEntry.objects.filter(action="group.proposal_closed").count() == 1


def test_without_its_quorum_a_proposal_does_not_pass(group, expert):
    proposal = ProposalFactory(thread=ThreadFactory(group=group), quorum=2)
    services.vote_cast(proposal=proposal, user=expert, position=Position.CONSENT)
    close(proposal)
    assert proposal.result == ProposalResult.NO_QUORUM


def test_a_choice_passes_with_its_leading_option(world, client_for, group, expert):
    proposal = ProposalFactory(
        thread=ThreadFactory(group=group), kind="choice", options=["24 hours", "48 hours"]
    )
    services.vote_cast(proposal=proposal, user=expert, choice=1)
    services.vote_cast(proposal=proposal, user=world["org_admin"], choice=1)
    close(proposal)
    assert (proposal.result, proposal.chosen_option) == (ProposalResult.PASSED, "48 hours")
    page = client_for("org_admin").get(proposal.get_absolute_url()).content.decode()
    assert '<span dir="auto">48 hours</span></p>' in page  # the vote by its words


def test_the_outcome_waits_for_every_objection_to_be_answered_then_becomes_a_milestone(
    world, client_for, group, expert, outbox_delivery
):
    draft = RoadmapFactory(initiative=world.kenya_initiative, status=RoadmapStatus.DRAFT)
    priority = PriorityFactory(roadmap=draft, title="Protect victims")
    proposal = ProposalFactory(thread=ThreadFactory(group=group))
    services.vote_cast(proposal=proposal, user=expert, position=Position.CONSENT)
    services.vote_cast(
        proposal=proposal, user=world["org_admin"], position=Position.OBJECTION, reason="Too slow."
    )
    close(proposal)
    facilitator = client_for("focal_point")
    facilitator.post(
        reverse("groups:outcome", args=[proposal.pk]),
        {"decision": "Referral within 24 hours", "reasons": "Both sides agreed on the need."},
    )
    response = facilitator.post(reverse("groups:outcome_publish", args=[proposal.pk]), follow=True)
    assert "1 objection still waits for a written response" in response.content.decode()
    assert Outcome.objects.get().published_at is None
    objection = Vote.objects.get(position=Position.OBJECTION)
    facilitator.post(
        reverse("groups:objection_respond", args=[objection.pk]),
        {"response": "Shelters open at night from March."},
    )
    with outbox_delivery():
        facilitator.post(reverse("groups:outcome_publish", args=[proposal.pk]))
    outcome = Outcome.objects.get()
    assert outcome.published_at is not None
    (published,) = [m for m in mails_to(world["org_admin"]) if "outcome" in m.subject.lower()]
    assert "has published the outcome of a proposal" in body(published)
    page = client_for("org_admin").get(proposal.get_absolute_url()).content.decode()
    assert "Shelters open at night from March." in page
    assert "Referral within 24 hours" in page
    response = facilitator.post(
        reverse("groups:outcome_milestone", args=[proposal.pk]),
        {"priority": priority.pk},
        follow=True,
    )
    assert "The outcome is a milestone of the draft roadmap." in response.content.decode()
    milestone = Milestone.objects.get(priority=priority)
    assert milestone.title == "Referral within 24 hours"
    assert list(milestone.group_outcomes.all()) == [outcome]
    assert "Decided in a working group on" in milestone.description
    assert AuditEntry.objects.filter(action="group.outcome_to_milestone").exists()


def test_my_work_asks_members_to_vote_and_the_facilitator_to_answer(
    world, client_for, group, expert
):
    proposal = ProposalFactory(thread=ThreadFactory(group=group), question="A 24-hour rule?")
    assert (
        "Proposals waiting for your vote"
        in client_for("org_admin").get("/my-work/").content.decode()
    )
    services.vote_cast(
        proposal=proposal, user=world["org_admin"], position=Position.OBJECTION, reason="Too slow."
    )
    assert (
        "Proposals waiting for your vote"
        not in client_for("org_admin").get("/my-work/").content.decode()
    )
    page = client_for("focal_point").get("/my-work/").content.decode()
    assert "Objections awaiting your response" in page
    assert "Too slow." in page


def test_members_who_have_not_voted_are_reminded_once_a_day_before(
    world, group, expert, outbox_delivery
):
    proposal = ProposalFactory(
        thread=ThreadFactory(group=group), closes_at=timezone.now() + datetime.timedelta(hours=5)
    )
    services.vote_cast(proposal=proposal, user=expert, position=Position.CONSENT)
    with outbox_delivery():
        close_proposals()
        close_proposals()
    (reminder,) = mails_to(world["org_admin"])
    assert "and you have not voted yet" in body(reminder)
    assert mails_to(expert) == []


def test_the_csu_dashboard_counts_each_countrys_dialogue(world, client_for, group, expert):
    from django.core.cache import cache

    proposal = ProposalFactory(thread=ThreadFactory(group=group))
    services.vote_cast(
        proposal=proposal, user=world["org_admin"], position=Position.OBJECTION, reason="Too slow."
    )
    cache.clear()
    page = client_for("staff").get("/dashboard/").content.decode()
    section = page.split('id="dialogue-heading"', 1)[1].split("</section>", 1)[0]
    assert "Kenya" in section
    assert "<td>1</td><td>1</td><td>1</td>" in section.replace("\n", "")
