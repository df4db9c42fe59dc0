"""What each kind of email is called on the staff's screens (the outbox in the
administration). A notification keeps its kind as the name of its templates
(``event_reminder``); people read the label. Every kind the portal sends has one
(tests/notifications/test_kinds.py checks the templates); allauth's account emails and any
kind without a label are shown as their words.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

KIND_LABELS: dict[str, Promise] = {
    # Accounts (allauth's templates)
    "email_confirmation": _("Address confirmation"),
    "email_confirmation_signup": _("Address confirmation at sign-up"),
    "password_reset_key": _("Password reset"),
    "unknown_account": _("Password reset for an unknown address"),
    "account_already_exists": _("Sign-up with an address already in use"),
    "password_changed": _("Password changed"),
    "password_set": _("Password set"),
    "email_changed": _("Address changed"),
    "email_confirm": _("Address confirmed"),
    "email_deleted": _("Address removed"),
    "password_reset": _("Password reset done"),
    "password_reset_code": _("Password reset code"),
    "login_code": _("Sign-in code"),
    "totp_activated": _("Two-factor authentication turned on"),
    "totp_deactivated": _("Two-factor authentication turned off"),
    "recovery_codes_generated": _("Recovery codes generated"),
    "webauthn_added": _("Security key added"),
    "webauthn_removed": _("Security key removed"),
    # Organizations and alliances
    "organization_submitted": _("Organization registered, waiting for review"),
    "organization_decision": _("Decision on an organization"),
    "invitation": _("Invitation to an organization"),
    "invitation_accepted": _("Invitation accepted"),
    "membership_requested": _("Alliance membership requested"),
    "membership_request_received": _("Alliance membership request to decide"),
    "membership_decision": _("Decision on an alliance membership"),
    "membership_waiting": _("Alliance membership requests waiting"),
    "coordinator_appointed": _("Appointed alliance coordinator"),
    "initiative_role_assigned": _("Role in an initiative"),
    # Roadmaps and consultations
    "roadmaps_roadmap_consultation": _("Draft roadmap in consultation"),
    "roadmaps_roadmap_cosigned": _("Roadmap co-signed or objected to"),
    "roadmaps_objection_response": _("Answer to an objection"),
    "roadmaps_roadmap_adopted": _("Roadmap adopted"),
    "roadmaps_comment_posted": _("Comment on a roadmap"),
    "roadmaps_comment_response": _("Answer to a comment"),
    "roadmaps_update_posted": _("Progress reported"),
    "roadmaps_update_assessed": _("Progress confirmed or disputed"),
    "roadmaps_assessment_response": _("Answer to an assessment"),
    "milestone_nudge": _("Milestone due or without news"),
    "consultations_opened": _("Consultation opened"),
    "consultations_input_submitted": _("Input sent to a consultation"),
    "consultations_input_response": _("Answer to a consultation input"),
    # Events
    "event_announced": _("New event announced"),
    "event_registration_received": _("Event registration confirmed"),
    "event_registration_decision": _("Decision on an event application"),
    "event_registration_invited": _("Invitation to an event"),
    "event_registration_promoted": _("Seat from the waiting list"),
    "event_registration_removed": _("Removed from an event"),
    "event_waitlist_closed": _("Waiting list closed"),
    "event_reminder": _("Event reminder"),
    "event_deadline": _("Registration deadline near"),
    "event_changed": _("Event changed"),
    "event_postponed": _("Event postponed"),
    "event_cancelled": _("Event cancelled"),
    "event_minutes_published": _("Minutes published"),
    # Working groups
    "groups_facilitator_named": _("Named facilitator of a working group"),
    "groups_member_added": _("Named to a working group"),
    "groups_invited": _("Invitation to a working group"),
    "groups_join_requested": _("Request to join a working group"),
    "groups_membership_decision": _("Decision on joining a working group"),
    "groups_thread_started": _("New thread in a working group"),
    "groups_reply_posted": _("New reply in a working group"),
    "groups_proposal_opened": _("Proposal opened in a working group"),
    "groups_proposal_closing": _("Proposal closing soon"),
    "groups_proposal_closed": _("Proposal closed, with its result"),
    "groups_outcome_published": _("Outcome of a working group published"),
    # Digests
    "digest": _("Progress digest"),
}


# The kinds a person may keep in the portal only, not by email, grouped as the preferences
# page shows them: every kind of the activity and reminders categories (accounts' emails,
# invitations and digests are emails only).
PORTAL_KIND_GROUPS: list[tuple[Promise, list[str]]] = [
    (
        _("Organizations and alliances"),
        [
            "organization_submitted",
            "organization_decision",
            "invitation_accepted",
            "membership_requested",
            "membership_request_received",
            "membership_decision",
            "membership_waiting",
            "coordinator_appointed",
            "initiative_role_assigned",
        ],
    ),
    (
        _("Roadmaps and consultations"),
        [
            "roadmaps_roadmap_consultation",
            "roadmaps_roadmap_cosigned",
            "roadmaps_objection_response",
            "roadmaps_roadmap_adopted",
            "roadmaps_comment_posted",
            "roadmaps_comment_response",
            "roadmaps_update_posted",
            "roadmaps_update_assessed",
            "roadmaps_assessment_response",
            "milestone_nudge",
            "consultations_opened",
            "consultations_input_submitted",
            "consultations_input_response",
        ],
    ),
    (
        _("Events"),
        [
            "event_announced",
            "event_registration_received",
            "event_registration_decision",
            "event_registration_invited",
            "event_registration_promoted",
            "event_registration_removed",
            "event_waitlist_closed",
            "event_reminder",
            "event_deadline",
            "event_changed",
            "event_postponed",
            "event_cancelled",
            "event_minutes_published",
        ],
    ),
    (
        _("Working groups"),
        [
            "groups_facilitator_named",
            "groups_member_added",
            "groups_invited",
            "groups_join_requested",
            "groups_membership_decision",
            "groups_thread_started",
            "groups_reply_posted",
            "groups_proposal_opened",
            "groups_proposal_closing",
            "groups_proposal_closed",
            "groups_outcome_published",
        ],
    ),
]
PORTAL_KINDS = frozenset(kind for _group, kinds in PORTAL_KIND_GROUPS for kind in kinds)


def portal_kind_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The choices of "in the portal only", grouped, in the active language."""
    return [
        (str(group), [(kind, str(KIND_LABELS[kind])) for kind in kinds])
        for group, kinds in PORTAL_KIND_GROUPS
    ]


def kind_label(kind: str) -> str:
    """What an email of ``kind`` is called: its label, or for an unknown kind its words."""
    label = KIND_LABELS.get(kind)
    if label is not None:
        return str(label)
    return capfirst(kind.replace("_", " "))
