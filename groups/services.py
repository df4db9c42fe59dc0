"""Every change to working groups that does more than save one form.

Each service runs in one transaction, checks the state it changes, writes its audit entry
(membership decisions, removals, moderation) and its emails, which the outbox sends after
commit. Views check permissions (groups/rules.py) first; the services check what the
permissions cannot: a person's current membership, a thread's or a reply's state.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.services import audit_record
from notifications.models import Category
from notifications.services import absolute_url, notify
from roadmaps.models import Milestone, Priority
from roadmaps.services import milestone_create
from roadmaps.uploads import CheckedFile
from stakeholders.models import Organization, User

from .models import (
    GroupMember,
    GroupVisibility,
    MemberStatus,
    Outcome,
    Position,
    Proposal,
    ProposalKind,
    ProposalResult,
    Reply,
    ReplyRevision,
    Side,
    Thread,
    ThreadRead,
    Vote,
    WorkingGroup,
)
from .rules import forget_memberships

# The most text a reply or a thread's context may hold; the forms say so first.
MAX_TEXT = 20000


def _required(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(message)
    if len(text) > MAX_TEXT:
        raise ValidationError(
            _("Keep it under %(count)d characters.") % {"count": MAX_TEXT}, code="too_long"
        )
    return text


def _group_context(group: WorkingGroup, **extra: Any) -> dict[str, Any]:
    return {
        "group": group,
        "country": group.initiative.country.name,
        "url": absolute_url(group.get_absolute_url()),
        **extra,
    }


# --- Groups -------------------------------------------------------------------------------


@transaction.atomic
def group_create(*, form: Any, initiative: Any, actor: User) -> WorkingGroup:
    """Create a group from a valid ``WorkingGroupForm``; its facilitator is told."""
    group = form.save(commit=False)
    group.initiative = initiative
    group.created_by = actor
    group.save()
    audit_record(actor=actor, action="group.created", target=group, title=group.title)
    if group.facilitator_id != actor.pk:
        notify(
            recipients=[group.facilitator],
            template="groups_facilitator_named",
            context=_group_context(group),
        )
    return group


@transaction.atomic
def group_update(*, form: Any, actor: User) -> WorkingGroup:
    group = form.save()
    audit_record(
        actor=actor, action="group.changed", target=group, fields=sorted(form.changed_data)
    )
    if "facilitator" in form.changed_data and group.facilitator_id != actor.pk:
        notify(
            recipients=[group.facilitator],
            template="groups_facilitator_named",
            context=_group_context(group),
        )
    return group


# --- Members ------------------------------------------------------------------------------


def _existing(group: WorkingGroup, user: User) -> GroupMember | None:
    return GroupMember.objects.select_for_update().filter(group=group, user=user).first()


@transaction.atomic
def member_add_government(
    *, group: WorkingGroup, actor: User, user: User, agency: str = ""
) -> GroupMember:
    """The initiative's side names a government expert: a member at once, told by email."""
    membership = _existing(group, user)
    if membership is not None and membership.status == MemberStatus.ACTIVE:
        raise ValidationError(_("This person is already a member of the group."))
    if membership is None:
        membership = GroupMember(group=group, user=user)
    membership.side = Side.GOVERNMENT
    membership.organization = None
    membership.agency = agency.strip()
    membership.status = MemberStatus.ACTIVE
    membership.added_by = actor
    membership.decided_by = actor
    membership.decided_at = timezone.now()
    membership.save()
    forget_memberships(group)
    audit_record(
        actor=actor, action="group.member_added", target=group, person=user.pk, side=Side.GOVERNMENT
    )
    notify(recipients=[user], template="groups_member_added", context=_group_context(group))
    return membership


@transaction.atomic
def member_invite(
    *, group: WorkingGroup, actor: User, user: User, organization: Organization
) -> GroupMember:
    """Invite a person of an alliance organization; they accept or decline."""
    membership = _existing(group, user)
    if membership is not None and membership.status in (MemberStatus.ACTIVE, MemberStatus.INVITED):
        raise ValidationError(_("This person is already a member of the group, or invited."))
    if membership is None:
        membership = GroupMember(group=group, user=user)
    membership.side = Side.CIVIL_SOCIETY
    membership.organization = organization
    membership.status = MemberStatus.INVITED
    membership.added_by = actor
    membership.decided_by = None
    membership.decided_at = None
    membership.save()
    forget_memberships(group)
    audit_record(
        actor=actor,
        action="group.member_invited",
        target=group,
        person=user.pk,
        organization=organization.pk,
    )
    notify(recipients=[user], template="groups_invited", context=_group_context(group))
    return membership


