"""What waits for a person in the stakeholders' rooms: organizations to vet (CSU staff),
membership requests to decide (coordinators), invitations to answer."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.work import SHOWN, Link, WorkItem

from .models import (
    AllianceMembership,
    Invitation,
    MembershipStatus,
    Organization,
    OrganizationStatus,
    User,
)
from .services import invitation_max_age, invitation_token
from .standing import Standing


def work_for(user: User, standing: Standing) -> list[WorkItem]:
    items = []
    if user.is_staff:
        pending = Organization.objects.filter(status=OrganizationStatus.PENDING)
        count = pending.count()
        if count:
            items.append(
                WorkItem(
                    _("Organizations to vet"),
                    count,
                    [
                        Link(org.name, reverse("stakeholders:vetting_detail", args=[org.slug]))
                        for org in pending.order_by("created_at").only("name", "slug")[:SHOWN]
                    ],
                    reverse("stakeholders:vetting_queue"),
                )
            )
    if standing.coordinated_alliances:
        requests = AllianceMembership.objects.filter(
            alliance__in=standing.coordinated_alliances, status=MembershipStatus.REQUESTED
        )
        count = requests.count()
        if count:
            items.append(
                WorkItem(
                    _("Membership requests to decide"),
                    count,
                    [
                        Link(
                            row.organization.name,
                            reverse(
                                "stakeholders:alliance_requests", args=[row.alliance.country.slug]
                            ),
                        )
                        for row in requests.select_related(
                            "organization", "alliance__country"
                        ).order_by("requested_at")[:SHOWN]
                    ],
                )
            )
    invitations = list(
        Invitation.objects.filter(
            email__iexact=user.email,
            accepted_at=None,
            revoked_at=None,
            created_at__gt=timezone.now() - timedelta(seconds=invitation_max_age()),
        )
        .select_related("organization")
        .order_by("-created_at")[:SHOWN]
    )
    if invitations:
        items.append(
            WorkItem(
                _("Invitations to join an organization"),
                len(invitations),
                [
                    Link(
                        invitation.organization.name,
                        reverse(
                            "stakeholders:invitation_accept", args=[invitation_token(invitation)]
                        ),
                    )
                    for invitation in invitations
                ],
            )
        )
    return items
