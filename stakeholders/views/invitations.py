"""Invitations to join an organization: sending, revoking, and the link in the email."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ..forms.organizations import InvitationForm
from ..models import Invitation
from ..services import (
    invitation_accept,
    invitation_check_recipient,
    invitation_create,
    invitation_expires_at,
    invitation_from_token,
    invitation_revoke,
)
from .organizations import people_organization

MANAGE = "stakeholders.manage_organization_people"


@login_required
def organization_invite(request: HttpRequest, slug: str) -> HttpResponse:
    organization = people_organization(request, slug, MANAGE)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitation_create(
                organization=organization,
                actor=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("stakeholders:organization_people", slug=organization.slug)
    return render(
        request,
        "stakeholders/organizations/invite.html",
        {"organization": organization, "form": form},
    )


@login_required
def invitation_revoke_view(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    organization = people_organization(request, slug, MANAGE)
    invitation = get_object_or_404(Invitation, pk=invitation_id, organization=organization)
    if request.method == "POST":
        try:
            invitation_revoke(invitation=invitation, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The invitation to %(email)s has been revoked: its link no longer works.")
                % {"email": invitation.email},
            )
        return redirect("stakeholders:organization_people", slug=organization.slug)
    return render(
        request,
        "stakeholders/organizations/invitation_revoke.html",
        {"organization": organization, "invitation": invitation},
    )


@never_cache
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation email. A visitor signs up or signs in and comes back here;
    the signed-in person accepts with a POST if the invited address is theirs."""
    template = "stakeholders/organizations/invitation_accept.html"
    try:
        invitation = invitation_from_token(token)
    except ValidationError as error:
        return render(request, template, {"problem": " ".join(error.messages)})
    context = {
        "invitation": invitation,
        "organization": invitation.organization,
        "expires_at": invitation_expires_at(invitation),
    }
    if not invitation.is_open:
        context["problem"] = (
            _("This invitation has already been accepted.")
            if invitation.accepted_at
            else _("This invitation was withdrawn by the organization's admins.")
        )
        return render(request, template, context)
    if not request.user.is_authenticated:
        next_query = urlencode({"next": request.get_full_path()})
        context["login_url"] = f"{reverse('account_login')}?{next_query}"
        context["signup_url"] = f"{reverse('account_signup')}?{next_query}"
        return render(request, template, context)
    try:
        invitation_check_recipient(invitation=invitation, user=request.user)
    except ValidationError as error:
        context["wrong_account"] = " ".join(error.messages)
        return render(request, template, context)
    if request.method == "POST":
        try:
            invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("stakeholders:organization_mine")
        messages.success(
            request,
            _("Welcome to %(organization)s. You are now one of its members.")
            % {"organization": invitation.organization.name},
        )
        return redirect(invitation.organization)
    return render(request, template, context)
