"""The person's account, addresses, organizations, alliance requests and roles, for their
own data export (privacy.services.personal_data_export)."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from .models import AllianceMembership, InitiativeRole, OrganizationMember, User


def export_section(user: User) -> dict[str, Any]:
    return {
        "profile": {
            "email": user.email,
            "full_name": user.full_name,
            "display_name": user.display_name,
            "preferred_language": user.preferred_language,
            "time_zone": user.time_zone,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "csu_staff": user.is_staff,
            "two_factor_methods": [
                {"type": authenticator.type, "added": authenticator.created_at}
                for authenticator in Authenticator.objects.filter(user=user).order_by("pk")
            ],
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "organization_memberships": [
            {
                "organization": member.organization.name,
                "country": str(member.organization.country.code),
                "role": member.role,
                "joined": member.joined_at,
            }
            for member in OrganizationMember.objects.filter(user=user)
            .select_related("organization__country")
            .order_by("joined_at", "pk")
        ],
        "alliance_requests": [
            {
                "alliance": membership.alliance.name,
                "organization": membership.organization.name,
                "status": membership.status,
                "motivation": membership.motivation,
                "requested": membership.requested_at,
                "decided": membership.decided_at,
                "decision_note": membership.decision_note,
            }
            for membership in AllianceMembership.objects.filter(requested_by=user)
            .select_related("alliance", "organization")
            .order_by("requested_at", "pk")
        ],
        "alliances_coordinated": list(user.coordinated_alliances.values_list("name", flat=True)),
        "initiative_roles": [
            {
                "initiative": role.initiative.title,
                "country": str(role.initiative.country.code),
                "role": role.role,
                "agency": role.agency,
                "job_title": role.job_title,
                "shown_publicly": role.shown_publicly,
                "active_from": role.active_from,
                "active_until": role.active_until,
            }
            for role in InitiativeRole.objects.filter(user=user)
            .select_related("initiative__country")
            .order_by("active_from", "pk")
        ],
    }
