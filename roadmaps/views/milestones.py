"""A milestone's page: its progress history with evidence and assessments, its comments,
and the forms this person may use; and the downloads of evidence files."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.permissions import require_perm
from notifications.services import follows

from .. import services
from ..forms import (
    AssessmentForm,
    CommentForm,
    HideCommentForm,
    ProgressUpdateForm,
    ResponseForm,
)
from ..models import (
    Assessment,
    Comment,
    Evidence,
    MilestoneUpdate,
    Roadmap,
    RoadmapStatus,
    Sensitivity,
    Verdict,
)
from ..selectors import attach_leads
from .roadmaps import error_text, get_milestone, get_priority, get_roadmap


def allowed_sensitivities(request: HttpRequest, roadmap: Roadmap) -> list[str]:
    """The evidence this person may see on this roadmap (the view_evidence rule, asked once
    per page rather than per file). The rule also lets whoever reported the progress open
    the evidence they attached; the page lists it by sensitivity alone."""
    allowed = [Sensitivity.PUBLIC]
    if request.user.has_perm("roadmaps.view_participants", roadmap):
        allowed.append(Sensitivity.ALLIANCE)
    if request.user.is_staff:
        allowed.append(Sensitivity.CSU_ONLY)
    return allowed


def milestone_detail(
    request: HttpRequest,
    pk: int,
    update_form: ProgressUpdateForm | None = None,
    comment_form: CommentForm | None = None,
) -> HttpResponse:
    milestone = get_milestone(request, pk)
    roadmap = milestone.priority.roadmap
    user = request.user
    # One history across versions: a milestone carried into a revision keeps the reports
    # made on it before.
    updates = list(
        milestone.history()
        .with_standing()
        .select_related("author", "milestone__priority__roadmap")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.filter(
                    sensitivity__in=allowed_sensitivities(request, roadmap)
                ),
            ),
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related(
                    "author", "organization", "responded_by"
                ),
            ),
        )
    )
    can_post = roadmap.status == RoadmapStatus.ADOPTED and user.has_perm(
        "roadmaps.post_update", milestone
    )
    can_assess = user.has_perm("roadmaps.assess_update", milestone)
    can_respond = user.has_perm("roadmaps.respond", milestone)
    open_for_comments = roadmap.status in (RoadmapStatus.CONSULTATION, RoadmapStatus.ADOPTED)
    can_comment = open_for_comments and user.has_perm("roadmaps.comment", milestone)
    for update in updates:
        assessed = any(a.author_id == user.pk for a in update.assessments.all())
        update.can_assess = can_assess and not assessed and update.author_id != user.pk
    comments = list(milestone.comments.select_related("author", "responded_by", "hidden_by"))
    attach_leads([milestone], user)
    context: dict[str, Any] = {
        "milestone": milestone,
        "priority": milestone.priority,
        "roadmap": roadmap,
        "country": roadmap.initiative.country,
        "updates": updates,
        "comments": comments,
        "overdue": milestone.is_overdue(),
        "can_post": can_post,
        "can_assess": can_assess,
        "can_respond": can_respond,
        "can_comment": can_comment,
        "can_edit": roadmap.is_editable and user.has_perm("roadmaps.change_roadmap", milestone),
        "can_hide": user.has_perm("roadmaps.hide_comment", milestone),
        "show_names": user.has_perm("roadmaps.view_participants", milestone),
        "update_form": update_form
        or (ProgressUpdateForm(milestone=milestone) if can_post else None),
        "assessment_form": AssessmentForm() if can_assess else None,
        "response_form": ResponseForm() if can_respond else None,
        "comment_form": comment_form or (CommentForm() if can_comment else None),
        "hide_form": HideCommentForm(),
        "verdicts": Verdict,
        "following": follows(user, milestone),
    }
    return render(request, "roadmaps/milestone_detail.html", context)


@require_POST
@login_required
def milestone_report(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_milestone(request, pk)
    require_perm(request, "roadmaps.post_update", milestone)
    form = ProgressUpdateForm(request.POST, request.FILES, milestone=milestone)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.milestone_report_progress(
                milestone=milestone,
                actor=request.user,
                status=data["status"],
                progress=data["progress"],
                narrative=data["narrative"],
                links=data["links"],
                files=data["files"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your update was published."))
            return redirect(milestone.get_absolute_url())
    messages.error(request, _("The update was not saved: correct what is marked below."))
    return milestone_detail(request, pk, update_form=form)


def _get_update(request: HttpRequest, pk: int) -> MilestoneUpdate:
    return get_object_or_404(
        MilestoneUpdate.objects.filter(
            milestone__priority__roadmap__in=Roadmap.objects.visible_to(request.user)
        ).select_related("milestone__priority__roadmap__initiative__country"),
        pk=pk,
    )


@require_POST
@login_required
def update_assess(request: HttpRequest, pk: int) -> HttpResponse:
    update = _get_update(request, pk)
    require_perm(request, "roadmaps.assess_update", update)
    form = AssessmentForm(request.POST)
    if form.is_valid():
        try:
            services.update_assess(update=update, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Your assessment was published."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(update.get_absolute_url())


@require_POST
@login_required
def assessment_respond(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(
        Assessment.objects.filter(
            update__milestone__priority__roadmap__in=Roadmap.objects.visible_to(request.user)
        ).select_related("update__milestone__priority__roadmap__initiative__country"),
        pk=pk,
    )
    require_perm(request, "roadmaps.respond", assessment)
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_respond(
                assessment=assessment, actor=request.user, response=form.cleaned_data["response"]
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Your response was published."))
    else:
        messages.error(request, _("Write your response."))
    return redirect(assessment.update.get_absolute_url())


# --- Comments ----------------------------------------------------------------------------------


@require_POST
@login_required
def comment_post(request: HttpRequest, target: str, pk: int) -> HttpResponse:
    """A comment on a roadmap, a priority or a milestone."""
    obj: Any
    if target == "roadmap":
        obj = get_roadmap(request, pk)
    elif target == "priority":
        obj = get_priority(request, pk)
    else:
        obj = get_milestone(request, pk)
    require_perm(request, "roadmaps.comment", obj)
    form = CommentForm(request.POST)
    back = obj.get_absolute_url()
    if form.is_valid():
        try:
            comment = services.comment_post(
                actor=request.user, body=form.cleaned_data["body"], **{target: obj}
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Your comment was published."))
            return redirect(comment.get_absolute_url())
    else:
        messages.error(request, _("Write your comment."))
    return redirect(back)


def _get_comment(request: HttpRequest, pk: int) -> Comment:
    return get_object_or_404(
        Comment.objects.filter(roadmap__in=Roadmap.objects.visible_to(request.user)).select_related(
            "roadmap__initiative__country", "milestone"
        ),
        pk=pk,
    )


@require_POST
@login_required
def comment_respond(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _get_comment(request, pk)
    require_perm(request, "roadmaps.respond", comment)
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.comment_respond(
                comment=comment, actor=request.user, response=form.cleaned_data["response"]
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Your response was published."))
    else:
        messages.error(
            request, _("Give a reasoned response: say what you did with the comment and why.")
        )
    return redirect(comment.get_absolute_url())


@require_POST
@login_required
def comment_hide(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _get_comment(request, pk)
    require_perm(request, "roadmaps.hide_comment", comment)
    form = HideCommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_hide(
                comment=comment, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("The comment was hidden."))
    else:
        messages.error(request, _("Say why the comment is hidden."))
    return redirect(comment.get_absolute_url())


# --- Files ---------------------------------------------------------------------------------------


def private_download(file: Any, *, name: str, content_type: str) -> FileResponse:
    """Serve an uploaded file as a download that the browser never renders in the page."""
    try:
        handle = file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("The file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name or "download",
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file, for those its sensitivity allows; anyone else gets a 404."""
    evidence = get_object_or_404(
        Evidence.objects.exclude(file="").select_related(
            "update__milestone__priority__roadmap__initiative__country"
        ),
        pk=pk,
    )
    if not request.user.has_perm("roadmaps.view_evidence", evidence):
        raise Http404("No such file.")
    return private_download(
        evidence.file, name=evidence.original_name, content_type=evidence.content_type
    )
