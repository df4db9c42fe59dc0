"""The pages of working groups: the list of a country's groups, a group's page with its
members by side and its threads, a thread with its replies, and the forms around them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.permissions import require_perm
from roadmaps.services import speaking_for
from roadmaps.views.milestones import private_download
from roadmaps.views.roadmaps import country_and_initiative, error_text
from stakeholders.models import User

from . import services
from .forms import (
    ExpertForm,
    HideForm,
    InviteForm,
    JoinForm,
    OutcomeForm,
    OutcomeMilestoneForm,
    ProposalForm,
    ReplyEditForm,
    ReplyForm,
    ResponseForm,
    ThreadForm,
    VoteForm,
    WorkingGroupForm,
)
from .models import (
    GroupMember,
    MemberStatus,
    Position,
    Proposal,
    ProposalKind,
    Reply,
    Side,
    Thread,
    ThreadRead,
    Vote,
    WorkingGroup,
)
from .rules import membership_of
from .selectors import with_side_counts

REPLIES_PER_PAGE = 50
THREADS_SHOWN = 20


def _group(request: HttpRequest, pk: int) -> WorkingGroup:
    """A group the reader may see, or a 404 (as for an address that leads nowhere)."""
    group = get_object_or_404(
        WorkingGroup.objects.select_related("initiative__country", "theme", "facilitator"), pk=pk
    )
    if not request.user.has_perm("groups.view_group", group):
        raise Http404("No such group.")
    return group


def _discussion_group(request: HttpRequest, pk: int) -> WorkingGroup:
    group = _group(request, pk)
    if not request.user.has_perm("groups.view_discussion", group):
        raise Http404("No such group.")
    return group


def _thread(request: HttpRequest, pk: int) -> Thread:
    thread = get_object_or_404(
        Thread.objects.select_related("group__initiative__country", "group__facilitator"), pk=pk
    )
    if not request.user.has_perm("groups.view_discussion", thread.group):
        raise Http404("No such thread.")
    return thread


def _reply(request: HttpRequest, pk: int) -> Reply:
    reply = get_object_or_404(
        Reply.objects.select_related(
            "thread__group__initiative__country", "thread__group__facilitator"
        ),
        pk=pk,
    )
    if not request.user.has_perm("groups.view_discussion", reply.thread.group):
        raise Http404("No such reply.")
    return reply


def reads_reply(user: Any, reply: Reply, moderates: bool | None = None) -> bool:
    """Whether a reader of the discussion reads this reply: a hidden one is for its author
    and the moderators only."""
    if reply.hidden_at is None or (reply.author_id is not None and reply.author_id == user.pk):
        return True
    if moderates is None:
        moderates = user.has_perm("groups.moderate", reply.thread.group)
    return moderates


def side_counts(group: WorkingGroup) -> dict[str, int]:
    counts = dict(group.members.active().values_list("side").annotate(count=Count("pk")).order_by())
    return {side: counts.get(side, 0) for side in Side.values}


class Voices:
    """How a reader sees who wrote what in a group: by name and side where the rules let
    them know it (``groups.view_contributors``), by side alone otherwise."""

    def __init__(self, group: WorkingGroup, reader: Any) -> None:
        self.named = reader.has_perm("groups.view_contributors", group)
        self.group = group
        self.sides = dict(group.members.values_list("user_id", "side"))
        self.names: dict[int, str] = {}

    def load_names(self, people: list[Any]) -> None:
        if self.named:
            self.names.update((person.pk, person.public_name) for person in people if person)

    def of(self, author_id: int | None) -> str:
        if author_id is None:
            return _("A former participant")
        side = self.sides.get(author_id)
        if self.named and author_id in self.names:
            if side == Side.GOVERNMENT:
                role = _("government")
            elif side == Side.CIVIL_SOCIETY:
                role = _("civil society")
            elif author_id == self.group.facilitator_id:
                role = _("facilitator")
            else:
                role = _("CSU staff")
            return f"{self.names[author_id]} ({role})"
        if side == Side.GOVERNMENT:
            return _("A government expert")
        if side == Side.CIVIL_SOCIETY:
            return _("A civil society member")
        if author_id == self.group.facilitator_id:
            return _("The facilitator")
        return _("CSU staff")


# --- A country's groups ------------------------------------------------------------------------


def group_list(request: HttpRequest, code: str) -> HttpResponse:
    country, initiative = country_and_initiative(request, code)
    groups = with_side_counts(
        WorkingGroup.objects.visible_to(request.user)
        .filter(initiative=initiative)
        .select_related("theme")
    ).order_by("title", "pk")
    return render(
        request,
        "groups/list.html",
        {
            "country": country,
            "initiative": initiative,
            "groups": groups,
            "can_add": request.user.has_perm("groups.add_group", initiative),
        },
    )


@login_required
def group_create(request: HttpRequest, code: str) -> HttpResponse:
    country, initiative = country_and_initiative(request, code)
    require_perm(request, "groups.add_group", initiative)
    form = WorkingGroupForm(request.POST or None, initial={"facilitator_email": request.user.email})
    if request.method == "POST" and form.is_valid():
        group = services.group_create(form=form, initiative=initiative, actor=request.user)
        messages.success(
            request, _("The working group is created. Name its members from its page.")
        )
        return redirect(group)
    return render(
        request,
        "groups/form.html",
        {
            "form": form,
            "title": _("New working group in %(country)s") % {"country": country.name},
            "back": reverse("groups:list", args=[country.slug]),
            "submit": _("Create the group"),
        },
    )


@login_required
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    require_perm(request, "groups.manage_group", group)
    form = WorkingGroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        services.group_update(form=form, actor=request.user)
        messages.success(request, _("The group is saved."))
        return redirect(group)
    return render(
        request,
        "groups/form.html",
        {
            "form": form,
            "title": _("Change the group “%(title)s”") % {"title": group.title},
            "back": group.get_absolute_url(),
            "submit": _("Save"),
        },
    )


@login_required
def my_groups(request: HttpRequest) -> HttpResponse:
    """The groups a person takes part in or facilitates, each with what is new to them:
    threads with replies they have not read, and proposals open for a vote."""
    user = request.user
    now = timezone.now()
    groups = list(
        with_side_counts(
            WorkingGroup.objects.filter(
                Q(facilitator=user)
                | Q(pk__in=GroupMember.objects.active().filter(user=user).values("group_id"))
            ).select_related("initiative__country")
        ).order_by("title", "pk")
    )
    last_read = ThreadRead.objects.filter(thread=OuterRef("pk"), user=user).values("read_at")
    news = dict(
        Thread.objects.filter(group__in=groups)
        .annotate(last_read=Subquery(last_read[:1]))
        .filter(Q(last_read__isnull=True) | Q(last_activity_at__gt=F("last_read")))
        .values_list("group")
        .annotate(count=Count("pk"))
        .order_by()
    )
    proposals = dict(
        Proposal.objects.filter(thread__group__in=groups, closed_at=None, closes_at__gt=now)
        .values_list("thread__group")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for group in groups:
        group.news = news.get(group.pk, 0)
        group.open_proposals = proposals.get(group.pk, 0)
    return render(request, "groups/mine.html", {"groups": groups})


# --- A group's page ---------------------------------------------------------------------------


def with_news(threads: list[Thread], user: Any) -> list[Thread]:
    """Each thread with its count of visible replies, and of those written after the reader
    last read it ("3 new"): two queries for the page, whatever the number of threads."""
    if not threads:
        return threads
    counts = dict(
        Reply.objects.filter(thread__in=threads, hidden_at=None)
        .values_list("thread")
        .annotate(count=Count("pk"))
        .order_by()
    )
    unread: dict[int, int] = {}
    if user.is_authenticated:
        last_read = ThreadRead.objects.filter(thread=OuterRef("thread"), user=user).values(
            "read_at"
        )
        unread = dict(
            Reply.objects.filter(thread__in=threads, hidden_at=None)
            .exclude(author=user)
            .annotate(last_read=Subquery(last_read[:1]))
            .filter(Q(last_read__isnull=True) | Q(created_at__gt=F("last_read")))
            .values_list("thread")
            .annotate(count=Count("pk"))
            .order_by()
        )
    for thread in threads:
        thread.reply_count = counts.get(thread.pk, 0)
        thread.new_count = unread.get(thread.pk, 0)
    return threads


def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    user = request.user
    reads_discussion = user.has_perm("groups.view_discussion", group)
    context: dict[str, Any] = {
        "group": group,
        "country": group.initiative.country,
        "counts": side_counts(group),
        "reads_discussion": reads_discussion,
        "can_manage": user.has_perm("groups.manage_group", group),
        "can_post": user.has_perm("groups.post", group),
        "membership": membership_of(user, group),
    }
    if user.has_perm("groups.join_group", group):
        membership = context["membership"]
        if membership is None or membership.status in (MemberStatus.DECLINED, MemberStatus.LEFT):
            context["can_join"] = True
    if reads_discussion:
        context["threads"] = with_news(
            list(group.threads.select_related("author")[:THREADS_SHOWN]), user
        )
        context["open_proposals"] = list(
            Proposal.objects.filter(
                thread__group=group, closed_at=None, closes_at__gt=timezone.now()
            ).order_by("closes_at")
        )
        context["thread_count"] = group.threads.count()
    if user.has_perm("groups.view_contributors", group):
        context["members"] = label_organizations(
            user,
            list(
                group.members.active()
                .select_related("user", "organization")
                .order_by("side", "user__full_name")
            ),
        )
    return render(request, "groups/detail.html", context)


def label_organizations(user: Any, members: list[GroupMember]) -> list[GroupMember]:
    """Each member's organization by name where the reader may see it named."""
    for member in members:
        member.organization_label = (
            member.organization.name
            if member.organization_id
            and user.has_perm("stakeholders.view_organization", member.organization)
            else ""
        )
    return members