@transaction.atomic
def member_request(
    *, group: WorkingGroup, user: User, organization: Organization, note: str = ""
) -> GroupMember:
    """A person of an alliance organization asks to join; the facilitator decides."""
    membership = _existing(group, user)
    if membership is not None and membership.status in (
        MemberStatus.ACTIVE,
        MemberStatus.REQUESTED,
        MemberStatus.INVITED,
    ):
        raise ValidationError(_("You are already a member of this group, or your request waits."))
    if membership is None:
        membership = GroupMember(group=group, user=user)
    membership.side = Side.CIVIL_SOCIETY
    membership.organization = organization
    membership.status = MemberStatus.REQUESTED
    membership.note = note.strip()[:2000]
    membership.added_by = user
    membership.decided_by = None
    membership.decided_at = None
    membership.save()
    forget_memberships(group)
    audit_record(actor=user, action="group.join_requested", target=group)
    notify(
        recipients=[group.facilitator],
        template="groups_join_requested",
        context=_group_context(group),
    )
    return membership


@transaction.atomic
def member_decide(*, membership: GroupMember, actor: User, approve: bool) -> GroupMember:
    """The facilitator (or the initiative's side, CSU staff) decides a request to join."""
    changed = GroupMember.objects.filter(pk=membership.pk, status=MemberStatus.REQUESTED).update(
        status=MemberStatus.ACTIVE if approve else MemberStatus.DECLINED,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    if not changed:
        raise ValidationError(_("This request has already been decided."))
    membership.refresh_from_db()
    group = membership.group
    forget_memberships(group)
    audit_record(
        actor=actor,
        action="group.member_approved" if approve else "group.member_declined",
        target=group,
        person=membership.user_id,
    )
    notify(
        recipients=[membership.user],
        template="groups_membership_decision",
        context=_group_context(group, approved=approve),
    )
    return membership


@transaction.atomic
def invitation_answer(*, membership: GroupMember, accept: bool) -> GroupMember:
    changed = GroupMember.objects.filter(pk=membership.pk, status=MemberStatus.INVITED).update(
        status=MemberStatus.ACTIVE if accept else MemberStatus.DECLINED,
        decided_by=membership.user,
        decided_at=timezone.now(),
    )
    if not changed:
        raise ValidationError(_("This invitation has already been answered."))
    membership.refresh_from_db()
    forget_memberships(membership.group)
    audit_record(
        actor=membership.user,
        action="group.invitation_accepted" if accept else "group.invitation_declined",
        target=membership.group,
    )
    return membership


@transaction.atomic
def member_remove(*, membership: GroupMember, actor: User) -> GroupMember:
    """A member leaves, or the facilitator removes them: they keep what they wrote."""
    changed = GroupMember.objects.filter(
        pk=membership.pk,
        status__in=[MemberStatus.ACTIVE, MemberStatus.INVITED, MemberStatus.REQUESTED],
    ).update(status=MemberStatus.LEFT, decided_by=actor, decided_at=timezone.now())
    if not changed:
        raise ValidationError(_("This person is no longer in the group."))
    membership.refresh_from_db()
    forget_memberships(membership.group)
    audit_record(
        actor=actor,
        action="group.member_left" if actor.pk == membership.user_id else "group.member_removed",
        target=membership.group,
        person=membership.user_id,
    )
    return membership


# --- Threads and replies ---------------------------------------------------------------------


def group_audience(group: WorkingGroup, *, exclude: User | None = None) -> list[User]:
    """The group's active members and its facilitator, who may all read its discussion."""
    people = User.objects.filter(
        Q(group_memberships__group=group, group_memberships__status=MemberStatus.ACTIVE)
        | Q(pk=group.facilitator_id),
        is_active=True,
    ).distinct()
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return list(people)


@transaction.atomic
def thread_start(*, group: WorkingGroup, actor: User, title: str, context: str) -> Thread:
    title = _required(title, _("Give the thread a title."))[:200]
    context = _required(context, _("Say what the thread is about."))
    thread = Thread.objects.create(group=group, title=title, context=context, author=actor)
    ThreadRead.objects.create(thread=thread, user=actor, read_at=thread.created_at)
    notify(
        recipients=group_audience(group, exclude=actor),
        template="groups_thread_started",
        context=_group_context(group, thread=thread, url=absolute_url(thread.get_absolute_url())),
    )
    return thread


def thread_participants(thread: Thread, *, exclude: User) -> list[User]:
    """Who started the thread or replied in it and may still read the group's discussion."""
    wrote = set(thread.replies.exclude(author=None).values_list("author_id", flat=True))
    if thread.author_id:
        wrote.add(thread.author_id)
    return [
        person for person in group_audience(thread.group, exclude=exclude) if person.pk in wrote
    ]


def reply_post(
    *,
    thread: Thread,
    actor: User,
    body: str,
    quote: Reply | None = None,
    attachment: CheckedFile | None = None,
) -> Reply:
    """Post a reply (with a checked attachment): the file is stored with the reply, and
    deleted again if the reply cannot be saved."""
    stored: list[str] = []
    try:
        return _reply_post(thread, actor, body, quote, attachment, stored)
    except BaseException:
        for name in stored:
            Reply.attachment.field.storage.delete(name)
        raise


@transaction.atomic
def _reply_post(
    thread: Thread,
    actor: User,
    body: str,
    quote: Reply | None,
    attachment: CheckedFile | None,
    stored: list[str],
) -> Reply:
    body = _required(body, _("Write a reply before sending it."))
    if quote is not None and (quote.thread_id != thread.pk or quote.hidden_at is not None):
        quote = None  # only a visible reply of the same thread is quoted
    now = timezone.now()
    reply = Reply(thread=thread, author=actor, body=body, quote=quote, created_at=now)
    if attachment is not None:
        reply.attachment.save(attachment.original_name, attachment.content, save=False)
        assert reply.attachment.name is not None  # save() named the stored file
        stored.append(reply.attachment.name)
        reply.attachment_name = attachment.original_name
        reply.attachment_content_type = attachment.content_type
        reply.attachment_size = attachment.size
    reply.save()
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=now)
    ThreadRead.objects.update_or_create(thread=thread, user=actor, defaults={"read_at": now})
    notify(
        recipients=thread_participants(thread, exclude=actor),
        template="groups_reply_posted",
        context=_group_context(
            thread.group, thread=thread, url=absolute_url(reply.get_absolute_url())
        ),
    )
    return reply


