"""A country's objects, one of each kind a route or a form can point to: the permission
matrix (tests/test_permission_matrix.py) and the fuzzing of forms (tests/test_fuzz.py) run
against the same scene."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from events.models import EventKind, EventVisibility, RegistrationStatus
from groups.models import GroupVisibility, MemberStatus, Side
from roadmaps.models import Endorsement, RoadmapStatus, Sensitivity
from stakeholders.models import Invitation, MemberRole, MembershipStatus, OrganizationStatus
from tests.consultations.factories import ConsultationFactory, ConsultationInputFactory
from tests.events.factories import ActionItemFactory, EventFactory, RegistrationFactory
from tests.groups.factories import (
    GroupMemberFactory,
    OutcomeFactory,
    ProposalFactory,
    ReplyFactory,
    ThreadFactory,
    VoteFactory,
    WorkingGroupFactory,
)
from tests.notifications.factories import NotificationFactory
from tests.roadmaps.factories import (
    PDF_BYTES,
    AdoptedRoadmapFactory,
    AssessmentFactory,
    CommentFactory,
    EvidenceFactory,
    MilestoneFactory,
    MilestoneUpdateFactory,
    PriorityFactory,
    RoadmapFactory,
)
from tests.stakeholders.factories import (
    AllianceFactory,
    AllianceMembershipFactory,
    OrganizationFactory,
    OrganizationMemberFactory,
    UserFactory,
)


@dataclass
class Scene:
    """A country's objects, one of each kind a route can point to."""

    code: str
    country: Any
    initiative: Any
    alliance: Any
    organization: Any  # verified, public, approved member of the alliance
    member: Any  # a plain member of ``organization``
    invitation: Any  # an open invitation of ``organization``
    pending_organization: Any  # waiting for vetting
    request: Any  # a membership request waiting for the coordinators
    membership: Any  # ``organization``'s approved membership
    coordinator: Any
    focal_role: Any  # the active focal point's role
    adopted: Any  # roadmap v1, adopted
    priority: Any
    milestone: Any
    update: Any
    evidence: Any
    assessment: Any
    comment: Any
    draft: Any  # roadmap v2, a draft revision
    draft_priority: Any
    draft_milestone: Any
    objection: Any  # the coordinator's objection on record, on the adopted roadmap
    consultation: Any  # open
    consultation_input: Any
    closed_consultation: Any  # past its deadline, with a document
    public_consultation: Any  # past its deadline, with a public record and an input
    notification: Any  # an email the portal wrote to the scene's organization admin
    event: Any  # the initiative's public event, upcoming
    application: Any  # a registration waiting for the organizers
    action_item: Any
    alliance_event: Any  # a meeting of the alliance, for its members
    group: Any  # a working group for registered people, run by the focal point
    group_member: Any  # ``member``'s active membership of it, for civil society
    group_request: Any  # a person of ``organization`` asking to join it
    thread: Any  # the focal point's thread in the group
    reply: Any  # the focal point's reply in the thread
    proposal: Any  # open, in the thread
    group_objection: Any  # ``member``'s objection to it
    closed_proposal: Any  # closed, with an outcome recorded and not yet published


def in_days(days: int) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=days)).replace(microsecond=0)


