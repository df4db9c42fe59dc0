"""Every change to working groups that does more than save one form.

Each service runs in one transaction, checks the state it changes, writes its audit entry
(membership decisions, removals, moderation) and its emails, which the outbox sends after
commit. Views check permissions (groups/rules.py) first; the services check what the
permissions cannot: a person's current membership, a thread's or a reply's state.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from notifications.services import absolute_url, notify
from stakeholders.models import Organization, User

from .models import (
    GroupMember,
    MemberStatus,
    Reply,
    ReplyRevision,
    Side,
    Thread,
    ThreadRead,
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


@transaction.atomic
def reply_post(*, thread: Thread, actor: User, body: str, quote: Reply | None = None) -> Reply:
    body = _required(body, _("Write a reply before sending it."))
    if quote is not None and (quote.thread_id != thread.pk or quote.hidden_at is not None):
        quote = None  # only a visible reply of the same thread is quoted
    now = timezone.now()
    reply = Reply.objects.create(
        thread=thread, author=actor, body=body, quote=quote, created_at=now
    )
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
