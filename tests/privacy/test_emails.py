"""No email or digest tells its recipient a canary the rules keep from them.

The kinds of email are read from the templates (every ``emails/<kind>_subject.txt``); each
has a trigger below that makes the portal's services write it, in the canary world, to the
personas it is for. A template without a trigger fails ``test_every_email_kind_has_a_trigger``
and a trigger that writes nothing of its kind fails the harness, so a new email is covered as
soon as it exists. Each email is checked against its own recipient: subject, text and HTML.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template.utils import get_app_template_dirs
from django.utils import timezone

from consultations import services as consultations
from consultations.models import Audience
from digests.services import digest_chunks, digests_build
from events import reminders as event_reminders
from events import services as events
from events.models import Registration, RegistrationStatus
from groups import services as groups
from notifications.models import Notification, Preferences
from roadmaps import reminders as roadmap_reminders
from roadmaps import services as roadmaps
from roadmaps.models import Verdict
from stakeholders import reminders as stakeholder_reminders
from stakeholders import services as stakeholders
from stakeholders.models import (
    AllianceMembership,
    MemberRole,
    MembershipStatus,
    Organization,
    OrganizationVisibility,
    RoleKind,
    User,
)
from tests.events.factories import EventFactory, RegistrationFactory, event_form_data
from tests.privacy.canaries import CanaryWorld, find_leaks, perm
from tests.privacy.conftest import record
from tests.stakeholders.factories import (
    OrganizationFactory,
    OrganizationMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def email_kinds() -> set[str]:
    """Every kind of email the portal can write: its subject template names it."""
    folders = [Path(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"]]
    folders += [Path(folder) for folder in get_app_template_dirs("templates")]
    return {
        path.name.removesuffix("_subject.txt")
        for folder in folders
        for path in (folder / "emails").glob("*_subject.txt")
    }


# --- Triggers: what makes the services write each kind --------------------------------------

Trigger = Callable[[CanaryWorld], None]


def in_hours(hours: float) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(hours=hours)).replace(microsecond=0)


def roadmap_consultation(w: CanaryWorld) -> None:
    roadmaps.roadmap_open_consultation(
        roadmap=w.stage.own.draft,
        actor=w.people["focal_point"],
        closes_on=timezone.localdate() + datetime.timedelta(days=14),
    )


def roadmap_cosigned(w: CanaryWorld) -> None:
    draft = w.stage.own.draft
    draft.refresh_from_db()
    w.objects["objection"] = roadmaps.roadmap_cosign(
        roadmap=draft,
        actor=w.people["coordinator"],
        note="The shelters need a budget line.",
        objection=True,
    )


def objection_response(w: CanaryWorld) -> None:
    roadmaps.objection_respond(
        endorsement=w.objects["objection"],
        actor=w.people["focal_point"],
        response="Milestone 2 now carries the budget.",
    )


def roadmap_adopted(w: CanaryWorld) -> None:
    draft = w.stage.own.draft
    draft.refresh_from_db()
    # The consultation has run its course.
    draft.consultation_closes_on = timezone.localdate() - datetime.timedelta(days=1)
    draft.save(update_fields=["consultation_closes_on"])
    roadmaps.roadmap_adopt(roadmap=draft, actor=w.people["focal_point"])


def update_posted(w: CanaryWorld) -> None:
    w.objects["posted"] = roadmaps.milestone_report_progress(
        milestone=w.stage.own.milestone,
        actor=w.people["focal_point"],
        status="in_progress",
        progress=50,
        narrative="Half of the shelters are inspected.",
    )


def update_assessed(w: CanaryWorld) -> None:
    # The alliance-only organization disputes it: the focal points may not learn its name.
    roadmaps.update_assess(
        update=w.objects["posted"],
        actor=w.objects["hidden_admin"],
        verdict=Verdict.DISPUTES,
        comment="The inspections did not happen.",
    )
    roadmaps.update_assess(
        update=w.objects["posted"],
        actor=w.people["org_admin"],
        verdict=Verdict.CONFIRMS,
        comment="We saw the inspections.",
    )


def assessment_response(w: CanaryWorld) -> None:
    for assessment in w.objects["posted"].assessments.exclude(verdict=Verdict.CONFIRMS):
        roadmaps.assessment_respond(
            assessment=assessment,
            actor=w.people["focal_point"],
            response="We will publish the inspection reports.",
        )


def comment_posted(w: CanaryWorld) -> None:
    # Posted by the member behind a pseudonym: the focal points know the pseudonym only.
    roadmaps.comment_post(
        actor=w.objects["heron"],
        body="Add a milestone on shelters for boys.",
        milestone=w.stage.own.milestone,
    )


def comment_response(w: CanaryWorld) -> None:
    for comment in w.stage.own.adopted.comments.filter(responded_at=None):
        roadmaps.comment_respond(
            comment=comment, actor=w.people["focal_point"], response="Added as milestone 3."
        )


def consultation_opened(w: CanaryWorld) -> None:
    consultation = consultations.consultation_open(
        initiative=w.stage.own.initiative,
        actor=w.people["focal_point"],
        title="CanaryTitleOpened shelter funding",
        description="How should shelters be funded?",
        deadline=in_hours(24 * 10),
        audience=Audience.ALLIANCE,
    )
    w.add(
        "CanaryTitleOpened",
        "a new alliance consultation",
        perm("consultations.view_consultation", consultation),
    )
    w.objects["opened"] = consultation


def input_submitted(w: CanaryWorld) -> None:
    consultations.input_submit(
        consultation=w.objects["opened"],
        actor=w.objects["hidden_admin"],
        organization=w.objects["hidden"],
        text="Fund shelters from confiscated assets.",
    )
    consultations.input_submit(
        consultation=w.objects["opened"],
        actor=w.people["org_admin"],
        organization=w.stage.own.organization,
        text="Fund shelters from the budget.",
    )


def input_response(w: CanaryWorld) -> None:
    for item in w.objects["opened"].inputs.all():
        consultations.input_respond(
            consultation_input=item, actor=w.people["focal_point"], response="Noted in the bill."
        )


def milestone_nudge(w: CanaryWorld) -> None:
    milestone = w.stage.own.milestone
    milestone.due_on = timezone.localdate() - datetime.timedelta(days=3)
    milestone.save()
    roadmap_reminders.milestone_nudges_write()


def organization_submitted(w: CanaryWorld) -> None:
    stakeholders.organization_register(
        actor=w.people["registered"],
        name="Lakeside Legal Aid",
        kind="ngo",
        country=w.stage.own.country,
        city="Kisumu",
        description="Legal aid for victims.",
        contact_email="lakeside@example.org",
        visibility=OrganizationVisibility.PUBLIC,
    )


def organization_decision(w: CanaryWorld) -> None:
    stakeholders.organization_vet(
        organization=w.objects["pending"], actor=w.people["staff"], decision="verified"
    )
    stakeholders.organization_vet(
        organization=Organization.objects.get(name="Lakeside Legal Aid"),
        actor=w.people["staff"],
        decision="rejected",
        reason="We could not confirm the organization exists.",
    )


def membership_requested(w: CanaryWorld) -> None:
    # An alliance-only organization asks to join: its admins, the coordinators and staff
    # are told; nobody else may learn its name.
    asking = OrganizationFactory(
        country=w.stage.own.country,
        name="CanaryOrgAsking Women Traders",
        slug="canaryorgasking-women-traders",
        visibility=OrganizationVisibility.ALLIANCE,
    )
    admin = UserFactory(full_name="Asha Asking", email="asha@example.org")
    OrganizationMemberFactory(organization=asking, user=admin, role=MemberRole.ADMIN)
    w.add(
        "CanaryOrgAsking",
        "an alliance-only organization asking to join",
        perm("stakeholders.view_organization", asking),
    )
    stakeholders.membership_request(organization=asking, actor=admin, motivation="We work on this.")
    w.objects["asking"] = asking


membership_request_received = membership_requested


def membership_waiting(w: CanaryWorld) -> None:
    AllianceMembership.objects.filter(status=MembershipStatus.REQUESTED).update(
        requested_at=timezone.now() - datetime.timedelta(days=30)
    )
    stakeholder_reminders.membership_nudges_write()


def membership_decision(w: CanaryWorld) -> None:
    for membership in AllianceMembership.objects.filter(
        alliance=w.stage.own.alliance, status=MembershipStatus.REQUESTED
    ):
        stakeholders.membership_decide(
            membership=membership, actor=w.people["coordinator"], decision="approved"
        )


def initiative_role_assigned(w: CanaryWorld) -> None:
    stakeholders.initiative_role_assign(
        initiative=w.stage.own.initiative,
        user=UserFactory(full_name="Ines Incoming", email="ines@example.org"),
        role=RoleKind.ALTERNATE_FOCAL_POINT,
        actor=w.people["staff"],
        agency="Ministry of Interior",
    )


def coordinator_appointed(w: CanaryWorld) -> None:
    stakeholders.alliance_coordinator_add(
        alliance=w.stage.own.alliance,
        person=w.people["member"],
        actor=w.people["staff"],
    )


def invitation(w: CanaryWorld) -> None:
    organization = w.stage.own.organization
    for email in ("newcomer@example.org", w.people["registered"].email):
        w.objects.setdefault("invitations", []).append(
            stakeholders.invitation_create(
                organization=organization, actor=w.people["org_admin"], email=email
            )
        )


def invitation_accepted(w: CanaryWorld) -> None:
    (sent,) = [i for i in w.objects["invitations"] if i.email == w.people["registered"].email]
    stakeholders.invitation_accept(invitation=sent, user=w.people["registered"])


def event_reminder(w: CanaryWorld) -> None:
    event = w.stage.own.event
    event.starts_at = in_hours(20)
    event.ends_at = in_hours(23)
    event.save()
    for name in ("member", "other_member", "org_admin", "coordinator"):
        Registration.objects.get_or_create(
            event=event, user=w.people[name], defaults={"status": RegistrationStatus.REGISTERED}
        )
    event_reminders.event_reminders_write()


def event_deadline(w: CanaryWorld) -> None:
    event = w.stage.own.event
    event.registration_closes_at = in_hours(10)
    event.save()
    event_reminders.deadline_reminders_write()


def event_postponed(w: CanaryWorld) -> None:
    event = w.stage.own.event
    event.refresh_from_db()
    events.event_postpone(
        event=event,
        actor=w.people["focal_point"],
        starts_at=in_hours(24 * 9),
        ends_at=in_hours(24 * 9 + 3),
        message="The venue is being repaired.",
    )


def event_cancelled(w: CanaryWorld) -> None:
    events.event_cancel(
        event=w.objects["invitation_only"],
        actor=w.people["focal_point"],
        message="The survivors asked for another date.",
    )


def event_registration_decision(w: CanaryWorld) -> None:
    events.registration_decide(
        registration=w.stage.own.application, actor=w.people["focal_point"], approve=True
    )


def event_registration_invited(w: CanaryWorld) -> None:
    invited = EventFactory(
        initiative=w.stage.own.initiative,
        title="CanaryTitleRoundtable on returns",
        visibility="invitation",
        venue="CanaryVenueSecond, Mombasa",
    )
    w.add("CanaryTitleRoundtable", "an invitation-only event", perm("events.view_event", invited))
    w.add(
        "CanaryVenueSecond",
        "an invitation-only event's venue",
        perm("events.view_event_access", invited),
    )
    events.registration_invite(
        event=invited, user=w.people["other_member"], actor=w.people["focal_point"]
    )


def event_registration_promoted(w: CanaryWorld) -> None:
    full = EventFactory(initiative=w.stage.own.initiative, capacity=1, starts_at=in_hours(24 * 5))
    seat = RegistrationFactory(event=full, user=w.people["org_admin"])
    RegistrationFactory(
        event=full, user=w.people["member"], status=RegistrationStatus.WAITLISTED, position=1
    )
    events.registration_cancel(registration=seat, actor=w.people["org_admin"])


def event_registration_received(w: CanaryWorld) -> None:
    upcoming = EventFactory(initiative=w.stage.own.initiative, capacity=1, starts_at=in_hours(144))
    events.registration_create(event=upcoming, user=w.people["org_admin"])  # the seat
    events.registration_create(event=upcoming, user=w.people["other_member"])  # waiting


def event_changed(w: CanaryWorld) -> None:
    from events.forms import AgendaFormSet, EventForm

    focal_point = w.people["focal_point"]
    changing = EventFactory(
        initiative=w.stage.own.initiative,
        capacity=1,
        starts_at=in_hours(24 * 6),
        ends_at=in_hours(24 * 6 + 3),
        venue="Old hall",
    )
    w.add(
        "CanaryVenueThird",
        "a changed event's venue",
        perm("events.view_event_access", changing),
    )
    RegistrationFactory(event=changing, user=w.people["org_admin"])  # the seat
    RegistrationFactory(
        event=changing,
        user=w.people["other_member"],
        status=RegistrationStatus.WAITLISTED,
        position=1,
    )
    RegistrationFactory(event=changing, user=w.people["member"], status=RegistrationStatus.APPLIED)
    data = event_form_data(changing, focal_point, venue="CanaryVenueThird, Kisumu")
    form = EventForm(data, instance=changing, user=focal_point)
    agenda = AgendaFormSet(data, instance=changing, prefix="agenda")
    assert form.is_valid(), form.errors
    assert agenda.is_valid(), agenda.errors
    events.event_save(event_form=form, agenda_formset=agenda, actor=focal_point)


def event_announced(w: CanaryWorld) -> None:
    """An alliance meeting is announced to the alliance's people, not to those who follow
    the country; a public event to both."""
    from events.forms import AgendaFormSet, EventForm
    from events.models import Event, EventVisibility

    focal_point = w.people["focal_point"]
    kenya = w.stage.own.country
    Preferences.objects.get_or_create(user=w.people["registered"])[0].countries.add(kenya)
    template = Event(
        initiative=w.stage.own.initiative,
        time_zone="Africa/Nairobi",
        kind="stakeholder_consultation",
        format="in_person",
    )
    for title, visibility in (
        ("CanaryTitleAnnounced alliance strategy meeting", EventVisibility.ALLIANCE),
        ("Open forum on firearms", EventVisibility.PUBLIC),
    ):
        data = event_form_data(
            template,
            focal_point,
            title=title,
            description="Planning.",
            visibility=visibility,
            starts_at=in_hours(24 * 9).strftime("%Y-%m-%dT%H:%M"),
            ends_at=in_hours(24 * 9 + 2).strftime("%Y-%m-%dT%H:%M"),
        )
        form = EventForm(data, user=focal_point)
        agenda = AgendaFormSet(data, prefix="agenda")
        assert form.is_valid(), form.errors
        assert agenda.is_valid(), agenda.errors
        event = events.event_save(event_form=form, agenda_formset=agenda, actor=focal_point)
        if visibility == EventVisibility.ALLIANCE:
            w.add("CanaryTitleAnnounced", "an alliance meeting", perm("events.view_event", event))


def event_minutes_published(w: CanaryWorld) -> None:
    from events.forms import ActionItemFormSet

    held = EventFactory(
        initiative=w.stage.own.initiative, starts_at=in_hours(-30), ends_at=in_hours(-27)
    )
    w.add("CanaryMinutesSecond", "minutes behind sign-in", perm("events.view_minutes", held))
    for name in ("member", "org_admin", "coordinator"):
        RegistrationFactory(event=held, user=w.people[name], status=RegistrationStatus.ATTENDED)
    items = ActionItemFormSet(
        {"actions-TOTAL_FORMS": "0", "actions-INITIAL_FORMS": "0"}, instance=held, prefix="actions"
    )
    assert items.is_valid()
    events.event_record_outcome(
        event=held,
        actor=w.people["focal_point"],
        public_summary="The referral mechanism goes to the ministry.",
        minutes="CanaryMinutesSecond: who said what.",
        action_items=items,
    )


def event_waitlist_closed(w: CanaryWorld) -> None:
    ended = EventFactory(
        initiative=w.stage.own.initiative,
        starts_at=in_hours(-30),
        ends_at=in_hours(-27),
        venue="CanaryVenueFourth, Nakuru",
    )
    w.add("CanaryVenueFourth", "an ended event's venue", perm("events.view_event_access", ended))
    RegistrationFactory(
        event=ended, user=w.people["other_member"], status=RegistrationStatus.WAITLISTED, position=1
    )
    RegistrationFactory(event=ended, user=w.people["registered"], status=RegistrationStatus.APPLIED)
    events.waiting_lists_close()


def event_registration_removed(w: CanaryWorld) -> None:
    upcoming = EventFactory(
        initiative=w.stage.own.initiative,
        starts_at=in_hours(24 * 4),
        venue="CanaryVenueFifth, Eldoret",
    )
    w.add(
        "CanaryVenueFifth", "a removed person's venue", perm("events.view_event_access", upcoming)
    )
    seat = RegistrationFactory(event=upcoming, user=w.people["org_admin"])
    events.registration_remove(
        registration=seat, actor=w.people["focal_point"], reason="Registered twice."
    )


def groups_facilitator_named(w: CanaryWorld) -> None:
    from groups.forms import WorkingGroupForm

    form = WorkingGroupForm(
        {
            "title": "CanaryGroupNew closed group on firearms",
            "purpose": "Marking standards.",
            "visibility": "members",
            "facilitator_email": w.people["coordinator"].email,
        }
    )
    assert form.is_valid(), form.errors
    group = groups.group_create(
        form=form, initiative=w.stage.own.initiative, actor=w.people["focal_point"]
    )
    w.add("CanaryGroupNew", "a members-only group", perm("groups.view_group", group))


def groups_member_added(w: CanaryWorld) -> None:
    groups.member_add_government(
        group=w.stage.own.group, actor=w.people["focal_point"], user=w.people["registered"]
    )


def groups_invited(w: CanaryWorld) -> None:
    groups.member_invite(
        group=w.stage.own.group,
        actor=w.people["focal_point"],
        user=w.people["org_admin"],
        organization=w.stage.own.organization,
    )


def groups_join_requested(w: CanaryWorld) -> None:
    chatham_group = w.hidden_groups[1]
    groups.member_request(
        group=chatham_group, user=w.people["org_admin"], organization=w.stage.own.organization
    )


def groups_membership_decision(w: CanaryWorld) -> None:
    groups.member_decide(
        membership=w.stage.own.group_request, actor=w.people["focal_point"], approve=True
    )


def groups_thread_started(w: CanaryWorld) -> None:
    thread = groups.thread_start(
        group=w.stage.own.group,
        actor=w.people["focal_point"],
        title="CanaryThreadNew shelter funding",
        context="Who pays?",
    )
    w.add("CanaryThreadNew", "a group's new thread", perm("groups.view_discussion", thread.group))


def groups_reply_posted(w: CanaryWorld) -> None:
    groups.reply_post(thread=w.stage.own.thread, actor=w.people["member"], body="We can take them.")


def groups_proposal_opened(w: CanaryWorld) -> None:
    groups.proposal_open(
        thread=w.stage.own.thread,
        actor=w.people["focal_point"],
        question="CanaryProposalNew: shelters at night?",
        kind="consent",
        closes_at=in_hours(30),
    )
    w.add(
        "CanaryProposalNew",
        "a group's new proposal",
        perm("groups.view_discussion", w.stage.own.group),
    )


def groups_proposal_closing(w: CanaryWorld) -> None:
    from groups.models import Proposal

    Proposal.objects.filter(pk=w.stage.own.proposal.pk).update(closes_at=in_hours(5))
    groups.proposals_remind_closing()


def groups_proposal_closed(w: CanaryWorld) -> None:
    from groups.models import Proposal

    Proposal.objects.filter(pk=w.stage.own.proposal.pk).update(closes_at=in_hours(-1))
    groups.proposals_close_due()


def groups_outcome_published(w: CanaryWorld) -> None:
    from groups.models import Outcome

    outcome = Outcome.objects.get(proposal=w.stage.own.closed_proposal)
    groups.outcome_publish(outcome=outcome, actor=w.people["focal_point"])


def digest(w: CanaryWorld) -> None:
    for chunk in digest_chunks("weekly"):
        digests_build(frequency="weekly", user_ids=chunk)


# In an order the story allows (the draft is opened before it is adopted, requests are made
# before they wait and are decided).
TRIGGERS: dict[str, Trigger] = {
    "digest": digest,
    "roadmaps_roadmap_consultation": roadmap_consultation,
    "roadmaps_update_posted": update_posted,
    "roadmaps_update_assessed": update_assessed,
    "roadmaps_assessment_response": assessment_response,
    "roadmaps_comment_posted": comment_posted,
    "roadmaps_comment_response": comment_response,
    "consultations_opened": consultation_opened,
    "consultations_input_submitted": input_submitted,
    "consultations_input_response": input_response,
    "milestone_nudge": milestone_nudge,
    "roadmaps_roadmap_cosigned": roadmap_cosigned,
    "roadmaps_objection_response": objection_response,
    "roadmaps_roadmap_adopted": roadmap_adopted,
    "organization_submitted": organization_submitted,
    "organization_decision": organization_decision,
    "membership_requested": membership_requested,
    "membership_request_received": lambda w: None,  # written by membership_requested
    "membership_waiting": membership_waiting,
    "membership_decision": membership_decision,
    "initiative_role_assigned": initiative_role_assigned,
    "coordinator_appointed": coordinator_appointed,
    "invitation": invitation,
    "invitation_accepted": invitation_accepted,
    "event_reminder": event_reminder,
    "event_deadline": event_deadline,
    "event_postponed": event_postponed,
    "event_cancelled": event_cancelled,
    "event_registration_decision": event_registration_decision,
    "event_registration_invited": event_registration_invited,
    "event_registration_promoted": event_registration_promoted,
    "event_registration_received": event_registration_received,
    "event_changed": event_changed,
    "event_announced": event_announced,
    "groups_facilitator_named": groups_facilitator_named,
    "groups_member_added": groups_member_added,
    "groups_invited": groups_invited,
    "groups_join_requested": groups_join_requested,
    "groups_membership_decision": groups_membership_decision,
    "groups_thread_started": groups_thread_started,
    "groups_reply_posted": groups_reply_posted,
    "groups_proposal_opened": groups_proposal_opened,
    "groups_proposal_closing": groups_proposal_closing,
    "groups_proposal_closed": groups_proposal_closed,
    "groups_outcome_published": groups_outcome_published,
    "event_minutes_published": event_minutes_published,
    "event_waitlist_closed": event_waitlist_closed,
    "event_registration_removed": event_registration_removed,
}


def test_every_email_kind_has_a_trigger():
    assert sorted(email_kinds() - TRIGGERS.keys()) == [], "email kinds the harness cannot write"
    assert sorted(TRIGGERS.keys() - email_kinds()) == [], "triggers for kinds that do not exist"


def persona_of(w: CanaryWorld, notification: Notification) -> str | None:
    for name, person in w.people.items():
        if person.is_authenticated and person.pk == notification.recipient_id:
            return name
    return None


def reader_of(notification: Notification) -> Any:
    if notification.recipient_id is None:  # an invitation to an address without an account
        return AnonymousUser()
    return User.objects.get(pk=notification.recipient_id)


def test_no_email_tells_its_recipient_what_the_rules_deny(canary_world):
    w = canary_world
    for person in w.people.values():
        if person.is_authenticated:
            preferences, _ = Preferences.objects.get_or_create(user=person)
            preferences.countries.add(w.stage.own.country)
    leaks: list[str] = []
    written: set[str] = set()
    for trigger in TRIGGERS.values():
        last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        trigger(w)
        for notification in Notification.objects.filter(pk__gt=last).order_by("pk"):
            written.add(notification.kind)
            reader = reader_of(notification)
            denied = [c for c in w.canaries if not c.may_read(reader)]
            text = "\n".join([notification.subject, notification.body_text, notification.body_html])
            persona = persona_of(w, notification)
            if persona:
                record("email kinds", notification.kind, persona)
            else:
                record("email kinds to other people", notification.kind, notification.to_email)
            leaks += [
                f"{notification.kind} to {persona or notification.to_email} tells "
                f"{canary.what} ({canary.token})"
                for canary in find_leaks(text, denied)
            ]
    assert not leaks, "\n".join(leaks)
    assert sorted(TRIGGERS.keys() - written) == [], "triggers that wrote nothing of their kind"
