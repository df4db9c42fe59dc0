"""Demo roadmaps for the four demo countries, for local use only.

Priorities follow what public sources say of each VPI (Mexico's joint workshop met in
thematic groups on trafficking in persons, smuggling of migrants, firearms and
environmental crime; Kenya's organizations fed inputs into a draft law on human
trafficking and migrant smuggling). Every person and organization is fictional and comes
from ``countries.demo`` and ``stakeholders.demo``, which must have run first. Progress
reports are written directly (with dates in the past) rather than through the services,
so that loading the demo sends no email.

``seed_roadmaps()`` is idempotent: a country whose initiative already has a roadmap is
left as it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from countries.models import Initiative
from stakeholders.models import Organization, Theme, User

from .models import (
    Assessment,
    Comment,
    Endorsement,
    Evidence,
    EvidenceKind,
    Instrument,
    Milestone,
    MilestoneStatus,
    MilestoneUpdate,
    Priority,
    ProposedBy,
    Roadmap,
    RoadmapStatus,
    Sensitivity,
    Verdict,
)

S = MilestoneStatus


@dataclass(frozen=True)
class DemoMilestone:
    title: str
    lead: str
    due_in_days: int  # from today; negative is in the past
    status: str = S.NOT_STARTED
    progress: int = 0
    # Days ago of each progress report, oldest first; the last one reaches status/progress.
    reports: tuple[int, ...] = ()


@dataclass(frozen=True)
class DemoPriority:
    title: str
    description: str
    themes: tuple[str, ...]
    instrument: str
    article: str
    proposed_by: str
    milestones: tuple[DemoMilestone, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DemoRoadmap:
    code: str
    title: str
    status: str
    adopted_days_ago: int | None
    reporter: str  # email of who reports progress
    priorities: tuple[DemoPriority, ...]


ROADMAPS = [
    DemoRoadmap(
        code="MX",
        title="Common roadmap of the Voluntary Pilot Initiative in Mexico",
        status=RoadmapStatus.ADOPTED,
        adopted_days_ago=900,
        reporter="csu@vpi.example",
        priorities=(
            DemoPriority(
                "Identify and protect victims of trafficking in persons",
                "Thematic group on trafficking in persons: shared indicators for identifying "
                "victims, and shelters run with civil society.",
                ("trafficking-in-persons", "victim-assistance"),
                Instrument.TRAFFICKING,
                "6",
                ProposedBy.JOINT,
                (
                    DemoMilestone(
                        "Agree on common victim identification indicators",
                        "Fiscalía Especializada and civil society working group",
                        -400,
                        S.COMPLETED,
                        100,
                        (600, 420),
                    ),
                    DemoMilestone(
                        "Train 300 first responders on the indicators",
                        "Instituto Nacional de Migración",
                        120,
                        S.IN_PROGRESS,
                        55,
                        (300, 40),
                    ),
                ),
            ),
            DemoPriority(
                "Protect the rights of smuggled migrants",
                "Thematic group on smuggling of migrants: humanitarian assistance is not "
                "criminalized and migrants are treated as witnesses, not offenders.",
                ("smuggling-of-migrants", "gender-and-human-rights"),
                Instrument.SMUGGLING,
                "16",
                ProposedBy.CIVIL_SOCIETY,
                (
                    DemoMilestone(
                        "Publish guidance on humanitarian assistance to migrants",
                        "Secretaría de Gobernación",
                        -60,
                        S.DELAYED,
                        30,
                        (200,),
                    ),
                    DemoMilestone(
                        "Open a hotline run with migrant support organizations",
                        "Red de Apoyo a Personas Migrantes",
                        200,
                    ),
                ),
            ),
            DemoPriority(
                "Reduce illicit trafficking in firearms",
                "Thematic group on firearms: marking, record-keeping and community "
                "awareness of the harm of illicit weapons.",
                ("firearms",),
                Instrument.FIREARMS,
                "7",
                ProposedBy.GOVERNMENT,
                (
                    DemoMilestone(
                        "Digitize the firearms record-keeping registry",
                        "Secretaría de la Defensa Nacional",
                        -30,
                        S.IN_PROGRESS,
                        70,
                        (400, 150),
                    ),
                ),
            ),
            DemoPriority(
                "Prevent and counter environmental crime",
                "Thematic group on environmental crime: illegal logging and wildlife "
                "trafficking linked to organized crime.",
                ("environmental-crime", "prevention"),
                Instrument.CONVENTION,
                "31",
                ProposedBy.JOINT,
                (
                    DemoMilestone(
                        "Joint monitoring of illegal logging with community observers",
                        "PROFEPA and local community organizations",
                        90,
                        S.CANCELLED,
                        10,
                        (500, 250),
                    ),
                    DemoMilestone(
                        "Map wildlife trafficking routes with researchers",
                        "Observatorio Ciudadano de Seguridad",
                        300,
                    ),
                ),
            ),
        ),
    ),
    DemoRoadmap(
        code="PK",
        title="Common roadmap of the Voluntary Pilot Initiative in Pakistan",
        status=RoadmapStatus.ADOPTED,
        adopted_days_ago=600,
        reporter="focal.pk@vpi.example",
        priorities=(
            DemoPriority(
                "Raise awareness of trafficking in persons and migrant smuggling",
                "Community awareness in the provinces most affected, with the alliance's "
                "member organizations.",
                ("trafficking-in-persons", "smuggling-of-migrants", "prevention"),
                Instrument.TRAFFICKING,
                "9",
                ProposedBy.CIVIL_SOCIETY,
                (
                    DemoMilestone(
                        "Awareness sessions in 20 districts",
                        "National Civil Society Alliance of Pakistan",
                        -20,
                        S.IN_PROGRESS,
                        80,
                        (300, 100),
                    ),
                    DemoMilestone(
                        "Radio campaign in four languages",
                        "Ministry of Information and alliance media members",
                        60,
                        S.COMPLETED,
                        100,
                        (250, 30),
                    ),
                ),
            ),
            DemoPriority(
                "Civil society input to the UNTOC review",
                "The alliance contributes to the country's self-assessment and the "
                "Constructive Dialogues.",
                ("research-and-data", "criminal-justice"),
                Instrument.CONVENTION,
                "32",
                ProposedBy.JOINT,
                (
                    DemoMilestone(
                        "Alliance comments on the self-assessment checklist",
                        "Ministry of Interior",
                        -120,
                        S.NOT_STARTED,
                    ),
                ),
            ),
        ),
    ),
    DemoRoadmap(
        code="KE",
        title="Common roadmap of the Voluntary Pilot Initiative in Kenya",
        status=RoadmapStatus.ADOPTED,
        adopted_days_ago=300,
        reporter="focal.ke@vpi.example",
        priorities=(
            DemoPriority(
                "A law on trafficking in persons and smuggling of migrants that protects victims",
                "Kenyan organizations feed grassroots inputs into the draft law.",
                ("trafficking-in-persons", "smuggling-of-migrants", "victim-assistance"),
                Instrument.TRAFFICKING,
                "5",
                ProposedBy.JOINT,
                (
                    DemoMilestone(
                        "Consult the alliance on the draft law",
                        "Office of the Attorney-General",
                        -100,
                        S.COMPLETED,
                        100,
                        (250, 120),
                    ),
                    DemoMilestone(
                        "Table the bill in Parliament",
                        "Office of the Attorney-General",
                        90,
                        S.IN_PROGRESS,
                        40,
                        (60,),
                    ),
                ),
            ),
            DemoPriority(
                "A national referral mechanism for victims",
                "Shelters, legal aid and psychosocial support run with civil society.",
                ("victim-assistance", "gender-and-human-rights"),
                Instrument.TRAFFICKING,
                "6",
                ProposedBy.CIVIL_SOCIETY,
                (
                    DemoMilestone(
                        "Standard operating procedures for referral",
                        "Counter-Trafficking in Persons Secretariat",
                        -15,
                        S.DELAYED,
                        20,
                        (150,),
                    ),
                    DemoMilestone(
                        "Open two shelters at the coast",
                        "Coast Anti-Trafficking Network",
                        240,
                    ),
                ),
            ),
            DemoPriority(
                "Fewer illicit firearms in border communities",
                "Marking of state-owned weapons and community awareness on the Firearms Protocol.",
                ("firearms", "prevention"),
                Instrument.FIREARMS,
                "8",
                ProposedBy.GOVERNMENT,
                (
                    DemoMilestone(
                        "Mark state-owned firearms",
                        "National Focal Point on Small Arms and Light Weapons",
                        180,
                        S.IN_PROGRESS,
                        35,
                        (200,),
                    ),
                ),
            ),
        ),
    ),
    DemoRoadmap(
        code="AO",
        title="Draft roadmap of the Voluntary Pilot Initiative in Angola",
        status=RoadmapStatus.CONSULTATION,
        adopted_days_ago=None,
        reporter="csu@vpi.example",
        priorities=(
            DemoPriority(
                "Strengthen the legal framework against trafficking in persons",
                "Proposed in the separate consultation with non-governmental stakeholders.",
                ("trafficking-in-persons",),
                Instrument.TRAFFICKING,
                "5",
                ProposedBy.CIVIL_SOCIETY,
                (DemoMilestone("Review of the penal code provisions", "Ministry of Justice", 365),),
            ),
            DemoPriority(
                "Civil society in the UNTOC review mechanism",
                "Proposed in the consultation with government institutions.",
                ("criminal-justice",),
                Instrument.CONVENTION,
                "32",
                ProposedBy.GOVERNMENT,
                (DemoMilestone("Joint workshop in thematic groups", "Ministry of Justice", 120),),
            ),
        ),
    ),
]


def demo_pdf(title: str) -> bytes:
    """A one-page PDF showing ``title``: the demo's evidence files."""
    text = title.encode("latin-1", "replace").replace(b"\\", b"\\\\")
    text = text.replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 14 Tf 72 720 Td (" + text + b") Tj 0 -24 Td (Demo evidence) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    size = len(objects) + 1
    out += f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def demo_user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _report_steps(milestone: DemoMilestone) -> list[tuple[str, int]]:
    """Status and progress after each report: evenly up to the milestone's final state."""
    steps = []
    count = len(milestone.reports)
    for index in range(count):
        if index == count - 1:
            steps.append((milestone.status, milestone.progress))
        else:
            progress = max(1, milestone.progress * (index + 1) // count)
            steps.append((S.IN_PROGRESS, min(progress, 99)))
    return steps


def _seed_roadmap(item: DemoRoadmap) -> Roadmap | None:
    initiative = Initiative.objects.open().filter(country__code=item.code).first()
    if initiative is None or Roadmap.objects.filter(initiative=initiative).exists():
        return None
    reporter = demo_user(item.reporter)
    adopted_at = ago(item.adopted_days_ago) if item.adopted_days_ago is not None else None
    roadmap = Roadmap.objects.create(
        initiative=initiative,
        title=item.title,
        status=item.status,
        version=1,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2027, 12, 31),
        consultation_opened_at=ago((item.adopted_days_ago or 20) + 60),
        adopted_on=timezone.localdate(adopted_at) if adopted_at else None,
        adopted_at=adopted_at,
        adopted_by=reporter if adopted_at else None,
        created_by=reporter,
    )
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    today = timezone.localdate()
    for order, demo_priority in enumerate(item.priorities, start=1):
        priority = Priority.objects.create(
            roadmap=roadmap,
            title=demo_priority.title,
            description=demo_priority.description,
            instrument=demo_priority.instrument,
            article=demo_priority.article,
            proposed_by=demo_priority.proposed_by,
            order=order,
        )
        priority.themes.set([themes[slug] for slug in demo_priority.themes if slug in themes])
        for position, demo in enumerate(demo_priority.milestones, start=1):
            # A lead that is one of the country's organizations is that organization, shown
            # to each reader as its visibility allows; an agency stays a name.
            leading = Organization.objects.filter(
                country=initiative.country, name=demo.lead
            ).first()
            milestone = Milestone.objects.create(
                priority=priority,
                title=demo.title,
                lead="" if leading else demo.lead,
                due_on=today + datetime.timedelta(days=demo.due_in_days),
                status=demo.status,
                progress=demo.progress,
                order=position,
            )
            if leading:
                milestone.lead_organizations.add(leading)
            before = (S.NOT_STARTED, 0)
            for days_ago, after in zip(demo.reports, _report_steps(demo), strict=True):
                update = MilestoneUpdate.objects.create(
                    milestone=milestone,
                    author=reporter,
                    created_at=ago(days_ago),
                    status_before=before[0],
                    progress_before=before[1],
                    status_after=after[0],
                    progress_after=after[1],
                    narrative=(
                        f"{milestone.lead or 'The lead'} reports: work on “{demo.title}” "
                        f"moved to {after[1]} %. "
                        "Details and next steps are in the attached report."
                    ),
                )
                evidence = Evidence(
                    update=update,
                    kind=EvidenceKind.DOCUMENT,
                    sensitivity=Sensitivity.PUBLIC,
                    title=f"Progress report: {demo.title}",
                    original_name="progress-report.pdf",
                    content_type="application/pdf",
                )
                data = demo_pdf(f"Progress report: {demo.title}")
                evidence.size = len(data)
                evidence.file.save("progress-report.pdf", ContentFile(data), save=False)
                evidence.save()
                Evidence.objects.create(
                    update=update,
                    kind=EvidenceKind.LINK,
                    sensitivity=Sensitivity.ALLIANCE,
                    title="Minutes of the working group (alliance only)",
                    url="https://example.org/demo/minutes",
                )
                before = after
    return roadmap


