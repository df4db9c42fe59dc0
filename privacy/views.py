"""A person's own data: the page that explains it, the JSON download, and account deletion."""

from __future__ import annotations

import json

from allauth.account.adapter import get_adapter
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from .services import account_delete, account_delete_blockers, personal_data_export

HTML_IN_JSON = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("Yes, delete my account. I understand that this cannot be undone."),
        error_messages={"required": gettext_lazy("Tick the box to confirm.")},
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        # allauth's check: rate limited like a sign-in, and a failure is audited like one.
        if not get_adapter().reauthenticate(self.user, password):
            raise ValidationError(_("This is not your password."), code="incorrect_password")
        return password


@require_safe
@login_required
def personal_data(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/data.html")


@require_safe
@login_required
def personal_data_download(request: HttpRequest) -> HttpResponse:
    data = personal_data_export(user=request.user)
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    # The same JSON, with the characters of HTML escaped (as json_script does): opened by
    # mistake as a page, the file can never run what someone typed into a form.
    response = HttpResponse(
        text.translate(HTML_IN_JSON), content_type="application/json; charset=utf-8"
    )
    filename = f"vpi-portal-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def account_delete_view(request: HttpRequest) -> HttpResponse:
    """A confirmation page: the consequences, what must be done first if anything, and a
    form asking for the password and an explicit confirmation."""
    user = request.user
    blockers = account_delete_blockers(user=user)
    form = AccountDeleteForm(request.POST or None, user=user)
    if request.method == "POST" and not blockers and form.is_valid():
        try:
            account_delete(user=user, actor=user)
        except ValidationError as error:
            blockers = error.messages
        else:
            logout(request)
            messages.success(
                request,
                _("Your account has been deleted. Thank you for taking part in the portal."),
            )
            return redirect("home")
    return render(
        request,
        "privacy/delete.html",
        {"form": form, "blockers": blockers, "usable_password": user.has_usable_password()},
    )
