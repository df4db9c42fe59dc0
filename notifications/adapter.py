from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Category
from .services import absolute_url, outbox_write_message, recipient_locale, wrap_text

if TYPE_CHECKING:
    from allauth.account.models import EmailConfirmation
    from django.core.mail import EmailMessage
    from django.http import HttpRequest


@dataclass(frozen=True)
class PortalSite:
    """What allauth's email templates call ``current_site``. The portal does not use
    django.contrib.sites, and allauth's fallback (a RequestSite) would take the name and
    domain from the request's Host header: they come from the settings instead."""

    name: str
    domain: str

    def __str__(self) -> str:
        return self.domain


def portal_site() -> PortalSite:
    return PortalSite(name=_("VPI Portal"), domain=urlsplit(settings.PORTAL_BASE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    """allauth's emails (address confirmation, password reset) go through the outbox like
    every other email, so they too survive a mail server outage.

    Their links are built from PORTAL_BASE_URL, never from the request: a forged Host
    header must not put another site's address in a password reset email. They are written
    in the recipient's language when allauth names the person, with the portal's subject
    prefix and line width."""

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        context = {"email": email, "current_site": portal_site(), **context}
        if "signup_url" in context:  # built by allauth's flows from the request
            context["signup_url"] = absolute_url(reverse("account_signup"))
        user = context.get("user")
        if user is not None:
            language, tz = recipient_locale(user)
        else:
            language, tz = translation.get_language(), timezone.get_current_timezone()
        with translation.override(language), timezone.override(tz):
            message = self.render_mail(template_prefix, email, context)
        outbox_write_message(
            message,
            kind=template_prefix.rsplit("/", 1)[-1],
            category=Category.ACCOUNT,
            recipient=user,
        )

    def render_mail(
        self,
        template_prefix: str,
        email: str | list[str],
        context: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> EmailMessage:
        message = super().render_mail(template_prefix, email, context, headers)
        message.body = wrap_text(message.body)
        return message

    def format_email_subject(self, subject: str) -> str:
        return gettext("[VPI Portal] %(subject)s") % {"subject": subject}

    def get_email_confirmation_url(
        self, request: HttpRequest | None, emailconfirmation: EmailConfirmation
    ) -> str:
        return absolute_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key: str) -> str:
        # The opaque key is "<uidb36>-<token>", as allauth's own URL builder splices it.
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

    def send_account_already_exists_mail(self, email: str) -> None:
        self.send_mail(
            "account/email/account_already_exists",
            email,
            {
                "signup_url": absolute_url(reverse("account_signup")),
                "password_reset_url": absolute_url(reverse("account_reset_password")),
            },
        )