def demo_organization(slug: str) -> Organization | None:
    return Organization.objects.filter(slug=slug).first()


def _seed_kenya_dialogue(roadmap: Roadmap) -> None:
    """Assessments (with a dispute), comments with responses and a co-signature in Kenya,
    where the demo has an alliance with people in it."""
    focal = demo_user("focal.ke@vpi.example")
    orgadmin = demo_user("orgadmin@vpi.example")
    member = demo_user("member@vpi.example")
    coordinator = demo_user("coordinator@vpi.example")
    network = demo_organization("coast-anti-trafficking-network-ke")
    updates = list(
        MilestoneUpdate.objects.filter(milestone__priority__roadmap=roadmap).order_by("created_at")
    )
    if orgadmin and updates:
        for update in updates[:-1]:
            Assessment.objects.create(
                update=update,
                author=orgadmin,
                organization=network,
                verdict=Verdict.CONFIRMS,
                comment="We took part in this work and confirm the report.",
                created_at=update.created_at + datetime.timedelta(days=3),
            )
    delayed = next((u for u in updates if u.status_after == S.DELAYED), None)
    if member and delayed:
        Assessment.objects.create(
            update=delayed,
            author=member,
            organization=network,
            verdict=Verdict.DISPUTES,
            comment=(
                "The referral procedures have not been shared with shelters at the coast; "
                "20 % overstates what happened."
            ),
            created_at=delayed.created_at + datetime.timedelta(days=5),
            response=(
                "The draft procedures went to the county coordinators first; the shelters get "
                "them at the next alliance meeting."
            ),
            responded_by=focal,
            responded_at=delayed.created_at + datetime.timedelta(days=9),
        )
    elif coordinator and updates:
        Assessment.objects.create(
            update=updates[-1],
            author=coordinator,
            verdict=Verdict.DISPUTES,
            comment="The alliance has not seen the report this update refers to.",
            created_at=updates[-1].created_at + datetime.timedelta(days=2),
        )
    consulted = roadmap.consultation_opened_at or ago(360)
    priorities = list(roadmap.priorities.order_by("order"))
    for author, priority, body, response in [
        (
            orgadmin,
            None,
            "The roadmap should say how the alliance is consulted on each milestone.",
            "Added: each milestone update is open to the alliance's assessment.",
        ),
        (
            member,
            priorities[1] if len(priorities) > 1 else None,
            "Please include shelters at the coast in the referral mechanism.",
            "Agreed: a milestone for two shelters at the coast was added.",
        ),
    ]:
        if author is None:
            continue
        Comment.objects.create(
            roadmap=roadmap,
            priority=priority,
            author=author,
            body=body,
            created_at=consulted + datetime.timedelta(days=10),
            response=response,
            responded_by=focal,
            responded_at=consulted + datetime.timedelta(days=20),
        )
    if coordinator:
        Endorsement.objects.get_or_create(
            roadmap=roadmap,
            user=coordinator,
            defaults={"note": "Co-signed for the National Civil Society Alliance of Kenya."},
        )