@transaction.atomic
def reply_edit(*, reply: Reply, actor: User, body: str) -> Reply:
    """The author changes a reply; what it said before is kept in its history."""
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    if reply.hidden_at is not None:
        raise ValidationError(_("A hidden reply cannot be edited."))
    body = _required(body, _("Write a reply before sending it."))
    if body == reply.body:
        return reply
    ReplyRevision.objects.create(
        reply=reply, body=reply.body, written_at=reply.edited_at or reply.created_at
    )
    reply.body = body
    reply.edited_at = timezone.now()
    reply.save(update_fields=["body", "edited_at"])
    return reply


@transaction.atomic
def reply_hide(*, reply: Reply, actor: User, reason: str) -> Reply:
    """The facilitator or CSU staff hide a reply, with a reason its author reads."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the reply is hidden: its author reads the reason."))
    changed = Reply.objects.filter(pk=reply.pk, hidden_at=None).update(
        hidden_at=timezone.now(), hidden_by=actor, hidden_reason=reason[:2000]
    )
    if not changed:
        raise ValidationError(_("This reply is already hidden."))
    reply.refresh_from_db()
    audit_record(
        actor=actor,
        action="group.reply_hidden",
        target=reply.thread.group,
        reply=reply.pk,
        reason=reason[:200],
    )
    return reply


def thread_mark_read(*, thread: Thread, user: User) -> None:
    try:
        with transaction.atomic():
            ThreadRead.objects.update_or_create(
                thread=thread, user=user, defaults={"read_at": timezone.now()}
            )
    except IntegrityError:  # two tabs at once: the other one wrote it
        pass


# --- Proposals, votes and outcomes ---------------------------------------------------------------

MAX_OPTIONS = 8
REMIND_BEFORE = datetime.timedelta(hours=24)


def _proposal_context(proposal: Proposal, **extra: Any) -> dict[str, Any]:
    group = proposal.thread.group
    return _group_context(
        group, proposal=proposal, url=absolute_url(proposal.get_absolute_url()), **extra
    )


@transaction.atomic
def proposal_open(
    *,
    thread: Thread,
    actor: User,
    question: str,
    kind: str,
    closes_at: datetime.datetime,
    options: list[str] | None = None,
    quorum: int | None = None,
    pass_share: int = 50,
) -> Proposal:
    question = _required(question, _("Ask a question."))[:2000]
    if closes_at <= timezone.now():
        raise ValidationError(_("The closing time must be in the future."))
    options = [option.strip()[:200] for option in options or [] if option.strip()]
    if kind == ProposalKind.CHOICE and not 2 <= len(options) <= MAX_OPTIONS:
        raise ValidationError(
            _("A choice needs between 2 and %(count)d options, one a line.")
            % {"count": MAX_OPTIONS}
        )
    if kind == ProposalKind.CONSENT:
        options = []
    if not 1 <= pass_share <= 100:
        raise ValidationError(_("The share needed to pass is between 1 and 100 %."))
    proposal = Proposal.objects.create(
        thread=thread,
        question=question,
        kind=kind,
        options=options,
        closes_at=closes_at,
        quorum=quorum or None,
        pass_share=pass_share,
        created_by=actor,
    )
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=proposal.created_at)
    audit_record(actor=actor, action="group.proposal_opened", target=thread.group)
    notify(
        recipients=group_audience(thread.group, exclude=actor),
        template="groups_proposal_opened",
        context=_proposal_context(proposal),
    )
    return proposal


@transaction.atomic
def vote_cast(
    *,
    proposal: Proposal,
    user: User,
    position: str = "",
    choice: int | None = None,
    reason: str = "",
) -> Vote:
    """A member votes, or changes their vote, while the proposal is open."""
    proposal = (
        Proposal.objects.select_for_update().select_related("thread__group").get(pk=proposal.pk)
    )
    if not proposal.is_open:
        raise ValidationError(_("This proposal is closed: no vote can be cast any more."))
    membership = GroupMember.objects.active().filter(group=proposal.thread.group, user=user).first()
    if membership is None:
        raise ValidationError(_("Only the group's members vote."))
    reason = (reason or "").strip()[:5000]
    if proposal.kind == ProposalKind.CONSENT:
        if position not in Position.values:
            raise ValidationError(_("Choose to consent, abstain or object."))
        if position == Position.OBJECTION and not reason:
            raise ValidationError(_("Say why you object: the facilitator answers each objection."))
        choice = None
    else:
        if choice is None or not 0 <= choice < len(proposal.options):
            raise ValidationError(_("Choose one of the options."))
        position = ""
    vote = Vote.objects.filter(proposal=proposal, user=user).first() or Vote(
        proposal=proposal, user=user
    )
    if vote.pk and (vote.position, vote.choice, vote.reason) != (position, choice, reason):
        # A changed objection is a new one: it waits for its own response.
        vote.response, vote.responded_by, vote.responded_at = "", None, None
    vote.side = membership.side
    vote.position, vote.choice, vote.reason = position, choice, reason
    vote.created_at = timezone.now()
    vote.save()
    return vote


@dataclass(frozen=True)
class SideTally:
    side: str
    label: str
    voted: int
    members: int


@dataclass(frozen=True)
class Tally:
    sides: list[SideTally]
    positions: dict[str, int]  # consent, abstain, objection -> votes
    options: list[int]  # votes for each option of a choice
    voters: int


def proposal_tally(proposal: Proposal) -> Tally:
    """How many of each side took part, and the counts: two queries."""
    votes = list(proposal.votes.values_list("side", "position", "choice"))
    members = dict(
        proposal.thread.group.members.active()
        .values_list("side")
        .annotate(count=Count("pk"))
        .order_by()
    )
    sides = [
        SideTally(
            side,
            str(label),
            sum(1 for vote_side, _position, _choice in votes if vote_side == side),
            members.get(side, 0),
        )
        for side, label in Side.choices
    ]
    positions = dict.fromkeys(Position.values, 0)
    options = [0] * len(proposal.options)
    for _side, position, choice in votes:
        if position:
            positions[position] += 1
        elif choice is not None and choice < len(options):
            options[choice] += 1
    return Tally(sides, positions, options, len(votes))


def proposal_result(proposal: Proposal, tally: Tally) -> tuple[str, int | None]:
    """The result as the proposal's own terms say: quorum first, then the share."""
    if proposal.quorum and tally.voters < proposal.quorum:
        return ProposalResult.NO_QUORUM, None
    if proposal.kind == ProposalKind.CONSENT:
        deciding = tally.positions[Position.CONSENT] + tally.positions[Position.OBJECTION]
        if deciding and tally.positions[Position.CONSENT] * 100 >= proposal.pass_share * deciding:
            return ProposalResult.PASSED, None
        return ProposalResult.NOT_PASSED, None
    if not tally.voters or not tally.options:
        return ProposalResult.NOT_PASSED, None
    leading = max(tally.options)
    if tally.options.count(leading) > 1 or leading * 100 < proposal.pass_share * tally.voters:
        return ProposalResult.NOT_PASSED, None
    return ProposalResult.PASSED, tally.options.index(leading)


