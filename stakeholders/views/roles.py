"""Government focal points and other initiative roles, assigned and ended by CSU staff, and
the initiative's own count of who takes part."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from audit.services import audit_record
from countries.models import Country, Initiative

from .. import services
from ..forms.alliances import ParticipationForm, RoleAssignForm
from ..models import User
from ..selectors import current_initiative


def initiative_for_staff(
    user: User, code: str, perm: str = "stakeholders.manage_initiative_roles"
) -> Initiative:
    """The initiative the country page shows, for those who have ``perm`` on it."""
    try:
        country = Country.objects.get(code=code.upper())
    except (Country.DoesNotExist, ValueError):
        raise Http404("No such country.") from None
    initiative = current_initiative(country=country, user=user)
    if initiative is None or not user.has_perm(perm, initiative):
        raise Http404("No such page.")
    return initiative


@login_required
def initiative_roles(request: HttpRequest, code: str) -> HttpResponse:
    initiative = initiative_for_staff(request.user, code)
    form = RoleAssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.initiative_role_assign(
                initiative=initiative,
                user=data["user"],
                role=data["role"],
                actor=request.user,
                agency=data["agency"],
                job_title=data["job_title"],
                shown_publicly=data["shown_publicly"],
                active_from=data["active_from"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        except IntegrityError:
            # Someone assigned the same role at the same moment.
            form.add_error(
                None, _("This role was just assigned by someone else. Reload and check.")
            )
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s.")
                % {
                    "name": assignment.user.public_name,
                    "role": assignment.get_role_display().lower(),
                },
            )
            return redirect("stakeholders:initiative_roles", code=initiative.country.slug)
    roles = list(
        initiative.roles.select_related("user", "assigned_by").order_by(
            "role", "-active_from", "-pk"
        )
    )
    # The page lists the people holding roles with their email addresses.
    audit_record(
        actor=request.user,
        action="initiative.roles_viewed",
        target=initiative,
        sensitive=True,
        people=len(roles),
    )
    return render(
        request,
        "stakeholders/roles/list.html",
        {
            "initiative": initiative,
            "country": initiative.country,
            "active_roles": [role for role in roles if role.is_active],
            "past_roles": sorted(
                (role for role in roles if not role.is_active),
                key=lambda role: (role.active_until, role.pk),
                reverse=True,
            ),
            "form": form,
        },
    )


@login_required
def initiative_role_end(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    initiative = initiative_for_staff(request.user, code)
    assignment = get_object_or_404(initiative.roles.select_related("user"), pk=pk)
    back = redirect("stakeholders:initiative_roles", code=initiative.country.slug)
    if request.method == "POST":
        try:
            services.initiative_role_end(assignment=assignment, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The role of %(name)s has ended.") % {"name": assignment.user.public_name},
            )
        return back
    if not assignment.is_active:
        messages.info(request, _("This role has already ended."))
        return back
    return render(
        request,
        "stakeholders/roles/end.html",
        {"initiative": initiative, "country": initiative.country, "assignment": assignment},
    )


@login_required
def initiative_participation(request: HttpRequest, code: str) -> HttpResponse:
    """The figures the initiative declares: how many government experts and organizations
    take part, counted on a day from a source; the history of earlier counts below."""
    initiative = initiative_for_staff(request.user, code, "stakeholders.declare_participation")
    form = ParticipationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.participation_declare(
            initiative=initiative, actor=request.user, **form.cleaned_data
        )
        messages.success(request, _("The participation figures are on the country page."))
        return redirect(initiative.country)
    return render(
        request,
        "stakeholders/roles/participation.html",
        {
            "initiative": initiative,
            "country": initiative.country,
            "form": form,
            "history": initiative.participation_declarations.select_related("declared_by")[:50],
        },
    )
