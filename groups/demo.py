"""The demo's working groups: one in each demo country, with members from both sides and a
thread in which they disagree; in Kenya a proposal passed over an objection that the
facilitator answered, and its outcome is a milestone of the roadmap's revision. Runs after
``roadmaps.demo.seed_roadmaps``. The government
experts are people without a sign-in (no password): the demo accounts stay those listed on
the sign-in page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from countries.models import Initiative
from roadmaps.demo import ago, demo_organization, demo_user
from roadmaps.models import RoadmapStatus
from roadmaps.services import milestone_create, roadmap_start_revision
from stakeholders.models import Theme, User

from .models import (
    GroupMember,
    GroupVisibility,
    MemberStatus,
    Outcome,
    Position,
    Proposal,
    ProposalResult,
    Reply,
    Side,
    Thread,
    Vote,
    WorkingGroup,
)


@dataclass(frozen=True)
class DemoGroup:
    code: str
    title: str
    theme: str
    purpose: str
    facilitator: str
    experts: list[tuple[str, str, str]]  # email, name, agency
    civil_society: list[tuple[str, str]]  # email, organization slug
    thread: tuple[str, str]  # title, context
    replies: list[tuple[str, str]]  # author's email, text
    visibility: str = GroupVisibility.REGISTERED
    chatham_house: bool = False


GROUPS = [
    DemoGroup(
        code="KE",
        title="Referral of victims of trafficking",
        theme="trafficking-in-persons",
        purpose=(
            "Agree how a victim identified by the police, a labour inspector or an NGO is "
            "referred to shelter, health care and legal aid within a day, and who pays."
        ),
        facilitator="focal.ke@vpi.example",
        experts=[
            ("expert.dci.ke@vpi.example", "Grace Wambui", "Directorate of Criminal Investigations"),
            ("expert.labour.ke@vpi.example", "Peter Otieno", "State Department for Labour"),
        ],
        civil_society=[
            ("orgadmin@vpi.example", "coast-anti-trafficking-network-ke"),
            ("member@vpi.example", "coast-anti-trafficking-network-ke"),
        ],
        thread=(
            "Who refers a victim found at the border?",
            "Border officers find victims but refer no one: the draft procedure says the "
            "police refer to the county children's officer. Is that enough?",
        ),
        replies=[
            (
                "expert.dci.ke@vpi.example",
                "The DCI refers every case to the county children's officer within 48 hours. "
                "Adults are referred to the nearest shelter when there is one.",
            ),
            (
                "orgadmin@vpi.example",
                "We disagree: the shelters on the coast receive referrals weeks late, and "
                "adults are often sent home. We ask for a 24-hour rule for every victim, with "
                "the shelter network told at once.",
            ),
            (
                "expert.labour.ke@vpi.example",
                "Labour inspectors can notify the shelter network directly; the budget for "
                "transport is the open question.",
            ),
        ],
    ),
    DemoGroup(
        code="PK",
        title="Protection of smuggled migrants at sea and at the border",
        theme="smuggling-of-migrants",
        purpose="Agree what happens to smuggled migrants intercepted at sea or at the border.",
        facilitator="focal.pk@vpi.example",
        experts=[("expert.fia.pk@vpi.example", "Ayesha Khan", "Federal Investigation Agency")],
        civil_society=[],
        thread=(
            "Screening after interception",
            "Who screens intercepted migrants for protection needs, and where?",
        ),
        replies=[
            (
                "expert.fia.pk@vpi.example",
                "The FIA screens at the port; we would welcome NGOs at the screening.",
            )
        ],
        chatham_house=True,
    ),
    DemoGroup(
        code="AO",
        title="Marcação e registo de armas de fogo",
        theme="firearms",
        purpose="Acordar uma norma de marcação e um registo nacional das armas de fogo.",
        facilitator="focal.ao@vpi.example",
        experts=[("expert.pn.ao@vpi.example", "João Baptista", "Polícia Nacional")],
        civil_society=[("ngo.ao@vpi.example", "rede-angolana-contra-o-trafico-ao")],
        thread=(
            "Quem mantém o registo?",
            "A polícia propõe manter o registo; a sociedade civil pede acesso aos dados.",
        ),
        replies=[
            (
                "expert.pn.ao@vpi.example",
                "O registo fica na Polícia Nacional, com relatórios anuais públicos.",
            ),
            (
                "ngo.ao@vpi.example",
                "Relatórios anuais não bastam: pedimos dados por província, todos os trimestres.",
            ),
        ],
    ),
    DemoGroup(
        code="MX",
        title="Trata de personas y desaparición: coordinación con las familias",
        theme="trafficking-in-persons",
        purpose="Acordar cómo las fiscalías informan a las familias de personas desaparecidas.",
        facilitator="csu@vpi.example",
        experts=[
            ("expert.fgr.mx@vpi.example", "Lucía Hernández", "Fiscalía General de la República")
        ],
        civil_society=[],
        thread=(
            "Información a las familias",
            "¿Cada cuánto y por qué medio se informa a las familias del avance de un caso?",
        ),
        replies=[
            (
                "expert.fgr.mx@vpi.example",
                "Proponemos un informe mensual por escrito y una reunión trimestral.",
            )
        ],
        visibility=GroupVisibility.PUBLIC,
    ),
]


def _expert(email: str, name: str) -> User:
    person = User.objects.filter(email=email).first()
    if person is None:
        person = User(email=email, full_name=name)
        person.set_unusable_password()
        person.save()
    return person


@transaction.atomic
def seed_groups() -> dict[str, int]:
    """Create each demo country's group where it has none. Running it again changes nothing."""
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    for demo in GROUPS:
        initiative = Initiative.objects.open().filter(country__code=demo.code).first()
        facilitator = demo_user(demo.facilitator)
        if initiative is None or facilitator is None or initiative.working_groups.exists():
            continue
        group = WorkingGroup.objects.create(
            initiative=initiative,
            title=demo.title,
            theme=themes.get(demo.theme),
            purpose=demo.purpose,
            facilitator=facilitator,
            visibility=demo.visibility,
            chatham_house=demo.chatham_house,
            created_by=facilitator,
            created_at=ago(60),
        )
        people = {}
        for email, name, agency in demo.experts:
            people[email] = _expert(email, name)
            GroupMember.objects.create(
                group=group,
                user=people[email],
                side=Side.GOVERNMENT,
                agency=agency,
                status=MemberStatus.ACTIVE,
                added_by=facilitator,
                decided_by=facilitator,
                decided_at=ago(59),
            )
        for email, slug in demo.civil_society:
            person, organization = demo_user(email), demo_organization(slug)
            if person is None or organization is None:
                continue
            people[email] = person
            GroupMember.objects.create(
                group=group,
                user=person,
                side=Side.CIVIL_SOCIETY,
                organization=organization,
                status=MemberStatus.ACTIVE,
                added_by=person,
                decided_by=facilitator,
                decided_at=ago(55),
            )
        title, context = demo.thread
        thread = Thread.objects.create(
            group=group, title=title, context=context, author=facilitator, created_at=ago(30)
        )
        for days, (email, text) in enumerate(demo.replies):
            author = people.get(email) or demo_user(email)
            Reply.objects.create(
                thread=thread, author=author, body=text, created_at=ago(29 - 3 * days)
            )
        thread.last_activity_at = ago(29 - 3 * (len(demo.replies) - 1))
        thread.save(update_fields=["last_activity_at"])
        if demo.code == "KE":
            _kenya_decision(group, thread, people, facilitator)
    return {"working_groups": WorkingGroup.objects.count()}