def build_scene(world, *, own: bool) -> Scene:
    country = world.kenya if own else world.pakistan
    initiative = world.kenya_initiative if own else world.pakistan_initiative
    if own:
        alliance, organization = world.kenya_alliance, world.organization
        coordinator = world["coordinator"]
        focal_role = world["focal_point"].initiative_roles.get()
        author = world["org_admin"]
    else:
        alliance = AllianceFactory(country=country)
        organization = AllianceMembershipFactory(alliance=alliance).organization
        author = UserFactory(full_name="Parveen Admin")
        OrganizationMemberFactory(organization=organization, user=author, role=MemberRole.ADMIN)
        coordinator = UserFactory(full_name="Pervez Coordinator")
        alliance.coordinators.add(coordinator)
        focal_role = world["other_focal_point"].initiative_roles.get()
    focal = focal_role.user
    member = OrganizationMemberFactory(organization=organization, user__full_name="Mira Member")
    invitation = Invitation.objects.create(
        organization=organization, email=f"invitee-{country.slug}@example.org", invited_by=author
    )
    request = AllianceMembershipFactory(
        alliance=alliance,
        status=MembershipStatus.REQUESTED,
        organization=OrganizationFactory(country=country),
    )
    adopted = AdoptedRoadmapFactory(initiative=initiative)
    priority = PriorityFactory(roadmap=adopted)
    milestone = MilestoneFactory(priority=priority)
    update = MilestoneUpdateFactory(milestone=milestone, author=focal)
    draft = RoadmapFactory(
        initiative=initiative, status=RoadmapStatus.DRAFT, version=2, revision_of=adopted
    )
    draft_priority = PriorityFactory(roadmap=draft)
    consultation = ConsultationFactory(initiative=initiative)
    closed = ConsultationFactory(
        initiative=initiative,
        deadline=in_days(-3),
        document=_pdf("draft-law.pdf"),
        document_name="draft-law.pdf",
        document_content_type="application/pdf",
    )
    event = EventFactory(initiative=initiative, visibility=EventVisibility.PUBLIC)
    RegistrationFactory(event=event, user=world["registered"])
    group = WorkingGroupFactory(
        initiative=initiative, facilitator=focal, visibility=GroupVisibility.REGISTERED
    )
    GroupMemberFactory(group=group, side=Side.GOVERNMENT, agency="Ministry of Interior")
    thread = ThreadFactory(group=group, author=focal)
    proposal = ProposalFactory(thread=thread)
    closed_proposal = ProposalFactory(
        thread=thread, closes_at=in_days(-1), closed_at=in_days(-1), result="passed"
    )
    OutcomeFactory(proposal=closed_proposal)
    return Scene(
        code=country.slug,
        country=country,
        initiative=initiative,
        alliance=alliance,
        organization=organization,
        member=member,
        invitation=invitation,
        pending_organization=OrganizationFactory(
            country=country, status=OrganizationStatus.PENDING
        ),
        request=request,
        membership=organization.alliance_memberships.get(status=MembershipStatus.APPROVED),
        coordinator=coordinator,
        focal_role=focal_role,
        adopted=adopted,
        priority=priority,
        milestone=milestone,
        update=update,
        evidence=EvidenceFactory(update=update, sensitivity=Sensitivity.PUBLIC),
        assessment=AssessmentFactory(update=update, author=author, organization=organization),
        comment=CommentFactory(roadmap=adopted, milestone=milestone, author=author),
        draft=draft,
        draft_priority=draft_priority,
        draft_milestone=MilestoneFactory(priority=draft_priority),
        objection=Endorsement.objects.create(
            roadmap=adopted, user=coordinator, objection=True, note="The budget line is missing."
        ),
        consultation=consultation,
        consultation_input=ConsultationInputFactory(
            consultation=consultation,
            organization=organization,
            author=author,
            attachment=_pdf("input.pdf"),
            attachment_name="input.pdf",
            attachment_content_type="application/pdf",
        ),
        closed_consultation=closed,
        notification=NotificationFactory(
            recipient=author,
            kind="membership_decision",
            subject="Your organization joined the alliance",
            body_text="Your organization is now a member of the alliance.",
        ),
        public_consultation=ConsultationInputFactory(
            consultation=ConsultationFactory(
                initiative=initiative, deadline=in_days(-2), public_record=True
            ),
            organization=organization,
            author=author,
            response="Taken into the second draft.",
            responded_by=focal,
            responded_at=in_days(-1),
        ).consultation,
        event=event,
        application=RegistrationFactory(
            event=event, status=RegistrationStatus.APPLIED, user__full_name="Ali Applicant"
        ),
        action_item=ActionItemFactory(event=event),
        alliance_event=EventFactory(
            initiative=None,
            alliance=alliance,
            kind=EventKind.ALLIANCE_MEETING,
            visibility=EventVisibility.ALLIANCE,
        ),
        group=group,
        group_member=GroupMemberFactory(
            group=group, user=member.user, side=Side.CIVIL_SOCIETY, organization=organization
        ),
        group_request=GroupMemberFactory(
            group=group,
            user=OrganizationMemberFactory(organization=organization).user,
            side=Side.CIVIL_SOCIETY,
            organization=organization,
            status=MemberStatus.REQUESTED,
        ),
        thread=thread,
        reply=ReplyFactory(
            thread=thread,
            author=focal,
            attachment=_pdf("shelters.pdf"),
            attachment_name="shelters.pdf",
            attachment_content_type="application/pdf",
        ),
        proposal=proposal,
        group_objection=VoteFactory(
            proposal=proposal,
            user=member.user,
            side=Side.CIVIL_SOCIETY,
            position="objection",
            reason="Adults are sent home.",
        ),
        closed_proposal=closed_proposal,
    )


def _pdf(name: str) -> ContentFile:
    return ContentFile(PDF_BYTES, name=name)