@transaction.atomic
def proposal_close(*, proposal: Proposal) -> bool:
    """Close a proposal whose time has come and compute its result, once (a second run, or
    a second worker, finds it closed). The group is told."""
    now = timezone.now()
    claimed = Proposal.objects.filter(pk=proposal.pk, closed_at=None, closes_at__lte=now).update(
        closed_at=now
    )
    if not claimed:
        return False
    proposal = Proposal.objects.select_related("thread__group__initiative__country").get(
        pk=proposal.pk
    )
    tally = proposal_tally(proposal)
    proposal.result, proposal.chosen = proposal_result(proposal, tally)
    proposal.save(update_fields=["result", "chosen"])
    audit_record(
        actor=None,
        action="group.proposal_closed",
        target=proposal.thread.group,
        proposal=proposal.pk,
        result=proposal.result,
    )
    notify(
        recipients=group_audience(proposal.thread.group),
        template="groups_proposal_closed",
        context=_proposal_context(
            proposal, objections=tally.positions[Position.OBJECTION], voters=tally.voters
        ),
        dedupe_key=f"proposal-closed:{proposal.pk}",
    )
    return True


def proposals_close_due() -> int:
    """Close every proposal past its closing time (the periodic task)."""
    due = Proposal.objects.filter(closed_at=None, closes_at__lte=timezone.now()).values_list(
        "pk", flat=True
    )
    return sum(proposal_close(proposal=Proposal(pk=pk)) for pk in list(due))