def _kenya_decision(group: WorkingGroup, thread: Thread, people: dict, facilitator: User) -> None:
    """Kenya's proposal: passed over the labour department's objection, which the
    facilitator answered; its outcome is a milestone of the roadmap's revision."""
    proposal = Proposal.objects.create(
        thread=thread,
        question=(
            "Every identified victim, adult or child, is referred to a shelter within 24 hours "
            "of being identified."
        ),
        closes_at=ago(12),
        created_by=facilitator,
        created_at=ago(20),
        closed_at=ago(12),
        result=ProposalResult.PASSED,
    )
    objection = (
        "The labour department has no transport budget for a 24-hour rule in the remote "
        "counties: the rule would be broken from the first week."
    )
    for email, position, reason in [
        ("expert.dci.ke@vpi.example", Position.CONSENT, ""),
        ("expert.labour.ke@vpi.example", Position.OBJECTION, objection),
        ("orgadmin@vpi.example", Position.CONSENT, ""),
        ("member@vpi.example", Position.CONSENT, ""),
    ]:
        person = people.get(email)
        if person is None:
            continue
        vote = Vote(
            proposal=proposal,
            user=person,
            side=GroupMember.objects.get(group=group, user=person).side,
            position=position,
            reason=reason,
            created_at=ago(15),
        )
        if position == Position.OBJECTION:
            vote.response = (
                "The county governments fund the transport from the next financial year; "
                "until then the coast shelter network collects victims, and the DCI pays "
                "its fuel."
            )
            vote.responded_by, vote.responded_at = facilitator, ago(11)
        vote.save()
    outcome = Outcome.objects.create(
        proposal=proposal,
        decision="Refer every identified victim to a shelter within 24 hours",
        reasons=(
            "Three of four members consented. The labour department's objection on transport "
            "is answered: the counties fund it from the next financial year, the shelter "
            "network bridges the gap."
        ),
        recorded_by=facilitator,
        recorded_at=ago(10),
        published_at=ago(10),
    )
    adopted = group.initiative.roadmaps.filter(status=RoadmapStatus.ADOPTED).first()
    if adopted is None:
        return
    revision = roadmap_start_revision(roadmap=adopted, actor=facilitator)
    priority = revision.priorities.order_by("order", "pk").first()
    if priority is not None:
        outcome.milestone = milestone_create(
            priority=priority,
            actor=facilitator,
            title=outcome.decision,
            description="Decided in the working group “Referral of victims of trafficking”.",
        )
        outcome.save(update_fields=["milestone"])
