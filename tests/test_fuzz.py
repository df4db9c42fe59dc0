"""Property-based fuzzing of every form of the portal, through the test client.

For each form, hypothesis draws a value for every field: often the valid one (so that the
request gets through validation and the text is saved and shown), otherwise arbitrary text
with script payloads, quotes, unicode, null bytes and very long strings, or nothing at all.
The form is sent as the persona allowed to use it. Whatever comes in:

- the portal never answers with a server error (the test client re-raises any exception);
- no page shows a payload unescaped: ``<script>alert(`` never appears in the answer, in the
  page it redirects to, or in the pages where the saved text is shown.

Each example runs in a savepoint that is rolled back, so that every example meets the same
objects. Profiles: ``ci`` (200 examples per form, used when ``CI=true``) and ``dev`` (a
quick run, the default); ``HYPOTHESIS_PROFILE`` picks another. Select with ``-m fuzz``.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import resolve
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.groups.factories import GroupMemberFactory
from tests.stakeholders.factories import PASSWORD, OrganizationFactory, OrganizationMemberFactory
from tests.support.scenes import Scene, build_scene, in_days

settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "dev",
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PROFILE = os.environ.get(
    "HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI", "").lower() == "true" else "dev"
)

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

SCRIPT = b"<script>alert("
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script><'",
    "</textarea><script>alert(1)</script>",
    "javascript:alert(1)",
    "<img src=x onerror=alert(1)>",
    "{{ 7|add:7 }} {% now 'Y' %}",
    "' OR '1'='1",
    '"; DROP TABLE stakeholders_user; --',
    "=cmd|' /C calc'!A0",
    "\x00",
    "nul\x00byte",
    "Ωμέγα 漢字 العربية 🚀 \u202e\u200b",
    "\r\n\t",
    " ",
    "-1",
    "99999999999999999999",
    "1e309",
    "NaN",
    "2026-02-30",
    "2026-02-03T25:61",
    "x" * 100_000,
    "<script>alert(1)</script>" * 2_000,
]
FUZZ_TEXT = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=60),
    st.builds(lambda a, b: a + b, st.text(max_size=10), st.sampled_from(PAYLOADS)),
)


# --- The forms ----------------------------------------------------------------------------------


@dataclass
class Fuzz:
    """The objects the forms point to: Kenya's scene of the permission matrix, plus an
    organization the registered person runs (verified, not yet in the alliance)."""

    world: Any
    scene: Scene
    own_organization: Any


Value = str | list[str]


@dataclass
class Form:
    name: str
    persona: str
    url: Callable[[Fuzz], str]
    fields: Callable[[Fuzz], dict[str, Value]]  # the valid value of each field
    method: str = "POST"
    # Where the saved text shows, besides the page the form redirects to: (persona, url).
    shown_at: Callable[[Fuzz], list[tuple[str, str]]] = field(default=lambda f: [])


def wall(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def organization_fields(f: Fuzz, organization: Any) -> dict[str, Value]:
    return {
        "name": organization.name,
        "acronym": organization.acronym,
        "kind": organization.kind,
        "country": str(organization.country_id),
        "city": organization.city,
        "website": organization.website,
        "description": organization.description,
        "themes": [],
        "contact_email": organization.contact_email,
        "visibility": organization.visibility,
    }


def event_fields(f: Fuzz) -> dict[str, Value]:
    starts = in_days(40)
    return {
        "initiative": str(f.scene.initiative.pk),
        "alliance": "",
        "kind": "stakeholder_consultation",
        "topic": "",
        "format": "hybrid",
        "title": "Joint workshop on firearms",
        "description": "Government and civil society agree on the next steps.",
        "time_zone": "Africa/Nairobi",
        "starts_at": wall(starts),
        "ends_at": wall(starts + datetime.timedelta(hours=3)),
        "venue": "Conference room 4",
        "online_link": "https://meet.example.org/vpi",
        "capacity": "40",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "requires_approval": "",
        "visibility": "public",
        "chatham_house": "on",
        "agenda-TOTAL_FORMS": "1",
        "agenda-INITIAL_FORMS": "0",
        "agenda-0-starts_at": wall(starts),
        "agenda-0-title": "Opening",
        "agenda-0-speakers": "The minister",
        "agenda-0-order": "1",
    }


PROGRESS_FIELDS: dict[str, Value] = {
    "status": "in_progress",
    "progress": "40",
    "narrative": "The bill passed its first reading.",
    "link_1_url": "https://example.org/report",
    "link_1_title": "The report",
    "link_1_sensitivity": "public",
    "link_2_url": "",
    "link_2_title": "",
    "link_2_sensitivity": "alliance",
    **{f"file_{n}_title": "" for n in (1, 2, 3)},
    **{f"file_{n}_sensitivity": "public" for n in (1, 2, 3)},
}


def milestone_page(f: Fuzz) -> list[tuple[str, str]]:
    url = f.scene.milestone.get_absolute_url()
    return [("visitor", url), ("coordinator", url), ("focal_point", url)]


def roadmap_pages(f: Fuzz) -> list[tuple[str, str]]:
    return [
        ("focal_point", f.scene.draft.get_absolute_url()),
        ("visitor", f.scene.adopted.get_absolute_url()),
    ]


def event_pages(f: Fuzz) -> list[tuple[str, str]]:
    return [
        ("visitor", f"/events/{f.scene.event.pk}/"),
        ("registered", f"/events/{f.scene.event.pk}/"),
        ("visitor", "/events/"),
    ]


def organization_pages(f: Fuzz) -> list[tuple[str, str]]:
    slug = f.scene.organization.slug
    return [("visitor", f"/organizations/{slug}/"), ("org_admin", f"/organizations/{slug}/people/")]


# fmt: off
FORMS: list[Form] = [
    # --- Accounts ---------------------------------------------------------------------------------
    Form("sign in", "visitor", lambda f: "/accounts/login/",
         lambda f: {"login": "registered@example.org", "password": PASSWORD, "remember": ""}),
    Form("sign up", "visitor", lambda f: "/accounts/signup/",
         lambda f: {"full_name": "Neema", "display_name": "N.", "email": "neema@example.org",
                    "password1": "a-long-new-passphrase", "password2": "a-long-new-passphrase"}),
    Form("password reset", "visitor", lambda f: "/accounts/password/reset/",
         lambda f: {"email": "registered@example.org"}),
    Form("password change", "registered", lambda f: "/accounts/password/change/",
         lambda f: {"oldpassword": PASSWORD, "password1": "a-long-new-passphrase",
                    "password2": "a-long-new-passphrase"}),
    Form("add an email address", "registered", lambda f: "/accounts/email/",
         lambda f: {"email": "second@example.org", "action_add": ""}),
    Form("reauthenticate", "registered", lambda f: "/accounts/reauthenticate/",
         lambda f: {"password": PASSWORD}),
    Form("profile", "registered", lambda f: "/accounts/profile/",
         lambda f: {"full_name": "Rita Registered", "display_name": "Rita",
                    "preferred_language": "en", "time_zone": "Africa/Nairobi"},
         shown_at=lambda f: [("registered", "/"), ("registered", "/accounts/data/export.json")]),
    Form("email preferences", "registered", lambda f: "/accounts/notifications/",
         lambda f: {"activity_emails": "on", "event_reminders": "on",
                    "digest_frequency": "weekly", "countries": [str(f.scene.country.pk)]}),
    Form("delete the account", "registered", lambda f: "/accounts/delete/",
         lambda f: {"password": "not-the-password", "confirm": "on"}),
    Form("language", "visitor", lambda f: "/i18n/setlang/",
         lambda f: {"language": "fr", "next": "/countries/"}),
    # --- Filters (GET forms) ----------------------------------------------------------------------
    Form("organization directory", "registered", lambda f: "/organizations/",
         lambda f: {"q": "network", "kind": "ngo", "country": "KE", "theme": "", "page": "1"},
         method="GET"),
    Form("event list", "registered", lambda f: "/events/",
         lambda f: {"country": "KE", "kind": "", "format": "hybrid", "topic": "",
                    "when": "past", "page": "1"}, method="GET"),
    Form("country list", "visitor", lambda f: "/countries/",
         lambda f: {"region": "", "status": "launched", "page": "1"}, method="GET"),
    Form("audit log filter", "staff", lambda f: "/audit/",
         lambda f: {"action": "", "actor": "staff", "sensitive": "on", "since": "2024-01-01",
                    "until": "", "page": "1"}, method="GET"),
    Form("vetting filter", "staff", lambda f: "/vetting/",
         lambda f: {"country": "", "kind": "ngo", "status": "pending", "page": "1"},
         method="GET"),
    # --- Organizations ----------------------------------------------------------------------------
    Form("register an organization", "registered", lambda f: "/organizations/new/",
         lambda f: {**organization_fields(f, f.scene.organization), "name": "Coast Network"},
         shown_at=lambda f: [("registered", "/organizations/mine/")]),
    Form("ask for a new review", "org_admin",
         lambda f: f"/organizations/{f.scene.organization.slug}/review/",
         lambda f: {"note": "Our registration number is on the profile now."}),
    Form("edit an organization", "org_admin",
         lambda f: f"/organizations/{f.scene.organization.slug}/edit/",
         lambda f: organization_fields(f, f.scene.organization), shown_at=organization_pages),
    Form("invite a colleague", "org_admin",
         lambda f: f"/organizations/{f.scene.organization.slug}/people/invite/",
         lambda f: {"email": "colleague@example.org", "role": "member"},
         shown_at=organization_pages),
    Form("change a member's role", "org_admin",
         lambda f: f"/organizations/{f.scene.organization.slug}/people/{f.scene.member.pk}/role/",
         lambda f: {"role": "admin"}),
    Form("vet an organization", "staff",
         lambda f: f"/vetting/{f.scene.pending_organization.slug}/",
         lambda f: {"decision": "rejected", "seen_status": "pending", "reason": "Not an NGO."}),
    # --- Alliances and roles ----------------------------------------------------------------------
    Form("ask to join the alliance", "registered", lambda f: f"/alliances/{f.scene.code}/join/",
         lambda f: {"organization": str(f.own_organization.pk), "motivation": "We protect."},
         shown_at=lambda f: [("coordinator", f"/alliances/{f.scene.code}/requests/")]),
    Form("approve a request", "coordinator",
         lambda f: f"/alliances/{f.scene.code}/requests/{f.scene.request.pk}/approve/",
         lambda f: {"note": "Welcome."}),
    Form("decline a request", "coordinator",
         lambda f: f"/alliances/{f.scene.code}/requests/{f.scene.request.pk}/decline/",
         lambda f: {"note": "Outside the alliance's scope."},
         shown_at=lambda f: [("coordinator", f"/alliances/{f.scene.code}/requests/")]),
    Form("remove a member organization", "coordinator",
         lambda f: f"/alliances/{f.scene.code}/requests/{f.scene.membership.pk}/remove/",
         lambda f: {"note": "Inactive.", "confirm": "on"}),
    Form("create an alliance", "staff", lambda f: "/alliances/new/",
         lambda f: {"country": str(f.world.pakistan.pk), "name": "Pakistan alliance",
                    "description": "Together.", "founded_on": "2024-05-01",
                    "member_list_visibility": "registered"},
         shown_at=lambda f: [("visitor", "/alliances/pk/")]),
    Form("manage the alliance", "staff", lambda f: f"/alliances/{f.scene.code}/manage/",
         lambda f: {"name": "Kenya alliance", "description": "Together.",
                    "founded_on": "2024-05-01", "member_list_visibility": "public"},
         shown_at=lambda f: [("visitor", f"/alliances/{f.scene.code}/"),
                             ("visitor", f"/countries/{f.scene.code}/")]),
    Form("add a coordinator", "staff",
         lambda f: f"/alliances/{f.scene.code}/coordinators/add/",
         lambda f: {"email": "registered@example.org"}),
    Form("assign an initiative role", "staff", lambda f: f"/countries/{f.scene.code}/roles/",
         lambda f: {"email": "registered@example.org", "role": "alternate_focal_point",
                    "agency": "Ministry of Interior", "job_title": "Director",
                    "shown_publicly": "on", "active_from": timezone.localdate().isoformat()},
         shown_at=lambda f: [("visitor", f"/countries/{f.scene.code}/")]),
    Form("follow a country", "registered", lambda f: f"/countries/{f.scene.code}/follow/",
         lambda f: {"follow": "1"}, shown_at=lambda f: [("registered", "/my-work/")]),
    Form("follow a milestone", "registered",
         lambda f: f"/follow/milestone/{f.scene.milestone.pk}/",
         lambda f: {"follow": "1"}, shown_at=milestone_page),
    Form("follow a roadmap", "registered",
         lambda f: f"/follow/roadmap/{f.scene.adopted.pk}/",
         lambda f: {"follow": "1"},
         shown_at=lambda f: [("registered", f"/countries/{f.scene.code}/roadmap/")]),
    Form("follow a consultation", "coordinator",
         lambda f: f"/follow/consultation/{f.scene.consultation.pk}/",
         lambda f: {"follow": "1"},
         shown_at=lambda f: [("coordinator", f"/consultations/{f.scene.consultation.pk}/")]),
    Form("create a working group", "focal_point",
         lambda f: f"/countries/{f.scene.code}/groups/new/",
         lambda f: {"title": "Firearms marking", "theme": "",
                    "purpose": "Agree a marking standard.", "visibility": "registered",
                    "facilitator_email": "focal@example.org"},
         shown_at=lambda f: [("registered", f"/countries/{f.scene.code}/groups/")]),
    Form("change a working group", "focal_point",
         lambda f: f"/groups/{f.scene.group.pk}/edit/",
         lambda f: {"title": f.scene.group.title, "theme": "",
                    "purpose": f.scene.group.purpose, "visibility": "registered",
                    "facilitator_email": "focal@example.org"},
         shown_at=lambda f: [("registered", f.scene.group.get_absolute_url())]),
    Form("name a government expert", "focal_point",
         lambda f: f"/groups/{f.scene.group.pk}/members/expert/",
         lambda f: {"expert-email": "registered@example.org", "expert-agency": "Police"},
         shown_at=lambda f: [("focal_point", f.scene.group.get_absolute_url())]),
    Form("invite to a working group", "focal_point",
         lambda f: f"/groups/{f.scene.group.pk}/members/invite/",
         lambda f: {"invite-email": "orgadmin@example.org"}),
    Form("ask to join a working group", "org_admin",
         lambda f: f"/groups/{f.scene.group.pk}/join/",
         lambda f: {"organization": str(f.scene.organization.pk), "note": "We run shelters."},
         shown_at=lambda f: [("focal_point", f"/groups/{f.scene.group.pk}/members/")]),
    Form("open a group thread", "focal_point",
         lambda f: f"/groups/{f.scene.group.pk}/threads/new/",
         lambda f: {"title": "Shelter funding", "context": "Who pays for the shelters?"},
         shown_at=lambda f: [("focal_point", f.scene.group.get_absolute_url())]),
    Form("reply in a group thread", "focal_point",
         lambda f: f"/threads/{f.scene.thread.pk}/reply/",
         lambda f: {"body": "The shelters can take them.", "quote": ""},
         shown_at=lambda f: [("focal_point", f.scene.thread.get_absolute_url())]),
    Form("edit a group reply", "focal_point",
         lambda f: f"/replies/{f.scene.reply.pk}/edit/",
         lambda f: {"body": "Edited reply.", "quote": ""},
         shown_at=lambda f: [("focal_point", f.scene.thread.get_absolute_url())]),
    Form("hide a group reply", "focal_point",
         lambda f: f"/replies/{f.scene.reply.pk}/hide/",
         lambda f: {"reason": "Names a victim."},
         shown_at=lambda f: [("focal_point", f.scene.thread.get_absolute_url())]),
    Form("decide a request to join a group", "focal_point",
         lambda f: f"/group-members/{f.scene.group_request.pk}/decide/",
         lambda f: {"decision": "approve"}),
    Form("put a proposal", "focal_point",
         lambda f: f"/threads/{f.scene.thread.pk}/proposals/new/",
         lambda f: {"question": "A 24-hour rule?", "kind": "consent", "options": "",
                    "closes_at": wall(in_days(3)), "quorum": "", "pass_share": "50"},
         shown_at=lambda f: [("focal_point", f.scene.group.get_absolute_url())]),
    Form("vote on a proposal", "registered",
         lambda f: f"/proposals/{f.scene.proposal.pk}/vote/",
         lambda f: {"position": "objection", "reason": "Adults are sent home."},
         shown_at=lambda f: [("focal_point", f.scene.proposal.get_absolute_url())]),
    Form("answer an objection", "focal_point",
         lambda f: f"/votes/{f.scene.group_objection.pk}/respond/",
         lambda f: {"response": "Shelters open at night."},
         shown_at=lambda f: [("focal_point", f.scene.proposal.get_absolute_url())]),
    Form("record an outcome", "focal_point",
         lambda f: f"/proposals/{f.scene.closed_proposal.pk}/outcome/",
         lambda f: {"decision": "Referral within a day.", "reasons": "Agreed."},
         shown_at=lambda f: [("focal_point", f.scene.closed_proposal.get_absolute_url())]),
    Form("put an outcome on the roadmap", "focal_point",
         lambda f: f"/proposals/{f.scene.closed_proposal.pk}/outcome/milestone/",
         lambda f: {"priority": str(f.scene.draft_priority.pk)}),
    Form("declare participation figures", "focal_point",
         lambda f: f"/countries/{f.scene.code}/participation/",
         lambda f: {"government_experts": "65", "organizations": "35",
                    "as_of": timezone.localdate().isoformat(),
                    "source": "List of participants, national workshop"},
         shown_at=lambda f: [("visitor", f"/countries/{f.scene.code}/"),
                             ("focal_point", f"/countries/{f.scene.code}/participation/")]),
    # --- Roadmaps ---------------------------------------------------------------------------------
    Form("edit the roadmap", "focal_point", lambda f: f"/roadmaps/{f.scene.draft.pk}/edit/",
         lambda f: {"title": "Roadmap 2026", "summary": "What we agreed.",
                    "period_start": "2026-01-01", "period_end": "2027-12-31"},
         shown_at=roadmap_pages),
    Form("add a priority", "focal_point",
         lambda f: f"/roadmaps/{f.scene.draft.pk}/priorities/new/",
         lambda f: {"title": "Protect witnesses", "description": "Shelters.", "themes": [],
                    "instrument": "convention", "article": "24", "proposed_by": "joint"},
         shown_at=roadmap_pages),
    Form("add a milestone", "focal_point",
         lambda f: f"/priorities/{f.scene.draft_priority.pk}/milestones/new/",
         lambda f: {"title": "Train judges", "description": "Twice a year.",
                    "lead": "Judiciary", "due_on": "2026-12-31", "status": "in_progress",
                    "progress": "10"},
         shown_at=roadmap_pages),
    Form("edit a priority", "focal_point",
         lambda f: f"/priorities/{f.scene.draft_priority.pk}/edit/",
         lambda f: {"title": "Protect victims", "description": "Shelters.", "themes": [],
                    "instrument": "trafficking_protocol", "article": "6(3)",
                    "proposed_by": "civil_society"},
         shown_at=roadmap_pages),
    Form("move a priority", "focal_point",
         lambda f: f"/priorities/{f.scene.draft_priority.pk}/move/",
         lambda f: {"direction": "down"}),
    Form("edit a milestone", "focal_point",
         lambda f: f"/milestones/{f.scene.draft_milestone.pk}/edit/",
         lambda f: {"title": "Train prosecutors", "description": "Yearly.", "lead": "Judiciary",
                    "due_on": "2027-06-30", "status": "completed", "progress": "100"},
         shown_at=roadmap_pages),
    Form("move a milestone", "focal_point",
         lambda f: f"/milestones/{f.scene.draft_milestone.pk}/move/",
         lambda f: {"direction": "up"}),
    Form("start a roadmap", "other_focal_point", lambda f: "/countries/pk/roadmap/new/",
         lambda f: {"title": "Roadmap of Pakistan", "summary": "Agreed.",
                    "period_start": "2026-01-01", "period_end": "2026-12-31"},
         shown_at=lambda f: [("other_focal_point", "/countries/pk/roadmap/")]),
    Form("open the consultation", "focal_point",
         lambda f: f"/roadmaps/{f.scene.draft.pk}/consultation/",
         lambda f: {"closes_on": "2099-01-31"}),
    Form("set a consultation's deadline", "focal_point",
         lambda f: f"/roadmaps/{f.scene.draft.pk}/consultation/deadline/",
         lambda f: {"closes_on": "2099-01-31"}),
    Form("record that no consultation can run", "staff",
         lambda f: f"/roadmaps/{f.scene.draft.pk}/consultation/waive/",
         lambda f: {"reason": "No organization exists yet."}),
    Form("answer an objection", "focal_point",
         lambda f: f"/roadmaps/objections/{f.scene.objection.pk}/answer/",
         lambda f: {"response": "The budget is in milestone 2."}),
    Form("co-sign the roadmap", "coordinator",
         lambda f: f"/roadmaps/{f.scene.adopted.pk}/cosign/", lambda f: {"note": "For all."},
         shown_at=lambda f: [("coordinator", f.scene.adopted.get_absolute_url())]),
    Form("report progress", "focal_point",
         lambda f: f"/milestones/{f.scene.milestone.pk}/report/", lambda f: PROGRESS_FIELDS,
         shown_at=milestone_page),
    Form("assess an update", "org_admin", lambda f: f"/updates/{f.scene.update.pk}/assess/",
         lambda f: {"verdict": "disputes", "comment": "Not passed yet."},
         shown_at=milestone_page),
    Form("answer an assessment", "focal_point",
         lambda f: f"/assessments/{f.scene.assessment.pk}/respond/",
         lambda f: {"response": "Second reading next month."}, shown_at=milestone_page),
    Form("comment on a milestone", "org_admin",
         lambda f: f"/milestones/{f.scene.milestone.pk}/comments/",
         lambda f: {"body": "Add shelters."}, shown_at=milestone_page),
    Form("comment on the roadmap", "coordinator",
         lambda f: f"/roadmaps/{f.scene.adopted.pk}/comments/",
         lambda f: {"body": "Add shelters."},
         shown_at=lambda f: [("coordinator", f.scene.adopted.get_absolute_url())]),
    Form("comment on a priority", "coordinator",
         lambda f: f"/priorities/{f.scene.priority.pk}/comments/",
         lambda f: {"body": "Add a milestone on victims."},
         shown_at=lambda f: [("coordinator", f.scene.adopted.get_absolute_url())]),
    Form("answer a comment", "focal_point",
         lambda f: f"/comments/{f.scene.comment.pk}/respond/",
         lambda f: {"response": "Added."}, shown_at=milestone_page),
    Form("hide a comment", "staff", lambda f: f"/comments/{f.scene.comment.pk}/hide/",
         lambda f: {"reason": "Insults."}, shown_at=milestone_page),
    # --- Consultations ----------------------------------------------------------------------------
    Form("open a consultation", "focal_point",
         lambda f: f"/countries/{f.scene.code}/consultations/new/",
         lambda f: {"title": "Draft firearms law", "kind": "draft_legislation",
                    "description": "What is missing?", "deadline": wall(in_days(20)),
                    "audience": "country", "public_record": "on"},
         shown_at=lambda f: [("focal_point", f"/countries/{f.scene.code}/consultations/")]),
    Form("send an input", "coordinator",
         lambda f: f"/consultations/{f.scene.consultation.pk}/inputs/",
         lambda f: {"on_behalf_of": "alliance", "text": "Shelters for victims."},
         shown_at=lambda f: [("focal_point", f"/consultations/{f.scene.consultation.pk}/")]),
    Form("answer an input", "focal_point",
         lambda f: f"/inputs/{f.scene.consultation_input.pk}/respond/",
         lambda f: {"response": "Taken into the draft."},
         shown_at=lambda f: [("org_admin", f"/consultations/{f.scene.consultation.pk}/")]),
    # --- Events -----------------------------------------------------------------------------------
    Form("create an event", "focal_point", lambda f: "/events/new/", event_fields,
         shown_at=lambda f: [("visitor", "/events/"), ("focal_point", "/events/mine/")]),
    Form("edit an event", "focal_point", lambda f: f"/events/{f.scene.event.pk}/edit/",
         event_fields, shown_at=event_pages),
    Form("postpone an event", "focal_point", lambda f: f"/events/{f.scene.event.pk}/postpone/",
         lambda f: {"starts_at": wall(in_days(50)), "ends_at": wall(in_days(51)),
                    "message": "The minister travels."}, shown_at=event_pages),
    Form("cancel an event", "focal_point", lambda f: f"/events/{f.scene.event.pk}/cancel/",
         lambda f: {"message": "Elections were called.", "confirm": "on"},
         shown_at=event_pages),
    Form("register for an event", "org_admin", lambda f: f"/events/{f.scene.event.pk}/register/",
         lambda f: {"organization": str(f.scene.organization.pk)}),
    Form("invite to an event", "focal_point",
         lambda f: f"/events/{f.scene.event.pk}/registrations/",
         lambda f: {"invite-email": "orgadmin@example.org"}),
    Form("decide an application", "focal_point",
         lambda f: f"/events/{f.scene.event.pk}/registrations/{f.scene.application.pk}/decide/",
         lambda f: {"decision": "approve"}),
    Form("remove a registrant", "focal_point",
         lambda f: f"/events/{f.scene.event.pk}/registrations/{f.scene.application.pk}/remove/",
         lambda f: {"reason": "Registered twice."}),
    Form("give a seat out of turn", "focal_point",
         lambda f: f"/events/{f.scene.event.pk}/registrations/{f.scene.application.pk}/promote/",
         lambda f: {"reason": "Speaks in the second session."}),
    Form("record attendance", "focal_point", lambda f: f"/events/{f.scene.event.pk}/attendance/",
         lambda f: {f"attended-{f.scene.application.pk}": "on", "emails": "walkin@example.org",
                    "without_account": "3"}),
    Form("publish the outcome", "focal_point", lambda f: f"/events/{f.scene.event.pk}/outcome/",
         lambda f: {"public_summary": "Three steps agreed.", "minutes": "We talked.",
                    "actions-TOTAL_FORMS": "1", "actions-INITIAL_FORMS": "0",
                    "actions-0-text": "Draft the referral mechanism",
                    "actions-0-owner": "Ministry of Interior", "actions-0-due_on": "2027-01-31",
                    "actions-0-order": "1"},
         shown_at=lambda f: [("registered", f"/events/{f.scene.event.pk}/minutes/"),
                             ("registered", f"/events/{f.scene.event.pk}/minutes.txt")]),
    Form("put an action item on the roadmap", "focal_point",
         lambda f: f"/events/{f.scene.event.pk}/action-items/{f.scene.action_item.pk}/milestone/",
         lambda f: {f"item-{f.scene.action_item.pk}-priority": str(f.scene.draft_priority.pk)}),
]
# fmt: on


# --- Running the forms --------------------------------------------------------------------------


def field_values(valid: dict[str, Value]) -> st.SearchStrategy[dict[str, Value]]:
    """For each field: its valid value, arbitrary text, or nothing."""
    choices = {
        name: st.one_of(st.just(value), FUZZ_TEXT, st.none()) for name, value in valid.items()
    }
    return st.fixed_dictionaries(choices).map(
        lambda drawn: {name: value for name, value in drawn.items() if value is not None}
    )


def check_page(response, where: str) -> None:
    assert response.status_code < 500, f"{where}: {response.status_code}"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert SCRIPT not in body, f"{where}: an unescaped payload"


@pytest.fixture
def fuzz(world, settings, tmp_path) -> Fuzz:
    settings.MEDIA_ROOT = tmp_path / "media"
    own_organization = OrganizationFactory(country=world.kenya, name="Registered's own network")
    OrganizationMemberFactory(organization=own_organization, user=world["registered"], role="admin")
    scene = build_scene(world, own=True)
    # The registered person votes in the group's proposals, as a government expert.
    GroupMemberFactory(group=scene.group, user=world["registered"], side="government")
    return Fuzz(world=world, scene=scene, own_organization=own_organization)


@pytest.mark.parametrize("form", FORMS, ids=[form.name for form in FORMS])
def test_no_form_breaks_or_echoes_a_script(fuzz, client_for, form):
    url = form.url(fuzz)
    valid = form.fields(fuzz)
    shown_at = form.shown_at(fuzz)
    # Signed in once: each example's savepoint leaves the session as it was.
    client = client_for(form.persona)
    readers = {persona: client_for(persona) for persona, _page in shown_at}
    send_form = client.get if form.method == "GET" else client.post

    @settings(settings.get_profile(PROFILE))
    @given(values=field_values(valid))
    def send(values: dict[str, Value]) -> None:
        cache.clear()  # rate limits: every example starts afresh
        with transaction.atomic():
            response = send_form(url, values)
            check_page(response, f"{form.method} {url}")
            # Where the text may be shown, when there is a script in it to look for.
            carries_script = any(SCRIPT.decode() in str(value) for value in values.values())
            if carries_script and response.status_code == 302 and response.url.startswith("/"):
                check_page(client.get(response.url), f"GET {response.url}")
                for persona, page in shown_at:
                    check_page(readers[persona].get(page), f"GET {page} as {persona}")
            transaction.set_rollback(True)

    send()


# Routes that take a POST without any text to fuzz: a confirmation (the same ConfirmForm as
# "open the consultation", or no field at all), or a token in the address.
CONFIRMATION_ONLY = {
    "account_logout",
    "groups:outcome_publish",
    "groups:invitation",
    "groups:remove",
    "events:reset_feed",
    "events:unregister",
    "notifications:unsubscribe",
    "notifications:read_all",
    "stakeholders:session_keepalive",
    "consultations:close",
    "roadmaps:milestone_delete",
    "roadmaps:priority_delete",
    "roadmaps:roadmap_adopt",
    "roadmaps:roadmap_revise",
    "stakeholders:alliance_coordinator_remove",
    "stakeholders:initiative_role_end",
    "stakeholders:invitation_accept",
    "stakeholders:invitation_revoke",
    "stakeholders:membership_withdraw",
    "stakeholders:organization_leave",
    "stakeholders:organization_member_remove",
}


def test_every_form_of_the_portal_is_fuzzed(fuzz):
    """Every route of the policy table that takes a POST has a fuzzed form above (or is a
    bare confirmation): a new form without fuzzing fails here."""
    from tests.test_permission_matrix import ROWS

    posted = {row.name for row in ROWS if row.method == "POST"}
    fuzzed = {resolve(form.url(fuzz)).view_name for form in FORMS if form.method == "POST"}
    assert sorted(posted - fuzzed - CONFIRMATION_ONLY) == []