def _seed_angola_consultation(roadmap: Roadmap) -> None:
    """Angola has no alliance: its draft is in consultation with the country's verified
    organizations until a deadline. One of them commented and was answered; CSU staff have
    still to co-sign for the non-governmental side before the focal point may adopt it."""
    roadmap.consultation_closes_on = timezone.localdate() + datetime.timedelta(days=10)
    roadmap.save(update_fields=["consultation_closes_on"])
    author, focal = demo_user("ngo.ao@vpi.example"), demo_user("focal.ao@vpi.example")
    if author is None or focal is None:
        return
    consulted = roadmap.consultation_opened_at or timezone.now()
    Comment.objects.create(
        roadmap=roadmap,
        priority=roadmap.priorities.order_by("order").first(),
        author=author,
        body="Name the shelters for victims and their budget in the first milestone.",
        created_at=consulted + datetime.timedelta(days=5),
        response="Milestone 1 now covers the shelters; the budget line follows in 2025.",
        responded_by=focal,
        responded_at=consulted + datetime.timedelta(days=9),
    )


@transaction.atomic
def seed_roadmaps() -> dict[str, int]:
    """Create the demo roadmaps where none exist. Running it again changes nothing."""
    created = [roadmap for item in ROADMAPS if (roadmap := _seed_roadmap(item)) is not None]
    for roadmap in created:
        if roadmap.initiative.country.code == "KE":
            _seed_kenya_dialogue(roadmap)
        if roadmap.initiative.country.code == "AO":
            _seed_angola_consultation(roadmap)
    return {
        "roadmaps": Roadmap.objects.count(),
        "milestones": Milestone.objects.count(),
        "updates": MilestoneUpdate.objects.count(),
    }
