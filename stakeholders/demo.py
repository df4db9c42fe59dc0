"""Demo people, alliances and organizations in the four VPI countries, for local use only.

Every person and organization here is fictional. The passwords are documented in the
README and must never exist on a server that others can reach: ``seed_demo`` refuses to
run with DEBUG off unless told otherwise. Run after ``countries.demo.seed_countries``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from countries.demo import upsert
from countries.models import Country, Initiative

from .models import (
    Alliance,
    AllianceMembership,
    InitiativeRole,
    MemberListVisibility,
    MemberRole,
    MembershipStatus,
    Organization,
    OrganizationKind,
    OrganizationMember,
    OrganizationStatus,
    OrganizationVisibility,
    ParticipationDeclaration,
    RoleKind,
    Theme,
    User,
)

DEMO_PASSWORD = "vpi-demo-2026"  # noqa: S105 (documented, local-only)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str
    is_staff: bool = False


ACCOUNTS = [
    DemoAccount("csu@vpi.example", "Demo CSU Officer", "CSU staff", is_staff=True),
    DemoAccount("person@vpi.example", "Demo Registered Person", "Registered person"),
    DemoAccount("orgadmin@vpi.example", "Demo Organization Admin", "Organization admin (Kenya)"),
    DemoAccount(
        "coordinator@vpi.example", "Demo Alliance Coordinator", "Alliance coordinator (Kenya)"
    ),
    DemoAccount("focal.ke@vpi.example", "Demo Focal Point Kenya", "Government focal point (Kenya)"),
    DemoAccount(
        "focal.pk@vpi.example", "Demo Focal Point Pakistan", "Government focal point (Pakistan)"
    ),
    DemoAccount(
        "member@vpi.example", "Demo Alliance Member", "Member of a Kenyan alliance organization"
    ),
    DemoAccount(
        "focal.ao@vpi.example", "Demo Focal Point Angola", "Government focal point (Angola)"
    ),
    DemoAccount(
        "ngo.ao@vpi.example",
        "Demo Angolan NGO Member",
        "Member of a verified Angolan organization (Angola has no alliance)",
    ),
]


@dataclass(frozen=True)
class DemoOrganization:
    slug: str
    name: str
    acronym: str
    kind: str
    country: str
    city: str
    status: str
    visibility: str
    themes: tuple[str, ...]
    membership: str | None = None  # status of its request to the country's alliance
    reason: str = ""


V, P, R, A = (
    OrganizationStatus.VERIFIED,
    OrganizationVisibility.PUBLIC,
    OrganizationVisibility.REGISTERED,
    OrganizationVisibility.ALLIANCE,
)
MS = MembershipStatus

# Fictional organizations: every state of vetting, visibility and alliance membership, so that
# each page has something to show to each demo account.
ORGANIZATIONS = [
    DemoOrganization(
        "coast-anti-trafficking-network-ke",
        "Coast Anti-Trafficking Network",
        "CATN",
        OrganizationKind.NGO,
        "KE",
        "Mombasa",
        V,
        P,
        ("trafficking-in-persons", "victim-assistance"),
        MS.APPROVED,
    ),
    DemoOrganization(
        "nairobi-centre-for-crime-research-ke",
        "Nairobi Centre for Crime Research",
        "NCCR",
        OrganizationKind.ACADEMIA,
        "KE",
        "Nairobi",
        V,
        R,
        ("research-and-data", "criminal-justice"),
        MS.APPROVED,
    ),
    DemoOrganization(
        "safe-passage-community-group-ke",
        "Safe Passage Community Group",
        "SPCG",
        OrganizationKind.COMMUNITY_BASED,
        "KE",
        "Garissa",
        V,
        A,
        ("smuggling-of-migrants", "victim-assistance"),
        MS.APPROVED,
    ),
    DemoOrganization(
        "kenya-financial-integrity-forum-ke",
        "Kenya Financial Integrity Forum",
        "KFIF",
        OrganizationKind.PRIVATE_SECTOR,
        "KE",
        "Nairobi",
        V,
        P,
        ("money-laundering", "corruption"),
        MS.REQUESTED,
    ),
    DemoOrganization(
        "highlands-faith-outreach-ke",
        "Highlands Faith Outreach",
        "HFO",
        OrganizationKind.FAITH_BASED,
        "KE",
        "Nyeri",
        V,
        P,
        ("prevention",),
        MS.DECLINED,
    ),
    DemoOrganization(
        "lakeside-youth-against-firearms-ke",
        "Lakeside Youth Against Firearms",
        "LYAF",
        OrganizationKind.COMMUNITY_BASED,
        "KE",
        "Kisumu",
        OrganizationStatus.PENDING,
        R,
        ("firearms", "prevention"),
    ),
    DemoOrganization(
        "riverside-media-collective-ke",
        "Riverside Media Collective",
        "RMC",
        OrganizationKind.MEDIA,
        "KE",
        "Kisumu",
        OrganizationStatus.MORE_INFO,
        P,
        ("research-and-data",),
        reason="Please describe your work on organized crime and add a website.",
    ),
    DemoOrganization(
        "quick-results-consulting-ke",
        "Quick Results Consulting",
        "",
        OrganizationKind.PRIVATE_SECTOR,
        "KE",
        "Nairobi",
        OrganizationStatus.REJECTED,
        P,
        (),
        reason="A commercial consultancy without activities on organized crime.",
    ),
    DemoOrganization(
        "observatorio-ciudadano-de-seguridad-mx",
        "Observatorio Ciudadano de Seguridad",
        "OCS",
        OrganizationKind.NGO,
        "MX",
        "Ciudad de México",
        V,
        P,
        ("firearms", "research-and-data"),
        MS.APPROVED,
    ),
    DemoOrganization(
        "red-de-apoyo-a-personas-migrantes-mx",
        "Red de Apoyo a Personas Migrantes",
        "RAPM",
        OrganizationKind.NGO,
        "MX",
        "Tapachula",
        V,
        A,
        ("smuggling-of-migrants", "trafficking-in-persons"),
        MS.APPROVED,
    ),
    DemoOrganization(
        "colectivo-ambiental-del-sureste-mx",
        "Colectivo Ambiental del Sureste",
        "CAS",
        OrganizationKind.COMMUNITY_BASED,
        "MX",
        "Mérida",
        OrganizationStatus.SUSPENDED,
        P,
        ("environmental-crime",),
        MS.REMOVED,
        reason="Suspended while a complaint is reviewed.",
    ),
    DemoOrganization(
        "rede-angolana-contra-o-trafico-ao",
        "Rede Angolana contra o Tráfico",
        "RACT",
        OrganizationKind.NGO,
        "AO",
        "Luanda",
        V,
        P,
        ("trafficking-in-persons",),
    ),
    DemoOrganization(
        "centro-de-estudos-juridicos-ao",
        "Centro de Estudos Jurídicos",
        "CEJ",
        OrganizationKind.ACADEMIA,
        "AO",
        "Benguela",
        OrganizationStatus.PENDING,
        R,
        ("criminal-justice",),
    ),
]

# Pakistan's alliance has about 50 member organizations: generated, fictional names.
PK_CITIES = ["Lahore", "Karachi", "Islamabad", "Peshawar", "Quetta", "Multan", "Faisalabad"]
PK_FOCUS = [
    ("Anti-Trafficking Forum", OrganizationKind.NGO, "trafficking-in-persons"),
    ("Migrant Rights Centre", OrganizationKind.NGO, "smuggling-of-migrants"),
    ("Law Faculty Research Unit", OrganizationKind.ACADEMIA, "criminal-justice"),
    ("Community Safety Network", OrganizationKind.COMMUNITY_BASED, "prevention"),
    ("Business Integrity Council", OrganizationKind.PRIVATE_SECTOR, "corruption"),
    ("Bar Association Committee", OrganizationKind.PROFESSIONAL_ASSOCIATION, "criminal-justice"),
    ("Women's Protection Society", OrganizationKind.NGO, "gender-and-human-rights"),
]
for city in PK_CITIES:
    for focus, kind, theme in PK_FOCUS:
        ORGANIZATIONS.append(
            DemoOrganization(
                f"{city.lower()}-{focus.lower().replace(chr(39), '').replace(' ', '-')}-pk",
                f"{city} {focus}",
                "",
                kind,
                "PK",
                city,
                V,
                P if kind != OrganizationKind.COMMUNITY_BASED else R,
                (theme,),
                MS.APPROVED,
            )
        )

ALLIANCES = {
    "KE": (
        "National Civil Society Alliance of Kenya",
        datetime.date(2023, 11, 1),
        MemberListVisibility.REGISTERED,
    ),
    "PK": (
        "National Civil Society Alliance of Pakistan",
        datetime.date(2023, 3, 1),
        MemberListVisibility.PUBLIC,
    ),
    "MX": (
        "Alianza Nacional de la Sociedad Civil de México",
        datetime.date(2022, 10, 1),
        MemberListVisibility.MEMBERS,
    ),
}


@transaction.atomic
def seed_stakeholders() -> dict[str, int]:
    """Create or update the demo accounts, alliances, organizations and roles. Running it
    again changes nothing."""
    for account in ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=account.email,
            defaults={
                "full_name": account.full_name,
                "is_staff": account.is_staff,
                "is_superuser": account.is_staff,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        upsert(
            EmailAddress,
            {"user": user, "email": account.email},
            {"verified": True, "primary": True},
        )
    _seed_organizations()
    _seed_participation()
    return {"accounts": len(ACCOUNTS), "organizations": Organization.objects.count()}


# The initiatives' own counts of who takes part, from their reports (demo figures).
PARTICIPATION = {
    "PK": (65, 35, datetime.date(2024, 5, 20), "List of participants, national workshop"),
    "KE": (28, 41, datetime.date(2024, 11, 12), "Attendance of the joint dialogue, Nairobi"),
    "MX": (40, 60, datetime.date(2023, 9, 5), "Report of the joint workshop"),
}


def _seed_participation() -> None:
    staff = User.objects.get(email="csu@vpi.example")
    for code, (experts, organizations, as_of, source) in PARTICIPATION.items():
        initiative = Initiative.objects.filter(country__code=code).order_by("-created_at").first()
        if initiative is None or initiative.participation_declarations.exists():
            continue
        ParticipationDeclaration.objects.create(
            initiative=initiative,
            government_experts=experts,
            organizations=organizations,
            as_of=as_of,
            source=source,
            declared_by=staff,
        )


def _seed_organizations() -> None:
    staff = User.objects.get(email="csu@vpi.example")
    countries = {country.code.code: country for country in Country.objects.all()}
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    decided_at = datetime.datetime(2024, 1, 15, 9, 0, tzinfo=datetime.UTC)

    alliances = {}
    for code, (name, founded_on, list_visibility) in ALLIANCES.items():
        alliances[code] = upsert(
            Alliance,
            {"country": countries[code]},
            {
                "name": name,
                "founded_on": founded_on,
                "member_list_visibility": list_visibility,
                "description": (
                    "The National Civil Society Alliance unites the organizations working on "
                    "organized crime in the country, follows up the roadmap with the government "
                    "focal points and takes part in the Constructive Dialogues."
                ),
            },
        )
    alliances["KE"].coordinators.add(User.objects.get(email="coordinator@vpi.example"))

    organizations = {}
    for item in ORGANIZATIONS:
        organization = upsert(
            Organization,
            {"slug": item.slug},
            {
                "name": item.name,
                "acronym": item.acronym,
                "kind": item.kind,
                "country": countries[item.country],
                "city": item.city,
                "website": f"https://{item.slug}.example.org",
                "description": (
                    f"{item.name} is a fictional organization of the VPI Portal's demo data. It "
                    f"works in {item.city} on the themes listed on this page."
                ),
                "contact_email": f"contact@{item.slug}.example.org",
                "status": item.status,
                "visibility": item.visibility,
                "status_reason": item.reason,
                "status_changed_by": staff if item.status != OrganizationStatus.PENDING else None,
                "status_changed_at": decided_at
                if item.status != OrganizationStatus.PENDING
                else None,
            },
        )
        organization.themes.set([themes[slug] for slug in item.themes])
        organizations[item.slug] = organization
        if item.membership and item.country in alliances:
            decided = item.membership != MembershipStatus.REQUESTED
            upsert(
                AllianceMembership,
                {"alliance": alliances[item.country], "organization": organization},
                {
                    "status": item.membership,
                    "motivation": (
                        "We want to work with the government and other organizations on the "
                        "roadmap."
                    ),
                    "decided_by": staff if decided else None,
                    "decided_at": decided_at if decided else None,
                    "decision_note": (
                        "Please first show activities on organized crime."
                        if item.membership == MembershipStatus.DECLINED
                        else "Removed while the organization is suspended."
                        if item.membership == MembershipStatus.REMOVED
                        else ""
                    ),
                },
            )

    people = {
        "orgadmin@vpi.example": ("coast-anti-trafficking-network-ke", MemberRole.ADMIN),
        "member@vpi.example": ("coast-anti-trafficking-network-ke", MemberRole.MEMBER),
        "ngo.ao@vpi.example": ("rede-angolana-contra-o-trafico-ao", MemberRole.ADMIN),
    }
    for email, (slug, role) in people.items():
        upsert(
            OrganizationMember,
            {"user": User.objects.get(email=email), "organization": organizations[slug]},
            {"role": role},
        )
    # The admin also runs a pending organization and one that must add information.
    for slug in (
        "lakeside-youth-against-firearms-ke",
        "riverside-media-collective-ke",
        "kenya-financial-integrity-forum-ke",
    ):
        upsert(
            OrganizationMember,
            {
                "user": User.objects.get(email="orgadmin@vpi.example"),
                "organization": organizations[slug],
            },
            {"role": MemberRole.ADMIN},
        )

    roles = [
        (
            "focal.ke@vpi.example",
            "KE",
            RoleKind.FOCAL_POINT,
            "Office of the Attorney-General and Department of Justice",
            "Senior State Counsel",
            True,
        ),
        (
            "focal.pk@vpi.example",
            "PK",
            RoleKind.FOCAL_POINT,
            "Ministry of Interior",
            "Deputy Secretary",
            False,
        ),
        (
            "focal.ao@vpi.example",
            "AO",
            RoleKind.FOCAL_POINT,
            "Ministry of Justice and Human Rights",
            "National Director for Human Rights",
            True,
        ),
        (
            "csu@vpi.example",
            "KE",
            RoleKind.CSU_OFFICER,
            "UNODC Civil Society Unit",
            "Programme Officer",
            True,
        ),
    ]
    for email, code, role, agency, job_title, shown in roles:
        initiative = Initiative.objects.open().get(country=countries[code])
        upsert(
            InitiativeRole,
            {
                "user": User.objects.get(email=email),
                "initiative": initiative,
                "role": role,
                "active_until": None,
            },
            {
                "agency": agency,
                "job_title": job_title,
                "shown_publicly": shown,
                "active_from": datetime.date(2023, 6, 1),
                "assigned_by": staff,
            },
        )
