"""What each recorded action is called on the staff's screens.

An entry keeps its action as a dotted code (``organization.verified``), which the log is
filtered and searched by; people read the label. Every code the portal records has one
(tests/audit/test_labels.py reads the code for them); a code without a label, such as one
recorded by an older version, is shown as its words.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, Promise] = {
    # The administration
    "admin.added": _("Added in the administration"),
    "admin.changed": _("Changed in the administration"),
    "admin.deleted": _("Deleted in the administration"),
    # Accounts
    "auth.signed_in": _("Signed in"),
    "auth.sign_in_failed": _("Sign-in failed"),
    "calendar_feed.reset": _("Calendar feed address replaced"),
    "privacy.account_deleted": _("Account deleted"),
    "privacy.data_exported": _("Personal data exported by its owner"),
    "retention.enforced": _("Old records deleted under the retention policy"),
    # Organizations
    "organization.registered": _("Organization registered"),
    "organization.updated": _("Organization profile changed"),
    "organization.pending": _("Organization review reopened"),
    "organization.more_info": _("More information asked of the organization"),
    "organization.verified": _("Organization verified"),
    "organization.rejected": _("Organization rejected"),
    "organization.suspended": _("Organization suspended"),
    "organization.review_requested": _("New review asked by the organization"),
    "organization.member_invited": _("Person invited to the organization"),
    "organization.invitation_accepted": _("Invitation accepted"),
    "organization.invitation_revoked": _("Invitation withdrawn"),
    "organization.member_left": _("Person left the organization"),
    "organization.member_removed": _("Person removed from the organization"),
    "organization.member_role_changed": _("Role in the organization changed"),
    "organization.people_viewed": _("Organization's people viewed"),
    "organization.people_exported": _("Organization's people exported"),
    # Alliances
    "alliance.created": _("Alliance created"),
    "alliance.updated": _("Alliance changed"),
    "alliance.coordinator_added": _("Alliance coordinator appointed"),
    "alliance.coordinator_removed": _("Alliance coordinator removed"),
    "alliance.coordinators_viewed": _("Alliance coordinators' contacts viewed"),
    "alliance.membership_requested": _("Alliance membership requested"),
    "alliance.membership_approved": _("Alliance membership approved"),
    "alliance.membership_declined": _("Alliance membership declined"),
    "alliance.membership_removed": _("Organization removed from the alliance"),
    "alliance.membership_withdrawn": _("Alliance membership request withdrawn"),
    "alliance.member_contacts_viewed": _("Alliance members' contacts viewed"),
    "alliance.member_contacts_exported": _("Alliance members' contacts exported"),
    # Initiatives
    "initiative.role_assigned": _("Role in an initiative assigned"),
    "initiative.role_ended": _("Role in an initiative ended"),
    "initiative.roles_viewed": _("Initiative's role holders and contacts viewed"),
    "initiative.participation_declared": _("Participation figures entered"),
    # Roadmaps
    "roadmap.created": _("Roadmap drafted"),
    "roadmap.edited": _("Roadmap changed"),
    "roadmap.revision_started": _("Roadmap revision started"),
    "roadmap.consultation_opened": _("Draft roadmap put to consultation"),
    "roadmap.consultation_deadline_set": _("Roadmap consultation deadline set"),
    "roadmap.consultation_waived": _("Roadmap consultation recorded as impossible"),
    "roadmap.objected": _("Objection to a roadmap"),
    "roadmap.objection_answered": _("Objection to a roadmap answered"),
    "roadmap.objection_withdrawn": _("Objection to a roadmap withdrawn"),
    "roadmap.adopted": _("Roadmap adopted"),
    "roadmap.priority_added": _("Priority added"),
    "roadmap.priority_edited": _("Priority changed"),
    "roadmap.priority_moved": _("Priority moved"),
    "roadmap.priority_deleted": _("Priority deleted"),
    "roadmap.milestone_added": _("Milestone added"),
    "roadmap.milestone_edited": _("Milestone changed"),
    "roadmap.milestone_moved": _("Milestone moved"),
    "roadmap.milestone_deleted": _("Milestone deleted"),
    "roadmap.commented": _("Comment on a roadmap"),
    "roadmap.comment_answered": _("Comment answered"),
    "roadmap.comment_hidden": _("Comment hidden"),
    "milestone.progress_reported": _("Progress reported"),
    "milestone.update_assessed": _("Progress report confirmed or disputed"),
    "milestone.assessment_answered": _("Assessment of progress answered"),
    # Consultations
    # Working groups
    "group.created": _("Working group created"),
    "group.changed": _("Working group changed"),
    "group.member_added": _("Government expert named to a working group"),
    "group.member_invited": _("Person invited to a working group"),
    "group.join_requested": _("Asked to join a working group"),
    "group.member_approved": _("Request to join a working group approved"),
    "group.member_declined": _("Request to join a working group declined"),
    "group.invitation_accepted": _("Invitation to a working group accepted"),
    "group.invitation_declined": _("Invitation to a working group declined"),
    "group.member_left": _("Person left a working group"),
    "group.member_removed": _("Person removed from a working group"),
    "group.reply_hidden": _("Reply hidden in a working group"),
    "group.proposal_opened": _("Proposal opened in a working group"),
    "group.proposal_closed": _("Proposal closed"),
    "group.objection_answered": _("Objection answered"),
    "group.outcome_recorded": _("Outcome recorded"),
    "group.outcome_published": _("Outcome published"),
    "group.outcome_to_milestone": _("Outcome put on the roadmap as a milestone"),
    "consultation.opened": _("Consultation opened"),
    "consultation.closed": _("Consultation closed early"),
    "consultation.input_submitted": _("Input sent to a consultation"),
    "consultation.input_answered": _("Consultation input answered"),
    "consultation.summary_exported": _("Consultation summary exported"),
    # Events
    "event.created": _("Event announced"),
    "event.changed": _("Event changed"),
    "event.postponed": _("Event postponed"),
    "event.cancelled": _("Event cancelled"),
    "event.attendance_recorded": _("Attendance recorded"),
    "event.outcome_published": _("Minutes published"),
    "event.action_item_to_milestone": _("Action item put on the roadmap"),
    "event.waiting_list_closed": _("Waiting list closed"),
    "event.attendees_viewed": _("Event's attendees viewed"),
    "event.attendees_exported": _("Event's attendees exported"),
    "event.participants_viewed": _("Event's participants viewed"),
    "event.participants_exported": _("Event's participants exported"),
    "registration.applied": _("Applied for an event"),
    "registration.registered": _("Registered for an event"),
    "registration.waitlisted": _("Put on an event's waiting list"),
    "registration.approved": _("Event application approved"),
    "registration.invited": _("Invited to an event"),
    "registration.cancelled": _("Event registration cancelled"),
    "registration.promoted": _("Given a seat from the waiting list"),
    "registration.promoted_by_organizer": _("Given a seat by the organizers"),
    "registration.removed": _("Removed from an event by the organizers"),
}


def action_label(action: str) -> str:
    """What ``action`` is called: its label, or for an unknown code its words."""
    label = ACTION_LABELS.get(action)
    if label is not None:
        return str(label)
    return capfirst(action.replace(".", ": ").replace("_", " "))
