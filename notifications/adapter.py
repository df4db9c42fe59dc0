from typing import Any

from allauth.account.adapter import DefaultAccountAdapter

from .models import Category
from .services import outbox_write_message


class AccountAdapter(DefaultAccountAdapter):
    """allauth's emails (address confirmation, password reset) go through the outbox like
    every other email, so they too survive a mail server outage."""

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        message = self.render_mail(template_prefix, email, context)
        outbox_write_message(
            message,
            kind=template_prefix.rsplit("/", 1)[-1],
            category=Category.ACCOUNT,
            recipient=context.get("user"),
        )