def proposals_remind_closing() -> int:
    """A day before a proposal closes, its members who have not voted are reminded, once."""
    now = timezone.now()
    written = 0
    for proposal in Proposal.objects.filter(
        closed_at=None, closes_at__gt=now, closes_at__lte=now + REMIND_BEFORE
    ).select_related("thread__group__initiative__country"):
        voted = set(proposal.votes.values_list("user_id", flat=True))
        members = [
            person
            for person in User.objects.filter(
                group_memberships__group=proposal.thread.group,
                group_memberships__status=MemberStatus.ACTIVE,
                is_active=True,
            )
            if person.pk not in voted
        ]
        written += len(
            notify(
                recipients=members,
                template="groups_proposal_closing",
                context=_proposal_context(proposal),
                category=Category.REMINDERS,
                dedupe_key=f"proposal-closing:{proposal.pk}",
            )
        )
    return written


@transaction.atomic
def objection_respond(*, vote: Vote, actor: User, response: str) -> Vote:
    """The facilitator answers an objection in writing."""
    response = _required(response, _("Write the response to the objection."))[:5000]
    changed = Vote.objects.filter(
        pk=vote.pk, position=Position.OBJECTION, responded_at=None
    ).update(response=response, responded_by=actor, responded_at=timezone.now())
    if not changed:
        raise ValidationError(_("This objection has already been answered."))
    vote.refresh_from_db()
    audit_record(
        actor=actor,
        action="group.objection_answered",
        target=vote.proposal.thread.group,
        vote=vote.pk,
    )
    return vote


