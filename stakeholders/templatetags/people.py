"""Names as one reader may learn them: ``{% load people %}``.

``{% organization_name registration.organization %}`` prints the organization's name where
the reader may see that organization (``stakeholders.view_organization``) and nothing
elsewhere. A person is shown by ``person.public_name`` (the pseudonym, when they chose one);
the legal name behind it only through ``stakeholders.view_legal_name``.
"""

from typing import Any

from django import template

from ..selectors import organization_name_for

register = template.Library()


@register.simple_tag(takes_context=True)
def organization_name(context: template.Context, organization: Any) -> str:
    return organization_name_for(context["request"].user, organization)
