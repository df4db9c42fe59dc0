"""A world in which every field that some persona may not see carries a canary string.

``plant_canaries(stage)`` takes the permission matrix's stage (a Kenyan and a Pakistani
scene, tests/support/scenes.py), puts a canary in each restricted field of the Kenyan scene
and adds what the scene lacks: an alliance-only organization that leads a milestone, attends
an event and answers a consultation; a pending and a rejected organization; a member who
chose a pseudonym; a Chatham House meeting; restricted evidence; an invitation-only event.

Each canary says which rule decides who may read it (``may_read``), so the expectations are
the rules themselves (``user.has_perm``), not a list kept beside them.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from consultations.models import Audience
from countries.models import RiskLevel
from events.models import EventStatus, EventVisibility, Registration, RegistrationStatus
from groups.models import GroupVisibility, MemberStatus, Side
from roadmaps.models import EvidenceKind, Sensitivity
from stakeholders.models import (
    MemberListVisibility,
    MemberRole,
    OrganizationStatus,
    OrganizationVisibility,
    User,
)
from tests.consultations.factories import ConsultationInputFactory
from tests.events.factories import EventFactory, RegistrationFactory
from tests.groups.factories import (
    GroupMemberFactory,
    ProposalFactory,
    ReplyFactory,
    ThreadFactory,
    VoteFactory,
    WorkingGroupFactory,
)
from tests.roadmaps.factories import AssessmentFactory, CommentFactory, EvidenceFactory
from tests.stakeholders.factories import (
    AllianceMembershipFactory,
    OrganizationFactory,
    OrganizationMemberFactory,
    UserFactory,
)

# The nine personas of the privacy harness: the policy table's seven, a plain member of the
# Kenyan alliance and a member of another country's alliance.
PERSONAS = [
    "visitor",
    "registered",
    "other_member",
    "member",
    "org_admin",
    "coordinator",
    "other_focal_point",
    "focal_point",
    "staff",
]

Rule = Callable[[Any], bool]


@dataclass(frozen=True)
class Canary:
    token: str  # a word that appears nowhere but in the field it stands for
    what: str  # what it stands for, for the failure message
    may_read: Rule  # who may read it: a question to the rules


def perm(name: str, obj: Any) -> Rule:
    return lambda user: user.has_perm(name, obj)


def any_of(*rules: Rule) -> Rule:
    return lambda user: any(rule(user) for rule in rules)


def contact_of(person: Any) -> Rule:
    """A person's email address: the people the contact policy names (SECURITY.md), and the
    organizers of the events the person registered for (they run the list of attendees)."""
    events = [r.event for r in Registration.objects.filter(user=person).select_related("event")]
    return any_of(
        perm("stakeholders.view_person_contact", person),
        *(perm("events.view_attendees", event) for event in events),
    )


def participant_of(person: Any, events: list[Any]) -> Rule:
    """A name that appears only as a participant of these events."""
    return any_of(
        perm("stakeholders.view_legal_name", person),
        *(perm("events.view_participant_names", event) for event in events),
        *(perm("events.view_attendees", event) for event in events),
    )


@dataclass
class CanaryWorld:
    stage: Any
    people: dict[str, Any]  # persona name -> person (AnonymousUser for the visitor)
    canaries: list[Canary] = field(default_factory=list)
    # Objects the routes are also walked with, besides the scenes' own (see routes.py).
    hidden_organizations: list[Any] = field(default_factory=list)
    hidden_events: list[Any] = field(default_factory=list)
    hidden_groups: list[Any] = field(default_factory=list)
    objects: dict[str, Any] = field(default_factory=dict)

    def add(self, token: str, what: str, may_read: Rule) -> str:
        self.canaries.append(Canary(token, what, may_read))
        return token

    def denied(self) -> dict[str, list[Canary]]:
        """For each persona, the canaries the rules keep from them."""
        return {name: self.denied_to(name) for name in self.people}

    def denied_to(self, persona: str) -> list[Canary]:
        """Asked of a fresh copy of the person, so that nothing a request remembered about
        them counts (a person who deleted their account reads as a visitor)."""
        person = self.people[persona]
        reader = (
            person.is_authenticated and User.objects.filter(pk=person.pk).first()
        ) or AnonymousUser()
        return [c for c in self.canaries if not c.may_read(reader)]


def find_leaks(text: str, denied: list[Canary]) -> list[Canary]:
    folded = text.casefold()
    return [canary for canary in denied if canary.token.casefold() in folded]


def unfold(text: str) -> str:
    """iCalendar folds long lines (RFC 5545 3.1): a canary may straddle a fold."""
    return re.sub(r"\r?\n[ \t]", "", text)


def plant_canaries(stage: Any) -> CanaryWorld:
    world, own = stage.world, stage.own
    kenya, alliance, organization = own.country, own.alliance, own.organization
    people = {name: world[name] for name in world.people}
    people["member"] = own.member.user
    people["other_member"] = stage.other.member.user
    w = CanaryWorld(stage=stage, people={name: people[name] for name in PERSONAS})
    now = timezone.now()

    # A country at high risk: its alliance's member list is for its members only.
    kenya.risk_level = RiskLevel.HIGH
    kenya.save()
    alliance.member_list_visibility = MemberListVisibility.MEMBERS
    alliance.save()

    # --- Organizations the rules hide -----------------------------------------------------
    hidden = OrganizationFactory(
        country=kenya,
        name="CanaryOrgHidden Migrant Support Network",
        slug="canaryorghidden-migrant-support-network",
        acronym="",
        website="https://canaryorghidden.example.org",
        description="CanaryOrgHidden shelters smuggled migrants.",
        contact_email="canarycontacthidden@example.org",
        visibility=OrganizationVisibility.ALLIANCE,
    )
    AllianceMembershipFactory(alliance=alliance, organization=hidden, decided_at=now)
    w.add("CanaryOrgHidden", "an alliance-only organization", perm_view_org(hidden))
    w.add(
        "canarycontacthidden",
        "an alliance-only organization's contact address",
        perm("stakeholders.view_organization_contact", hidden),
    )
    hidden_admin = UserFactory(full_name="Hadiza Shelter", email="canarymailhadiza@example.org")
    OrganizationMemberFactory(organization=hidden, user=hidden_admin, role=MemberRole.ADMIN)

    pending = own.pending_organization
    pending.name, pending.slug = "CanaryOrgPending Coast Watch", "canaryorgpending-coast-watch"
    pending.description = "CanaryOrgPending documents trafficking on the coast."
    pending.save()
    w.add("CanaryOrgPending", "an organization waiting for vetting", perm_view_org(pending))
    OrganizationMemberFactory(
        organization=pending, user=UserFactory(email="canarymailpendo@example.org"), role="admin"
    )

    rejected = OrganizationFactory(
        country=kenya,
        name="CanaryOrgRejected Lake Traders",
        slug="canaryorgrejected-lake-traders",
        description="CanaryOrgRejected was not verified.",
        status=OrganizationStatus.REJECTED,
    )
    w.add("CanaryOrgRejected", "a rejected organization", perm_view_org(rejected))
    OrganizationMemberFactory(
        organization=rejected,
        user=UserFactory(email="canarymailrejo@example.org"),
        role=MemberRole.ADMIN,
    )
    w.hidden_organizations = [hidden, pending, rejected]

    # The hidden organization leads a milestone, answers a consultation and assesses progress.
    own.milestone.lead_organizations.add(hidden)
    own.draft_milestone.lead_organizations.add(hidden)
    ConsultationInputFactory(
        consultation=own.consultation, organization=hidden, author=hidden_admin
    )
    ConsultationInputFactory(
        consultation=own.closed_consultation,
        organization=hidden,
        author=hidden_admin,
        text="CanaryInputClosed: shelters need a budget line.",
    )
    w.add(
        "CanaryInputClosed",
        "an input to a consultation without a public record",
        perm("consultations.view_consultation_summary", own.closed_consultation),
    )
    # Its public record names the organizations with a public profile, and no others.
    ConsultationInputFactory(
        consultation=own.public_consultation, organization=hidden, author=hidden_admin
    )
    AssessmentFactory(update=own.update, organization=hidden, author=hidden_admin)

    # --- A pseudonymous member, and other people's addresses ------------------------------
    heron = UserFactory(
        full_name="Canarylegal Wanjiru",
        display_name="PSEUDO-Heron",
        email="canarymailheron@example.org",
    )
    OrganizationMemberFactory(organization=organization, user=heron)
    CommentFactory(roadmap=own.adopted, milestone=own.milestone, author=heron)
    w.add(
        "Canarylegal",
        "the legal name behind a pseudonym",
        perm("stakeholders.view_legal_name", heron),
    )

    member = own.member.user
    member.email = "canarymailmira@example.org"
    member.save()

    # --- Events: attendees, venues, minutes, Chatham House --------------------------------
    event = own.event
    event.venue = "CanaryVenue Hall, Nairobi"
    event.online_link = "https://canaryonlinelink.example.org/room"
    event.minutes = "CanaryMinutesText: the referral mechanism was agreed."
    event.save()
    w.add("CanaryVenue", "a venue for registered people", perm("events.view_event_access", event))
    w.add(
        "canaryonlinelink",
        "an online link for registered people",
        perm("events.view_event_access", event),
    )
    w.add("CanaryMinutesText", "an event's minutes", perm("events.view_minutes", event))
    for person, org in ((hidden_admin, hidden), (heron, organization)):
        RegistrationFactory(
            event=event, user=person, organization=org, status=RegistrationStatus.ATTENDED
        )

    chatham = EventFactory(
        initiative=own.initiative,
        title="Closed dialogue on smuggling routes",
        visibility=EventVisibility.PUBLIC,
        chatham_house=True,
        status=EventStatus.HELD,
        starts_at=now - datetime.timedelta(days=5),
        ends_at=now - datetime.timedelta(days=5) + datetime.timedelta(hours=2),
        minutes="Routes were discussed under the Chatham House rule.",
    )
    otieno = UserFactory(full_name="Canarychatham Otieno", email="canarymailotieno@example.org")
    for person, org in ((otieno, None), (hidden_admin, hidden), (heron, organization)):
        RegistrationFactory(
            event=chatham, user=person, organization=org, status=RegistrationStatus.ATTENDED
        )
    for name in ("registered", "member"):
        RegistrationFactory(event=chatham, user=people[name], status=RegistrationStatus.ATTENDED)
    w.add(
        "Canarychatham",
        "a participant under the Chatham House rule",
        participant_of(otieno, [chatham]),
    )

    invitation_only = EventFactory(
        initiative=own.initiative,
        title="CanaryTitleInvited roundtable with survivors",
        visibility=EventVisibility.INVITATION,
    )
    RegistrationFactory(
        event=invitation_only, user=people["member"], status=RegistrationStatus.REGISTERED
    )
    w.add(
        "CanaryTitleInvited", "an invitation-only event", perm("events.view_event", invitation_only)
    )

    alliance_event = own.alliance_event
    alliance_event.title = "CanaryTitleAllianceMeeting of the alliance"
    alliance_event.save()
    w.add(
        "CanaryTitleAllianceMeeting",
        "an alliance meeting",
        perm("events.view_event", alliance_event),
    )
    w.hidden_events = [chatham, invitation_only, alliance_event]

    # --- Consultations and roadmaps -------------------------------------------------------
    consultation = own.consultation
    consultation.title = "CanaryTitleConsultation on shelter standards"
    consultation.audience = Audience.ALLIANCE
    consultation.save()
    w.add(
        "CanaryTitleConsultation",
        "an alliance-only consultation",
        perm("consultations.view_consultation", consultation),
    )
    closed = own.closed_consultation
    closed.title = "CanaryTitleClosed draft law review"
    closed.save()
    w.add(
        "CanaryTitleClosed",
        "a closed alliance consultation",
        perm("consultations.view_consultation", closed),
    )

    draft = own.draft
    draft.title = "CanaryTitleDraft roadmap, second version"
    draft.save()
    own.draft_priority.title = "CanaryTitleDraft priority on victim support"
    own.draft_priority.save()
    own.draft_milestone.title = "CanaryTitleDraft milestone: shelters funded"
    own.draft_milestone.save()
    w.add("CanaryTitleDraft", "a draft roadmap", perm("roadmaps.view_roadmap", draft))

    # --- Evidence -------------------------------------------------------------------------
    alliance_evidence = EvidenceFactory(
        update=own.update,
        kind=EvidenceKind.LINK,
        sensitivity=Sensitivity.ALLIANCE,
        title="CanaryEvidenceAlliance shelter inspection notes",
        url="https://canaryevidencelink.example.org/notes",
        file=None,
        original_name="",
        size=0,
        content_type="",
    )
    w.add(
        "CanaryEvidenceAlliance",
        "the title of alliance-only evidence",
        perm("roadmaps.view_evidence", alliance_evidence),
    )
    w.add(
        "canaryevidencelink",
        "the link of alliance-only evidence",
        perm("roadmaps.view_evidence", alliance_evidence),
    )
    csu_evidence = EvidenceFactory(
        update=own.update,
        sensitivity=Sensitivity.CSU_ONLY,
        title="CanaryEvidenceCsu witness statement",
        original_name="canaryevidencecsu-statement.pdf",
    )
    w.add("CanaryEvidenceCsu", "CSU-only evidence", perm("roadmaps.view_evidence", csu_evidence))

    # --- Working groups: their discussion, a closed group, Chatham House, moderation ----
    group = own.group
    thread = own.thread
    thread.title = "CanaryGroupThread border referrals"
    thread.context = "CanaryGroupContext: who refers a victim found at the border?"
    thread.save()
    w.add("CanaryGroupThread", "a working group's thread", perm("groups.view_discussion", group))
    w.add("CanaryGroupContext", "a thread's context", perm("groups.view_discussion", group))
    own.reply.body = "CanaryGroupReply: the shelters take them at any hour."
    own.reply.attachment_name = "canarygroupfile-shelters.pdf"
    own.reply.save()
    w.add(
        "canarygroupfile",
        "the name of a reply's file",
        perm("groups.view_discussion", group),
    )
    w.add("CanaryGroupReply", "a reply in a working group", perm("groups.view_discussion", group))
    # The hidden organization's admin speaks for it in the group.
    GroupMemberFactory(group=group, user=hidden_admin, side=Side.CIVIL_SOCIETY, organization=hidden)
    hidden_reply = ReplyFactory(
        thread=thread,
        author=hidden_admin,
        body="CanaryHiddenReply names a victim.",
        hidden_at=now,
        hidden_by=own.focal_role.user,
        hidden_reason="It names a victim.",
    )
    w.add(
        "CanaryHiddenReply",
        "a reply hidden by the moderation",
        any_of(
            perm("groups.moderate", group),
            lambda user: user.is_authenticated and user.pk == hidden_reply.author_id,
        ),
    )
    objection = own.group_objection
    objection.reason = "CanaryObjectionReason: adults are sent home."
    objection.save()
    w.add(
        "CanaryObjectionReason",
        "an objection in a working group",
        perm("groups.view_discussion", group),
    )
    own.proposal.question = "CanaryProposalQuestion: a 24-hour rule for referrals?"
    own.proposal.save()
    w.add(
        "CanaryProposalQuestion",
        "a working group's proposal",
        perm("groups.view_discussion", group),
    )
    closed_group = WorkingGroupFactory(
        initiative=own.initiative,
        title="CanaryGroupClosed referral group",
        purpose="CanaryGroupPurpose: the members-only group's purpose.",
        visibility=GroupVisibility.MEMBERS,
    )
    GroupMemberFactory(
        group=closed_group,
        user=people["member"],
        side=Side.CIVIL_SOCIETY,
        organization=organization,
    )
    w.add(
        "CanaryGroupClosed", "a members-only working group", perm("groups.view_group", closed_group)
    )
    w.add(
        "CanaryGroupPurpose",
        "a members-only group's purpose",
        perm("groups.view_group", closed_group),
    )
    chatham_group = WorkingGroupFactory(
        initiative=own.initiative,
        title="Dialogue on smuggling at sea",
        visibility=GroupVisibility.REGISTERED,
        chatham_house=True,  # facilitated by someone else: the focal point reads, unnamed
    )
    achieng = UserFactory(full_name="Canarygroupchatham Achieng")
    GroupMemberFactory(group=chatham_group, user=achieng, side=Side.GOVERNMENT)
    GroupMemberFactory(
        group=chatham_group,
        user=people["member"],
        side=Side.CIVIL_SOCIETY,
        organization=organization,
    )
    ReplyFactory(
        thread=ThreadFactory(group=chatham_group, author=achieng),
        author=achieng,
        body="The navy will not rescue without an order.",
    )
    # Those who run the group know its members; who wrote what, only those who take part.
    w.add(
        "Canarygroupchatham",
        "a member of a group under the Chatham House rule",
        any_of(
            perm("groups.view_contributors", chatham_group),
            perm("groups.manage_group", chatham_group),
        ),
    )
    former = UserFactory(full_name="Canaryformerchatham Baraka")
    GroupMemberFactory(
        group=chatham_group, user=former, side=Side.GOVERNMENT, status=MemberStatus.LEFT
    )
    ReplyFactory(
        thread=chatham_group.threads.get(),
        author=former,
        body="Rescue at sea needs a standing order.",
    )
    chatham_proposal = ProposalFactory(thread=chatham_group.threads.get())
    VoteFactory(
        proposal=chatham_proposal,
        user=former,
        side=Side.GOVERNMENT,
        position="objection",
        reason="The navy needs an order first.",
    )
    w.add(
        "Canaryformerchatham",
        "who wrote a reply under the Chatham House rule",
        perm("groups.view_contributors", chatham_group),
    )
    w.hidden_groups = [closed_group, chatham_group]

    # --- Addresses ------------------------------------------------------------------------
    invitation = own.invitation
    invitation.email = "canaryinvitee@example.org"
    invitation.save()
    w.add(
        "canaryinvitee",
        "the address an organization invited",
        perm("stakeholders.manage_organization_people", organization),
    )
    for person, token in (
        (hidden_admin, "canarymailhadiza"),
        (heron, "canarymailheron"),
        (member, "canarymailmira"),
        (otieno, "canarymailotieno"),
    ):
        w.add(token, f"the address of {person.public_name}", contact_of(person))
    for token in ("canarymailpendo", "canarymailrejo"):
        person = User.objects.get(email=f"{token}@example.org")
        w.add(token, "the address of a hidden organization's admin", contact_of(person))

    w.objects = {
        "hidden": hidden,
        "hidden_admin": hidden_admin,
        "pending": pending,
        "rejected": rejected,
        "heron": heron,
        "otieno": otieno,
        "chatham": chatham,
        "invitation_only": invitation_only,
        "alliance_evidence": alliance_evidence,
        "csu_evidence": csu_evidence,
    }
    _check_tokens(w.canaries)
    return w


def perm_view_org(organization: Any) -> Rule:
    return perm("stakeholders.view_organization", organization)


def _check_tokens(canaries: list[Canary]) -> None:
    """No token may be part of another: a leak must name the field it came from."""
    tokens = [c.token.casefold() for c in canaries]
    assert len(set(tokens)) == len(tokens), "two canaries share a token"
    for a, b in itertools.permutations(tokens, 2):
        assert a not in b, f"the canary {a!r} is part of {b!r}"