# --- Members ------------------------------------------------------------------------------------


def _alliance_organizations(group: WorkingGroup):
    return lambda person: speaking_for(person, group.initiative)


@login_required
def group_members(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    require_perm(request, "groups.manage_group", group)
    return _members_page(request, group)


def _members_page(
    request: HttpRequest,
    group: WorkingGroup,
    expert_form: ExpertForm | None = None,
    invite_form: InviteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    memberships = label_organizations(
        request.user,
        list(
            group.members.exclude(status__in=[MemberStatus.LEFT, MemberStatus.DECLINED])
            .select_related("user", "organization")
            .order_by("status", "side", "user__full_name")
        ),
    )
    return render(
        request,
        "groups/members.html",
        {
            "group": group,
            "country": group.initiative.country,
            "requests": [m for m in memberships if m.status == MemberStatus.REQUESTED],
            "invited": [m for m in memberships if m.status == MemberStatus.INVITED],
            "members": [m for m in memberships if m.status == MemberStatus.ACTIVE],
            "expert_form": expert_form or ExpertForm(prefix="expert"),
            "invite_form": invite_form
            or InviteForm(prefix="invite", speaking_for=_alliance_organizations(group)),
            "can_name_experts": request.user.has_perm("groups.add_group", group.initiative)
            or group.facilitator_id == request.user.pk,
        },
        status=status,
    )


def _add_member(
    request: HttpRequest, group: WorkingGroup, form: Any, add: Any, done: str, form_name: str
) -> HttpResponse:
    """Name or invite someone from the members page; the page comes back with the error."""
    if form.is_valid():
        try:
            add(form.cleaned_data)
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, done)
            return redirect("groups:members", pk=group.pk)
    return _members_page(request, group, status=400, **{form_name: form})


@require_POST
@login_required
def member_add_expert(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    require_perm(request, "groups.manage_group", group)
    return _add_member(
        request,
        group,
        ExpertForm(request.POST, prefix="expert"),
        lambda data: services.member_add_government(
            group=group, actor=request.user, user=data["person"], agency=data["agency"]
        ),
        _("The government expert is a member; they have been told."),
        "expert_form",
    )


@require_POST
@login_required
def member_invite(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    require_perm(request, "groups.manage_group", group)
    return _add_member(
        request,
        group,
        InviteForm(request.POST, prefix="invite", speaking_for=_alliance_organizations(group)),
        lambda data: services.member_invite(
            group=group, actor=request.user, user=data["person"], organization=data["organization"]
        ),
        _("The invitation is sent."),
        "invite_form",
    )


def _membership(request: HttpRequest, pk: int) -> GroupMember:
    membership = get_object_or_404(
        GroupMember.objects.select_related("group__initiative__country", "user"), pk=pk
    )
    if not request.user.has_perm("groups.view_group", membership.group):
        raise Http404("No such member.")
    return membership


@require_POST
@login_required
def member_decide(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request, pk)
    group = membership.group
    require_perm(request, "groups.manage_group", group)
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline"):
        messages.error(request, _("Choose to approve or to decline the request."))
        return redirect("groups:members", pk=group.pk)
    try:
        services.member_decide(
            membership=membership, actor=request.user, approve=decision == "approve"
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("The request is approved; the person has been told.")
            if decision == "approve"
            else _("The request is declined; the person has been told."),
        )
    return redirect("groups:members", pk=group.pk)


@login_required
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request, pk)
    group = membership.group
    require_perm(request, "groups.manage_group", group)
    if request.method == "POST":
        try:
            services.member_remove(membership=membership, actor=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                _("%(name)s is no longer in the group.") % {"name": membership.user.public_name},
            )
        return redirect("groups:members", pk=group.pk)
    return render(
        request,
        "groups/confirm.html",
        {
            "group": group,
            "title": _("Remove %(name)s from the group?") % {"name": membership.user.public_name},
            "explanation": _("What they wrote stays in the threads."),
            "submit": _("Remove from the group"),
            "back": group.get_absolute_url(),
            "danger": True,
        },
    )


@login_required
def group_join(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    require_perm(request, "groups.join_group", group)
    organizations = speaking_for(request.user, group.initiative)
    form = JoinForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_request(
                group=group,
                user=request.user,
                organization=form.cleaned_data["organization"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your request is sent: the facilitator decides, and you will be told.")
            )
            return redirect(group)
    return render(
        request,
        "groups/form.html",
        {
            "form": form,
            "group": group,
            "title": _("Ask to join “%(title)s”") % {"title": group.title},
            "back": group.get_absolute_url(),
            "submit": _("Ask to join"),
        },
    )


@require_POST
@login_required
def invitation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    membership = membership_of(request.user, group)
    if membership is None or membership.status != MemberStatus.INVITED:
        messages.error(request, _("There is no invitation to answer."))
        return redirect(group)
    accept = request.POST.get("accept") == "1"
    try:
        services.invitation_answer(membership=membership, accept=accept)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("Welcome to the group.") if accept else _("You declined the invitation."),
        )
    return redirect(group)


@login_required
def group_leave(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    membership = membership_of(request.user, group)
    if membership is None or membership.status != MemberStatus.ACTIVE:
        raise Http404("Not a member.")
    if request.method == "POST":
        try:
            services.member_remove(membership=membership, actor=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("You left the group."))
        return redirect(group)
    return render(
        request,
        "groups/confirm.html",
        {
            "group": group,
            "title": _("Leave “%(title)s”?") % {"title": group.title},
            "explanation": _("What you wrote stays in the threads. You may ask to join again."),
            "submit": _("Leave the group"),
            "back": group.get_absolute_url(),
            "danger": True,
        },
    )


# --- Threads ------------------------------------------------------------------------------------


@login_required
def thread_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    require_perm(request, "groups.post", group)
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_start(
                group=group,
                actor=request.user,
                title=form.cleaned_data["title"],
                context=form.cleaned_data["context"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The thread is open; the group's members have been told."))
            return redirect(thread)
    return render(
        request,
        "groups/form.html",
        {
            "form": form,
            "group": group,
            "title": _("New thread in “%(title)s”") % {"title": group.title},
            "back": group.get_absolute_url(),
            "submit": _("Open the thread"),
        },
    )


def thread_detail(
    request: HttpRequest, pk: int, reply_form: ReplyForm | None = None
) -> HttpResponse:
    thread = _thread(request, pk)
    group = thread.group
    user = request.user
    moderates = user.has_perm("groups.moderate", group)
    replies = (
        thread.replies.select_related("author", "quote")
        .annotate(revision_count=Count("revisions"))
        .order_by("created_at", "pk")
    )
    page = Paginator(replies, REPLIES_PER_PAGE).get_page(request.GET.get("page"))
    voices = Voices(group, user)
    voices.load_names([thread.author, *(reply.author for reply in page)])
    quoted = {reply.quote.author_id for reply in page if reply.quote} - voices.names.keys()
    if quoted and voices.named:
        voices.load_names(list(User.objects.filter(pk__in=quoted)))
    for reply in page:
        reply.voice = voices.of(reply.author_id)
        reply.shown = reads_reply(user, reply, moderates)
        if reply.quote_id and reply.quote and reply.quote.hidden_at is None:
            reply.quote_voice = voices.of(reply.quote.author_id)
    can_post = user.has_perm("groups.post", group)
    if reply_form is None and can_post:
        quote = request.GET.get("quote")
        reply_form = ReplyForm(initial={"quote": quote} if quote and quote.isdigit() else None)
    quoting = None
    if reply_form is not None:
        quote_pk = reply_form["quote"].value()
        if quote_pk and str(quote_pk).isdigit():
            quoting = thread.replies.filter(pk=int(quote_pk), hidden_at=None).first()
    services.thread_mark_read(thread=thread, user=user)
    return render(
        request,
        "groups/thread.html",
        {
            "thread": thread,
            "group": group,
            "country": group.initiative.country,
            "thread_voice": voices.of(thread.author_id),
            "page_obj": page,
            "can_post": can_post,
            "moderates": moderates,
            "reply_form": reply_form,
            "quoting": quoting,
            "proposals": list(thread.proposals.all()),
        },
        status=400 if reply_form is not None and reply_form.errors else 200,
    )


@require_POST
@login_required
def reply_create(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _thread(request, pk)
    require_perm(request, "groups.post", thread.group)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        quote_pk = form.cleaned_data.get("quote")
        quote = thread.replies.filter(pk=quote_pk).first() if quote_pk else None
        try:
            reply = services.reply_post(
                thread=thread,
                actor=request.user,
                body=form.cleaned_data["body"],
                quote=quote,
                attachment=form.cleaned_data.get("attachment_checked"),
            )
        except ValidationError as error:
            form.add_error("body", error)
        else:
            messages.success(request, _("Your reply is posted."))
            last = (thread.replies.count() - 1) // REPLIES_PER_PAGE + 1
            return redirect(f"{thread.get_absolute_url()}?page={last}#reply-{reply.pk}")
    return thread_detail(request, thread.pk, reply_form=form)


@login_required
def reply_edit(request: HttpRequest, pk: int) -> HttpResponse:
    reply = _reply(request, pk)
    if reply.author_id != request.user.pk or not request.user.has_perm(
        "groups.post", reply.thread.group
    ):
        raise Http404("No such reply.")
    form = ReplyEditForm(request.POST or None, initial={"body": reply.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.reply_edit(reply=reply, actor=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error("body", error)
        else:
            messages.success(request, _("Your reply is saved; what it said before is kept."))
            return redirect(reply.get_absolute_url())
    return render(
        request,
        "groups/form.html",
        {
            "form": form,
            "group": reply.thread.group,
            "title": _("Edit your reply"),
            "back": reply.get_absolute_url(),
            "submit": _("Save"),
        },
    )


@login_required
def reply_hide(request: HttpRequest, pk: int) -> HttpResponse:
    reply = _reply(request, pk)
    group = reply.thread.group
    require_perm(request, "groups.moderate", group)
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reply_hide(reply=reply, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            messages.success(request, _("The reply is hidden; its author reads your reason."))
            return redirect(reply.get_absolute_url())
    return render(
        request,
        "groups/form.html",
        {
            "form": form,
            "group": group,
            "title": _("Hide this reply?"),
            "explanation": _("Members no longer read it; its author and CSU staff still do."),
            "back": reply.get_absolute_url(),
            "submit": _("Hide the reply"),
            "danger": True,
        },
    )


def reply_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """A reply's file, for those who may read the reply (a hidden one: its author and the
    moderators); anyone else gets a 404."""
    reply = _reply(request, pk)
    if not reply.attachment or not reads_reply(request.user, reply):
        raise Http404("No such file.")
    return private_download(
        reply.attachment, name=reply.attachment_name, content_type=reply.attachment_content_type
    )


def reply_history(request: HttpRequest, pk: int) -> HttpResponse:
    reply = _reply(request, pk)
    group = reply.thread.group
    if not reads_reply(request.user, reply):
        raise Http404("No such reply.")
    voices = Voices(group, request.user)
    voices.load_names([reply.author])
    return render(
        request,
        "groups/history.html",
        {
            "reply": reply,
            "group": group,
            "voice": voices.of(reply.author_id),
            "revisions": list(reply.revisions.all()),
        },
    )


# --- Proposals, votes and outcomes ----------------------------------------------------------


def _proposal(request: HttpRequest, pk: int) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.select_related(
            "thread__group__initiative__country", "thread__group__facilitator"
        ),
        pk=pk,
    )
    if not request.user.has_perm("groups.view_discussion", proposal.thread.group):
        raise Http404("No such proposal.")
    return proposal


@login_required
def proposal_create(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _thread(request, pk)
    require_perm(request, "groups.propose", thread.group)
    form = ProposalForm(request.POST or None, initial={"kind": ProposalKind.CONSENT})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_open(
                thread=thread,
                actor=request.user,
                question=data["question"],
                kind=data["kind"],
                options=data["options"],
                closes_at=data["closes_at"],
                quorum=data["quorum"],
                pass_share=data["pass_share"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The proposal is open; the group's members are told."))
            return redirect(proposal)
    return render(
        request,
        "groups/form.html",
        {
            "form": form,
            "group": thread.group,
            "title": _("A proposal in “%(title)s”") % {"title": thread.title},
            "back": thread.get_absolute_url(),
            "submit": _("Open the proposal"),
        },
    )


def proposal_detail(
    request: HttpRequest, pk: int, vote_form: VoteForm | None = None, status: int = 200
) -> HttpResponse:
    proposal = _proposal(request, pk)
    group = proposal.thread.group
    user = request.user
    tally = services.proposal_tally(proposal)
    voices = Voices(group, user)
    objections = list(
        proposal.votes.filter(position=Position.OBJECTION).select_related("user", "responded_by")
    )
    voices.load_names([vote.user for vote in objections])
    for vote in objections:
        vote.voice = voices.of(vote.user_id)
    mine = proposal.votes.filter(user=user).first() if user.is_authenticated else None
    if mine is not None and mine.choice is not None and mine.choice < len(proposal.options):
        mine.option = proposal.options[mine.choice]
    can_vote = proposal.is_open and user.has_perm("groups.vote", group)
    if vote_form is None and can_vote:
        vote_form = VoteForm(
            proposal=proposal,
            initial={"position": mine.position, "choice": mine.choice, "reason": mine.reason}
            if mine
            else None,
        )
    outcome = getattr(proposal, "outcome", None)
    records = user.has_perm("groups.record_outcome", group)
    context: dict[str, Any] = {
        "proposal": proposal,
        "thread": proposal.thread,
        "group": group,
        "country": group.initiative.country,
        "tally": tally,
        "options": list(zip(proposal.options, tally.options, strict=False)),
        "objections": objections,
        "mine": mine,
        "vote_form": vote_form if can_vote else None,
        "records": records,
        "response_form": ResponseForm() if records else None,
        "outcome": outcome if outcome and (outcome.published_at or records) else None,
    }
    if outcome and outcome.published_at and outcome.milestone_id is None:
        roadmap_form = OutcomeMilestoneForm(initiative=group.initiative)
        priorities = roadmap_form.fields["priority"].queryset
        first = priorities.select_related("roadmap").first()
        if first is not None and user.has_perm("roadmaps.change_roadmap", first.roadmap):
            context["milestone_form"] = roadmap_form
    return render(request, "groups/proposal.html", context, status=status)


@require_POST
@login_required
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    require_perm(request, "groups.vote", proposal.thread.group)
    form = VoteForm(request.POST, proposal=proposal)
    if form.is_valid():
        try:
            services.vote_cast(
                proposal=proposal,
                user=request.user,
                position=form.cleaned_data.get("position") or "",
                choice=form.cleaned_data.get("choice"),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            if not proposal.is_open:
                messages.error(request, error_text(error))
                return redirect(proposal)
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your vote is recorded. You may change it until it closes.")
            )
            return redirect(proposal)
    return proposal_detail(request, proposal.pk, vote_form=form, status=400)


@require_POST
@login_required
def objection_respond(request: HttpRequest, pk: int) -> HttpResponse:
    vote = get_object_or_404(Vote.objects.select_related("proposal"), pk=pk)
    proposal = _proposal(request, vote.proposal_id)
    require_perm(request, "groups.record_outcome", proposal.thread.group)
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.objection_respond(
                vote=vote, actor=request.user, response=form.cleaned_data["response"]
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Your response to the objection is on record."))
    else:
        messages.error(request, _("Write the response to the objection."))
    return redirect(proposal)


@login_required
def outcome_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    require_perm(request, "groups.record_outcome", proposal.thread.group)
    outcome = getattr(proposal, "outcome", None)
    form = OutcomeForm(
        request.POST or None,
        initial={"decision": outcome.decision, "reasons": outcome.reasons} if outcome else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_record(
                proposal=proposal,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                reasons=form.cleaned_data["reasons"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The outcome is recorded. Publish it from the proposal."))
            return redirect(proposal)
    return render(
        request,
        "groups/form.html",
        {
            "form": form,
            "group": proposal.thread.group,
            "title": _("The outcome of “%(question)s”")
            % {"question": Truncator(proposal.question).chars(80)},
            "back": proposal.get_absolute_url(),
            "submit": _("Save the outcome"),
        },
    )


@require_POST
@login_required
def outcome_publish(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    require_perm(request, "groups.record_outcome", proposal.thread.group)
    outcome = getattr(proposal, "outcome", None)
    if outcome is None:
        messages.error(request, _("Record the outcome first."))
        return redirect(proposal)
    try:
        services.outcome_publish(outcome=outcome, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The outcome is published; the group's members are told."))
    return redirect(proposal)


@require_POST
@login_required
def outcome_milestone(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    outcome = getattr(proposal, "outcome", None)
    if outcome is None:
        raise Http404("No outcome.")
    form = OutcomeMilestoneForm(request.POST, initiative=proposal.thread.group.initiative)
    if not form.is_valid():
        messages.error(request, _("Choose a priority of the draft roadmap."))
        return redirect(proposal)
    priority = form.cleaned_data["priority"]
    require_perm(request, "roadmaps.change_roadmap", priority.roadmap)
    try:
        milestone = services.outcome_to_milestone(
            outcome=outcome, priority=priority, actor=request.user
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(proposal)
    messages.success(request, _("The outcome is a milestone of the draft roadmap."))
    return redirect(milestone)
