"""Who may do what with events: the one place that answers it.

"Organizer" means a person listed among the event's organizers, the coordinators of the
alliance for an alliance meeting, and the focal points of the initiative for the
initiative's other events. CSU staff hold every permission
(``stakeholders.backends.CSUStaffBackend``); the predicates still name them where the
policy table does.
"""

from __future__ import annotations

import rules

from stakeholders.rules import (
    is_alliance_coordinator,
    is_csu_staff,
    is_focal_point_of,
)

from .models import (
    CONFIRMED_STATUSES,
    SIGNED_IN_VISIBILITIES,
    Event,
    EventVisibility,
    Registration,
)

is_authenticated = rules.is_authenticated


@rules.predicate
def can_see_event(user, event: Event) -> bool:
    """Event.objects.visible_to for one event. The cases that need nothing but the event
    (visitors, staff, public and members' events) are answered without a query, as the
    queryset's first conditions would; the others ask the queryset itself."""
    if not user.is_authenticated:
        return event.visibility == EventVisibility.PUBLIC and (
            event.initiative_id is None or event.initiative.visibility == "public"
        )
    if user.is_staff or event.visibility in SIGNED_IN_VISIBILITIES:
        return True
    return Event.objects.visible_to(user).filter(pk=event.pk).exists()


@rules.predicate
def is_event_organizer(user, event: Event) -> bool:
    if not user.is_authenticated:
        return False
    if event.alliance_id is not None:
        if is_alliance_coordinator(user, event.alliance):
            return True
    elif event.initiative_id is not None and is_focal_point_of(user, event.initiative):
        return True
    return event.organizers.filter(pk=user.pk).exists()


@rules.predicate
def is_confirmed_registrant(user, event: Event) -> bool:
    """Registered for the event (or marked as having attended it)."""
    return (
        user.is_authenticated
        and Registration.objects.filter(
            event=event, user=user, status__in=CONFIRMED_STATUSES
        ).exists()
    )


@rules.predicate
def is_under_chatham_house(user, event: Event) -> bool:
    return event.chatham_house


@rules.predicate
def organizes_any_event_scope(user) -> bool:
    """Focal point of an initiative or coordinator of an alliance: may create events."""
    return user.is_authenticated and (
        user.initiative_roles.active().focal_points().exists()
        or user.coordinated_alliances.exists()
    )


rules.add_perm("events.view_event", can_see_event | is_csu_staff)
rules.add_perm(
    "events.view_event_access", is_event_organizer | is_confirmed_registrant | is_csu_staff
)
rules.add_perm("events.register", (is_authenticated & can_see_event) | is_csu_staff)
rules.add_perm("events.add_event", organizes_any_event_scope | is_csu_staff)
rules.add_perm("events.add_event_for_initiative", is_focal_point_of | is_csu_staff)
rules.add_perm("events.add_event_for_alliance", is_alliance_coordinator | is_csu_staff)
rules.add_perm("events.change_event", is_event_organizer | is_csu_staff)
rules.add_perm("events.manage_registrations", is_event_organizer | is_csu_staff)
rules.add_perm("events.view_attendees", is_event_organizer | is_csu_staff)
rules.add_perm("events.view_minutes", is_event_organizer | is_confirmed_registrant | is_csu_staff)
# Who attended, in the minutes: under the Chatham House rule only organizers learn it.
rules.add_perm(
    "events.view_participant_names",
    is_event_organizer | (is_confirmed_registrant & ~is_under_chatham_house) | is_csu_staff,
)