def unanswered_objections(proposal: Proposal):
    return proposal.votes.filter(position=Position.OBJECTION, responded_at=None)


@transaction.atomic
def outcome_record(*, proposal: Proposal, actor: User, decision: str, reasons: str) -> Outcome:
    """The facilitator records what the group decided and why, once the proposal closed; a
    published outcome is not changed."""
    if proposal.closed_at is None:
        raise ValidationError(_("Record the outcome once the proposal has closed."))
    decision = _required(decision, _("Say what the group decided."))[:5000]
    reasons = _required(reasons, _("Give the reasons for the decision."))[:10000]
    outcome = Outcome.objects.select_for_update().filter(proposal=proposal).first()
    if outcome is not None and outcome.published_at is not None:
        raise ValidationError(_("This outcome is published: it is no longer changed."))
    outcome = outcome or Outcome(proposal=proposal)
    outcome.decision, outcome.reasons = decision, reasons
    outcome.recorded_by, outcome.recorded_at = actor, timezone.now()
    outcome.save()
    audit_record(actor=actor, action="group.outcome_recorded", target=proposal.thread.group)
    return outcome


@transaction.atomic
def outcome_publish(*, outcome: Outcome, actor: User) -> Outcome:
    """Publish an outcome: only when every objection on record has its written response."""
    outcome = (
        Outcome.objects.select_for_update()
        .select_related("proposal__thread__group")
        .get(pk=outcome.pk)
    )
    if outcome.published_at is not None:
        raise ValidationError(_("This outcome is published already."))
    waiting = unanswered_objections(outcome.proposal).count()
    if waiting:
        raise ValidationError(
            ngettext(
                "%(count)d objection still waits for a written response: answer it first.",
                "%(count)d objections still wait for a written response: answer each first.",
                waiting,
            )
            % {"count": waiting}
        )
    outcome.published_at = timezone.now()
    outcome.save(update_fields=["published_at"])
    group = outcome.proposal.thread.group
    audit_record(actor=actor, action="group.outcome_published", target=group)
    notify(
        recipients=group_audience(group, exclude=actor),
        template="groups_outcome_published",
        context=_proposal_context(outcome.proposal, outcome=outcome),
    )
    return outcome


@transaction.atomic
def outcome_to_milestone(*, outcome: Outcome, priority: Priority, actor: User) -> Milestone:
    """Turn a published outcome into a milestone of the initiative's roadmap that is still
    being drafted, linked both ways (``outcome.milestone``, ``milestone.group_outcomes``)."""
    outcome = (
        Outcome.objects.select_for_update()
        .select_related("proposal__thread__group__initiative")
        .get(pk=outcome.pk)
    )
    group = outcome.proposal.thread.group
    if outcome.published_at is None:
        raise ValidationError(_("Publish the outcome before it goes on the roadmap."))
    if outcome.milestone_id is not None:
        raise ValidationError(_("This outcome is on the roadmap already."))
    if priority.roadmap.initiative_id != group.initiative_id:
        raise ValidationError(_("Choose a priority of this initiative's roadmap."))
    if not actor.has_perm("roadmaps.change_roadmap", priority.roadmap):
        raise PermissionDenied
    # The group is named only where anyone may know it exists.
    where = (
        _("Decided in the working group “%(title)s” on %(date)s.")
        % {"title": group.title, "date": formats.date_format(timezone.localdate())}
        if group.visibility == GroupVisibility.PUBLIC
        else _("Decided in a working group on %(date)s.")
        % {"date": formats.date_format(timezone.localdate())}
    )
    milestone = milestone_create(
        priority=priority, actor=actor, title=outcome.decision[:200], description=where
    )
    outcome.milestone = milestone
    outcome.save(update_fields=["milestone"])
    audit_record(
        actor=actor, action="group.outcome_to_milestone", target=group, milestone=milestone.pk
    )
    return milestone
