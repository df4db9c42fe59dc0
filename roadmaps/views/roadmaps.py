"""The roadmap pages and the co-creation of a roadmap: draft, consultation, adoption,
revision."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from common.permissions import require_perm
from common.visitor_cache import by_country, cache_for_visitors
from countries.models import Country, Initiative
from notifications.services import follows

from .. import services
from ..forms import (
    CommentForm,
    ConfirmForm,
    ConsultationDeadlineForm,
    CosignForm,
    MilestoneForm,
    ObjectionResponseForm,
    PriorityForm,
    ReasonForm,
    RoadmapForm,
)
from ..models import Endorsement, Milestone, Priority, Roadmap, RoadmapStatus
from ..selectors import current_initiative, roadmap_detail
from ..services.audience import ALLIANCE, NO_ONE


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def country_and_initiative(request: HttpRequest, code: str) -> tuple[Country, Initiative]:
    try:
        country = Country.objects.get(code=code.upper())
    except (Country.DoesNotExist, ValueError):
        raise Http404("No such country.") from None
    initiative = current_initiative(country, request.user)
    if initiative is None:
        raise Http404("No initiative in this country.")
    return country, initiative


def visible_roadmaps(request: HttpRequest):
    return Roadmap.objects.visible_to(request.user).select_related(
        "initiative__country", "adopted_by"
    )


def roadmap_permissions(request: HttpRequest, roadmap: Roadmap) -> dict[str, bool]:
    """What this person may do here, asked once per page (never per row)."""
    user = request.user
    can_change = user.has_perm("roadmaps.change_roadmap", roadmap)
    open_for_comments = roadmap.status in (RoadmapStatus.CONSULTATION, RoadmapStatus.ADOPTED)
    return {
        "can_edit": can_change and roadmap.is_editable,
        "can_open_consultation": (
            roadmap.status == RoadmapStatus.DRAFT
            and user.has_perm("roadmaps.open_consultation", roadmap)
        ),
        "can_adopt": (
            roadmap.status == RoadmapStatus.CONSULTATION
            and user.has_perm("roadmaps.adopt_roadmap", roadmap)
        ),
        "can_revise": roadmap.status == RoadmapStatus.ADOPTED and can_change,
        "can_cosign": open_for_comments and user.has_perm("roadmaps.cosign_roadmap", roadmap),
        "can_set_deadline": (
            roadmap.status == RoadmapStatus.CONSULTATION
            and user.has_perm("roadmaps.open_consultation", roadmap)
        ),
        "can_waive": (
            roadmap.is_editable
            and not roadmap.consultation_waived_at
            and user.has_perm("roadmaps.waive_consultation", roadmap)
        ),
        "can_comment": open_for_comments and user.has_perm("roadmaps.comment", roadmap),
        "can_respond": user.has_perm("roadmaps.respond", roadmap),
        "can_hide": user.has_perm("roadmaps.hide_comment", roadmap),
        "show_names": user.has_perm("roadmaps.view_participants", roadmap),
    }


def render_roadmap(
    request: HttpRequest, country: Country, initiative: Initiative, roadmap: Roadmap | None
) -> HttpResponse:
    context: dict[str, Any] = {"country": country, "initiative": initiative, "roadmap": roadmap}
    if roadmap is None:
        context["can_create"] = (
            request.user.has_perm("roadmaps.change_roadmap", initiative)
            and not Roadmap.objects.filter(initiative=initiative).exists()
        )
        return render(request, "roadmaps/roadmap_detail.html", context)
    perms = roadmap_permissions(request, roadmap)
    context.update(perms)
    context.update(
        roadmap_detail(
            roadmap, reader=request.user, with_comments=roadmap.status != RoadmapStatus.DRAFT
        )
    )
    versions = list(
        Roadmap.objects.visible_to(request.user)
        .filter(initiative=initiative)
        .order_by("-version")
        .values("version", "status", "adopted_on")
    )
    context["versions"] = versions
    context["newer_version"] = next((v for v in versions if v["version"] > roadmap.version), None)
    if perms["can_comment"]:
        context["comment_form"] = CommentForm()
    context["words"] = list(roadmap.endorsements.select_related("user"))
    context["following"] = follows(request.user, roadmap)
    if roadmap.status == RoadmapStatus.CONSULTATION and (
        perms["can_adopt"] or perms["can_cosign"] or perms["can_set_deadline"]
    ):
        context["requirements"] = services.adoption_requirements(roadmap)
    if perms["can_waive"]:
        # Offered only where there is no one to consult.
        context["can_waive"] = services.consulted_side(initiative) == NO_ONE
    return render(request, "roadmaps/roadmap_detail.html", context)


@cache_for_visitors(vary=by_country)
def country_roadmap(request: HttpRequest, code: str) -> HttpResponse:
    """The country's roadmap: the adopted version, or for those who may see it the draft
    when none has been adopted yet."""
    country, initiative = country_and_initiative(request, code)
    roadmaps = visible_roadmaps(request).filter(initiative=initiative)
    roadmap = (
        roadmaps.filter(status=RoadmapStatus.ADOPTED).first()
        or roadmaps.order_by("-version").first()
    )
    return render_roadmap(request, country, initiative, roadmap)


@cache_for_visitors(vary=by_country)
def roadmap_version(request: HttpRequest, code: str, version: int) -> HttpResponse:
    country, initiative = country_and_initiative(request, code)
    roadmap = get_object_or_404(visible_roadmaps(request), initiative=initiative, version=version)
    return render_roadmap(request, country, initiative, roadmap)


def get_roadmap(request: HttpRequest, pk: int) -> Roadmap:
    return get_object_or_404(visible_roadmaps(request), pk=pk)


def get_priority(request: HttpRequest, pk: int) -> Priority:
    return get_object_or_404(
        Priority.objects.filter(
            roadmap__in=Roadmap.objects.visible_to(request.user)
        ).select_related("roadmap__initiative__country"),
        pk=pk,
    )


def get_milestone(request: HttpRequest, pk: int) -> Milestone:
    return get_object_or_404(
        Milestone.objects.visible_to(request.user).select_related(
            "priority__roadmap__initiative__country"
        ),
        pk=pk,
    )


def form_context(
    form: Any,
    *,
    title: str,
    roadmap: Roadmap | None,
    back: str,
    submit: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """What roadmaps/form.html and roadmaps/confirm.html show around a form."""
    return {
        "form": form,
        "title": title,
        "roadmap": roadmap,
        "back": back,
        "submit": submit or _("Save"),
        **extra,
    }


@login_required
def roadmap_create(request: HttpRequest, code: str) -> HttpResponse:
    country, initiative = country_and_initiative(request, code)
    require_perm(request, "roadmaps.change_roadmap", initiative)
    form = RoadmapForm(
        request.POST or None,
        initial={"title": _("Roadmap of %(country)s") % {"country": country.name}},
    )
    if request.method == "POST" and form.is_valid():
        try:
            roadmap = services.roadmap_create(
                initiative=initiative, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The draft roadmap is ready. Add its priorities and milestones.")
            )
            return redirect(roadmap)
    context = form_context(
        form,
        title=_("Start the roadmap of %(country)s") % {"country": country.name},
        roadmap=None,
        back=country.get_absolute_url(),
        submit=_("Start the draft"),
    )
    return render(request, "roadmaps/form.html", context)


@login_required
def roadmap_edit(request: HttpRequest, pk: int) -> HttpResponse:
    roadmap = get_roadmap(request, pk)
    require_perm(request, "roadmaps.change_roadmap", roadmap)
    form = RoadmapForm(request.POST or None, instance=roadmap)
    if request.method == "POST" and form.is_valid():
        try:
            services.roadmap_edit(roadmap=roadmap, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The roadmap was saved."))
            return redirect(roadmap)
    context = form_context(
        form,
        title=_("Edit the roadmap"),
        roadmap=roadmap,
        back=roadmap.get_absolute_url(),
    )
    return render(request, "roadmaps/form.html", context)


@login_required
def priority_create(request: HttpRequest, pk: int) -> HttpResponse:
    roadmap = get_roadmap(request, pk)
    require_perm(request, "roadmaps.change_roadmap", roadmap)
    form = PriorityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            priority = services.priority_create(
                roadmap=roadmap, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The priority was added."))
            return redirect(priority)
    context = form_context(
        form,
        title=_("Add a priority"),
        roadmap=roadmap,
        back=roadmap.get_absolute_url(),
    )
    return render(request, "roadmaps/form.html", context)


@login_required
def priority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_priority(request, pk)
    require_perm(request, "roadmaps.change_roadmap", priority)
    form = PriorityForm(request.POST or None, instance=priority)
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_edit(priority=priority, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The priority was saved."))
            return redirect(priority)
    context = form_context(
        form,
        title=_("Edit the priority"),
        roadmap=priority.roadmap,
        back=priority.get_absolute_url(),
    )
    return render(request, "roadmaps/form.html", context)


@login_required
def priority_delete(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_priority(request, pk)
    require_perm(request, "roadmaps.change_roadmap", priority)
    roadmap = priority.roadmap
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_delete(priority=priority, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The priority and its milestones were deleted."))
            return redirect(roadmap)
    count = priority.milestones.count()
    context = form_context(
        form,
        title=_("Delete the priority “%(title)s”?") % {"title": priority.title},
        roadmap=roadmap,
        back=roadmap.get_absolute_url(),
        submit=_("Delete"),
        explanation=ngettext(
            "Its %(count)d milestone is deleted with it.",
            "Its %(count)d milestones are deleted with it.",
            count,
        )
        % {"count": count},
        danger=True,
    )
    return render(request, "roadmaps/confirm.html", context)


@require_POST
@login_required
def priority_move(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_priority(request, pk)
    require_perm(request, "roadmaps.change_roadmap", priority)
    try:
        services.priority_move(
            priority=priority, actor=request.user, direction=request.POST.get("direction", "")
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect(priority.get_absolute_url())


@login_required
def milestone_create(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_priority(request, pk)
    require_perm(request, "roadmaps.change_roadmap", priority)
    form = MilestoneForm(
        request.POST or None, country=priority.roadmap.initiative.country, reader=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            milestone = services.milestone_create(
                priority=priority, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The milestone was added."))
            return redirect(milestone)
    context = form_context(
        form,
        title=_("Add a milestone to “%(priority)s”") % {"priority": priority.title},
        roadmap=priority.roadmap,
        back=priority.get_absolute_url(),
    )
    return render(request, "roadmaps/form.html", context)


@login_required
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_milestone(request, pk)
    require_perm(request, "roadmaps.change_roadmap", milestone)
    form = MilestoneForm(
        request.POST or None,
        instance=milestone,
        country=milestone.priority.roadmap.initiative.country,
        reader=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_edit(milestone=milestone, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The milestone was saved."))
            return redirect(milestone)
    context = form_context(
        form,
        title=_("Edit the milestone"),
        roadmap=milestone.priority.roadmap,
        back=milestone.get_absolute_url(),
    )
    return render(request, "roadmaps/form.html", context)


@login_required
def milestone_delete(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_milestone(request, pk)
    require_perm(request, "roadmaps.change_roadmap", milestone)
    roadmap = milestone.priority.roadmap
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_delete(milestone=milestone, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The milestone was deleted."))
            return redirect(roadmap)
    context = form_context(
        form,
        title=_("Delete the milestone “%(title)s”?") % {"title": milestone.title},
        roadmap=roadmap,
        back=roadmap.get_absolute_url(),
        submit=_("Delete"),
        danger=True,
    )
    return render(request, "roadmaps/confirm.html", context)


@require_POST
@login_required
def milestone_move(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_milestone(request, pk)
    require_perm(request, "roadmaps.change_roadmap", milestone)
    try:
        services.milestone_move(
            milestone=milestone, actor=request.user, direction=request.POST.get("direction", "")
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect(f"{milestone.priority.roadmap.get_absolute_url()}#milestone-{milestone.pk}")


def _side_words(side: str) -> dict[str, str]:
    """How the pages name the non-governmental side a draft is put to (where there is one:
    the page says otherwise when there is no one to consult)."""
    if side == ALLIANCE:
        return {"side": _("the alliance's members")}
    return {"side": _("the people of the country's verified organizations")}


@login_required
def roadmap_open_consultation(request: HttpRequest, pk: int) -> HttpResponse:
    roadmap = get_roadmap(request, pk)
    require_perm(request, "roadmaps.open_consultation", roadmap)
    form = ConsultationDeadlineForm(request.POST or None)
    side = services.consulted_side(roadmap.initiative)
    if request.method == "POST" and form.is_valid():
        try:
            services.roadmap_open_consultation(
                roadmap=roadmap, actor=request.user, closes_on=form.cleaned_data["closes_on"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The draft is in consultation: %(side)s may now comment.") % _side_words(side)
                if side != NO_ONE
                else _("The draft is in consultation."),
            )
            return redirect(roadmap)
    context = form_context(
        form,
        title=_("Open the consultation on this draft?"),
        roadmap=roadmap,
        back=roadmap.get_absolute_url(),
        submit=_("Open the consultation"),
        explanation=_(
            "The draft goes to %(side)s, who are told and may comment on the roadmap, its "
            "priorities and its milestones until the deadline. You answer each comment "
            "before adoption, and the non-governmental side co-signs or objects. You can "
            "still edit the draft."
        )
        % _side_words(side)
        if side != NO_ONE
        else _(
            "The country has neither an alliance nor a verified organization yet: no one can "
            "be consulted. CSU staff record why on the roadmap page, in place of the "
            "consultation, and co-sign for the non-governmental side."
        ),
    )
    return render(request, "roadmaps/confirm.html", context)


@login_required
def consultation_deadline(request: HttpRequest, pk: int) -> HttpResponse:
    """Set or move the deadline of a running consultation."""
    roadmap = get_roadmap(request, pk)
    require_perm(request, "roadmaps.open_consultation", roadmap)
    form = ConsultationDeadlineForm(
        request.POST or None, initial={"closes_on": roadmap.consultation_closes_on}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_deadline_set(
                roadmap=roadmap, actor=request.user, closes_on=form.cleaned_data["closes_on"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The consultation's deadline is set."))
            return redirect(roadmap)
    context = form_context(
        form,
        title=_("The consultation's deadline"),
        roadmap=roadmap,
        back=roadmap.get_absolute_url(),
        submit=_("Set the deadline"),
    )
    return render(request, "roadmaps/form.html", context)


@login_required
def consultation_waive(request: HttpRequest, pk: int) -> HttpResponse:
    """CSU staff record why no consultation could run on a country's draft."""
    roadmap = get_roadmap(request, pk)
    require_perm(request, "roadmaps.waive_consultation", roadmap)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_waive(
                roadmap=roadmap, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The decision is recorded and shown with the roadmap."))
            return redirect(roadmap)
    context = form_context(
        form,
        title=_("Record that no consultation can run"),
        roadmap=roadmap,
        back=roadmap.get_absolute_url(),
        submit=_("Record the decision"),
        explanation=_(
            "Only where the country has neither an alliance nor a verified organization. "
            "The reason is shown with the roadmap, in place of the consultation."
        ),
    )
    return render(request, "roadmaps/confirm.html", context)


@login_required
def roadmap_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    roadmap = get_roadmap(request, pk)
    require_perm(request, "roadmaps.adopt_roadmap", roadmap)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.roadmap_adopt(roadmap=roadmap, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The roadmap was adopted. This version is now frozen."))
            return redirect(roadmap)
    context = form_context(
        form,
        title=_("Adopt version %(version)s of the roadmap?") % {"version": roadmap.version},
        roadmap=roadmap,
        back=roadmap.get_absolute_url(),
        submit=_("Adopt the roadmap"),
        explanation=_(
            "Adoption records who adopted it and when, and freezes this version: it can no "
            "longer be edited. Progress is then reported on its milestones. A later change "
            "is a new version."
        ),
        requirements=services.adoption_requirements(roadmap),
        waiting_comments=list(
            services.comments_awaiting_response(roadmap).select_related("author")
        ),
    )
    return render(request, "roadmaps/confirm.html", context)


@login_required
def roadmap_start_revision(request: HttpRequest, pk: int) -> HttpResponse:
    roadmap = get_roadmap(request, pk)
    require_perm(request, "roadmaps.change_roadmap", roadmap)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            revision = services.roadmap_start_revision(roadmap=roadmap, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("A new draft version was started from the adopted roadmap.")
            )
            return redirect(revision)
    context = form_context(
        form,
        title=_("Start a revision of version %(version)s?") % {"version": roadmap.version},
        roadmap=roadmap,
        back=roadmap.get_absolute_url(),
        submit=_("Start the revision"),
        explanation=_(
            "The priorities and milestones are copied into a new draft version. The adopted "
            "version stays current, and readable at its own address, until the revision is "
            "adopted."
        ),
    )
    return render(request, "roadmaps/confirm.html", context)


@login_required
def roadmap_cosign(request: HttpRequest, pk: int) -> HttpResponse:
    """The non-governmental side's word on the draft: a co-signature or an objection."""
    roadmap = get_roadmap(request, pk)
    require_perm(request, "roadmaps.cosign_roadmap", roadmap)
    form = CosignForm(request.POST or None, can_object=roadmap.status == RoadmapStatus.CONSULTATION)
    if request.method == "POST" and form.is_valid():
        objection = form.cleaned_data.get("word") == "object"
        try:
            services.roadmap_cosign(
                roadmap=roadmap,
                actor=request.user,
                note=form.cleaned_data["note"],
                objection=objection,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your objection is on record. The government answers it before adoption.")
                if objection
                else _("You co-signed the roadmap."),
            )
            return redirect(roadmap)
    context = form_context(
        form,
        title=_("Co-sign the roadmap, or object"),
        roadmap=roadmap,
        back=roadmap.get_absolute_url(),
        submit=_("Record my word"),
    )
    return render(request, "roadmaps/form.html", context)


@login_required
def objection_respond(request: HttpRequest, pk: int) -> HttpResponse:
    """The government answers an objection to its draft."""
    endorsement = get_object_or_404(
        Endorsement.objects.select_related("roadmap__initiative__country"),
        pk=pk,
        roadmap__in=visible_roadmaps(request),
        objection=True,
    )
    roadmap = endorsement.roadmap
    require_perm(request, "roadmaps.respond", roadmap)
    form = ObjectionResponseForm(request.POST or None, initial={"response": endorsement.response})
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_respond(
                endorsement=endorsement, actor=request.user, response=form.cleaned_data["response"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your answer is recorded and the objector is told."))
            return redirect(roadmap)
    context = form_context(
        form,
        title=_("Answer the objection"),
        roadmap=roadmap,
        back=roadmap.get_absolute_url(),
        submit=_("Send the answer"),
        objection=endorsement,
    )
    return render(request, "roadmaps/objection_respond.html", context)
