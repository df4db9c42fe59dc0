"""A large synthetic dataset for performance work: every UN member state with an initiative,
tens of thousands of organizations and people, and years of progress reports and events.

Everything here is invented and says so: initiatives are titled "(synthetic)", people have
addresses under ``SCALE_DOMAIN`` (a reserved .example name, so no email can reach anyone)
and one unusable password. The same seed gives the same rows; dates are placed relative to
the hour the dataset is built, so that upcoming events stay upcoming and the last week
holds news for digests.

Rows are written with explicit primary keys in a handful of streams: PostgreSQL's COPY when
the database is PostgreSQL (the full dataset takes about two minutes), ``bulk_create``
elsewhere. The dataset is built once: a second run refuses, so that it never collides with
itself.
"""

from __future__ import annotations

import datetime
import json
import math
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django_countries import countries as country_names
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

from audit.models import AuditEntry
from consultations.models import Audience, Consultation, ConsultationStatus
from countries.models import (
    Country,
    Initiative,
    InitiativeStatus,
    UNRegionalGroup,
    Visibility,
)
from events.models import (
    AgendaItem,
    Event,
    EventFormat,
    EventKind,
    EventStatus,
    EventVisibility,
    Registration,
    RegistrationStatus,
    WorkingGroupTopic,
)
from groups.models import GroupMember, GroupVisibility, Reply, Side, Thread, WorkingGroup
from notifications.models import DigestFrequency, Preferences
from roadmaps.models import (
    Assessment,
    Comment,
    Milestone,
    MilestoneStatus,
    MilestoneUpdate,
    Priority,
    ProposedBy,
    Roadmap,
    RoadmapStatus,
    Verdict,
)
from stakeholders.models import (
    Alliance,
    AllianceMembership,
    InitiativeRole,
    Language,
    MemberListVisibility,
    MemberRole,
    MembershipStatus,
    Organization,
    OrganizationKind,
    OrganizationMember,
    OrganizationStatus,
    OrganizationVisibility,
    RoleKind,
    Theme,
    User,
)

SCALE_DOMAIN = "scale.vpi.example"
DEFAULT_SEED = 2026
UN_MEMBER_STATES = 193

# The full-size dataset (factor 1). Every count is multiplied by the factor.
COUNTS = {
    "countries": UN_MEMBER_STATES,
    "organizations": 20_000,
    "people": 100_000,
    "alliance_memberships": 40_000,
    "milestones": 50_000,
    "updates": 500_000,
    "events": 20_000,
    "registrations": 300_000,
    # Beyond the list, so that every page has something to show at scale.
    "assessments": 50_000,
    "comments": 10_000,
    "agenda_items": 40_000,
    "audit_entries": 50_000,
}
STAFF_PEOPLE = 5
MILESTONES_PER_PRIORITY = 8
HISTORY_DAYS = 3 * 365  # progress reports and past events reach this far back
FUTURE_DAYS = 365  # events are scheduled this far ahead
BATCH = 5000


class AlreadyLoaded(Exception):
    """The dataset exists in this database already."""


# --- Writing rows fast -----------------------------------------------------------------------


def _batches(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def with_default_translations(
    model: type[models.Model], columns: list[str], rows: Iterable[tuple]
) -> tuple[list[str], Iterable[tuple]]:
    """COPY writes columns as named. A translated field (``title``) is read from its
    default-language column (``title_en``), which the ORM fills on save: fill it here too,
    with the same text, or pages and digests would show empty titles."""
    try:
        translated = translator.get_options_for_model(model).fields
    except NotRegistered:
        return columns, rows
    positions = [index for index, name in enumerate(columns) if name in translated]
    if not positions:
        return columns, rows
    language = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    extra = [build_localized_fieldname(columns[index], language) for index in positions]
    return [*columns, *extra], ((*row, *(row[index] for index in positions)) for row in rows)


def insert_rows(model: type[models.Model], columns: list[str], rows: Iterable[tuple]) -> int:
    """Write rows (tuples in the order of ``columns``, attribute names such as
    ``country_id``) straight to the model's table. COPY on PostgreSQL, bulk_create on SQLite.
    Returns the number of rows written."""
    count = 0
    if connection.vendor == "postgresql":
        columns, rows = with_default_translations(model, columns, rows)
        fields = [model._meta.get_field(name) for name in columns]
        json_columns = {index for index, f in enumerate(fields) if isinstance(f, models.JSONField)}
        quote = connection.ops.quote_name
        sql = (
            f"COPY {quote(model._meta.db_table)} "
            f"({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
        )
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                if json_columns:
                    row = tuple(
                        json.dumps(value) if index in json_columns else value
                        for index, value in enumerate(row)
                    )
                copy.write_row(row)
                count += 1
        return count
    for batch in _batches(rows, BATCH):
        model.objects.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in batch], batch_size=500
        )
        count += len(batch)
    return count


def next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def reset_sequences(models_written: list[type[models.Model]]) -> None:
    """Explicit primary keys leave PostgreSQL's sequences behind: move them past the rows."""
    statements = connection.ops.sequence_reset_sql(no_style(), models_written)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


# --- Made-up words ---------------------------------------------------------------------------

FIRST_NAMES = (  # noqa: SIM905 (a list of words reads best as words)
    "Amina Ana Aziz Beatriz Carlos Chen Daniel Dina Elena Emeka Farah Fatou Gabriel Hana "
    "Hugo Ibrahim Ines Jamal Jana Joao Karim Kofi Lara Leila Luis Maria Mei Mohamed Nadia "
    "Nikolai Noor Omar Paula Priya Rafael Rania Samuel Sara Sofia Tariq Thandiwe Tomas Umar "
    "Valentina Wanjiru Xavier Yasmin Yusuf Zainab Zhou"
).split()
LAST_NAMES = (  # noqa: SIM905 (a list of words reads best as words)
    "Abubakar Alvarez Ahmed Banda Barbosa Chowdhury Costa Dlamini Diallo Dubois Fernandes "
    "Garcia Haddad Hassan Ivanova Jimenez Kamau Khan Kowalski Lopez Mahmoud Martin Mensah "
    "Moreau Mwangi Nguyen Novak Okafor Oliveira Ortiz Pereira Petrov Qureshi Rahman Rossi "
    "Santos Silva Singh Sokolov Tanaka Torres Traore Usman Vargas Wang Yilmaz Zapata Zulu"
).split()
PSEUDONYMS = (  # noqa: SIM905 (a list of words reads best as words)
    "Falcon Harbor Lantern Meridian River Sentinel Willow Compass Beacon Atlas"
).split()
TIME_ZONES = [
    "UTC",
    "Africa/Nairobi",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "America/Mexico_City",
    "America/Bogota",
    "America/Sao_Paulo",
    "Asia/Karachi",
    "Asia/Bangkok",
    "Asia/Manila",
    "Europe/Vienna",
    "Europe/Paris",
    "Pacific/Fiji",
]
ORGANIZATION_WORDS = [
    "Coastal",
    "Northern",
    "Southern",
    "Urban",
    "Rural",
    "National",
    "Community",
    "Youth",
    "Women's",
    "Citizens'",
    "Legal",
    "Independent",
    "Regional",
    "Grassroots",
    "Justice",
]
ORGANIZATION_FOCUS = [
    ("Anti-Trafficking Network", OrganizationKind.NGO),
    ("Migrant Rights Centre", OrganizationKind.NGO),
    ("Institute for Crime Research", OrganizationKind.ACADEMIA),
    ("Safety Association", OrganizationKind.COMMUNITY_BASED),
    ("Business Integrity Forum", OrganizationKind.PRIVATE_SECTOR),
    ("Bar Association Committee", OrganizationKind.PROFESSIONAL_ASSOCIATION),
    ("Investigative Journalism Collective", OrganizationKind.MEDIA),
    ("Faith Outreach", OrganizationKind.FAITH_BASED),
    ("Environmental Watch", OrganizationKind.NGO),
    ("Victim Support Foundation", OrganizationKind.NGO),
    ("Cyber Safety Lab", OrganizationKind.ACADEMIA),
    ("Firearms Control Coalition", OrganizationKind.OTHER),
]
PRIORITY_TITLES = [
    "Protect and assist victims of trafficking",
    "Prevent the smuggling of migrants along the main routes",
    "Control the illicit manufacturing of and trafficking in firearms",
    "Strengthen international cooperation in criminal matters",
    "Counter the laundering of the proceeds of crime",
    "Involve civil society in the UNTOC review",
    "Train law enforcement and the judiciary",
    "Collect and publish data on organized crime",
    "Counter crimes that affect the environment",
    "Prevent corruption that enables organized crime",
]
MILESTONE_VERBS = [
    "Draft",
    "Adopt",
    "Publish",
    "Train officers on",
    "Set up",
    "Review",
    "Fund",
    "Evaluate",
]
MILESTONE_OBJECTS = [
    "the national referral mechanism",
    "the law on trafficking in persons",
    "a helpline for victims",
    "the firearms registry",
    "joint investigation teams",
    "the national action plan",
    "a shelter network",
    "the annual crime statistics",
    "border community outreach",
    "the witness protection programme",
]
NARRATIVES = [
    "The working group met and agreed on the next steps.",
    "A first draft was shared with the alliance for comments.",
    "Training sessions were held in three provinces.",
    "Funding was secured; procurement has started.",
    "Work is delayed while the ministry reorganizes.",
    "Civil society and the ministry reviewed the text together.",
    "The results were presented at the Constructive Dialogue.",
    "Data collection covers two more regions this quarter.",
]
COMMENTS = [
    "Please involve community organizations in the border regions.",
    "How will victims be consulted on this?",
    "We can share our data on this with the ministry.",
    "The deadline looks too short to us.",
]
EVENT_KINDS_OF_INITIATIVES = [
    EventKind.STAKEHOLDER_CONSULTATION,
    EventKind.GOVERNMENT_CONSULTATION,
    EventKind.JOINT_WORKSHOP,
    EventKind.ROADMAP_REVIEW,
    EventKind.TRAINING,
]


def pick(rng: random.Random, weighted: dict[Any, float]) -> Any:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def split_total(rng: random.Random, total: int, parts: int, spread: float = 0.6) -> list[int]:
    """``total`` split into ``parts`` uneven, non-negative shares that add up exactly."""
    if parts <= 0:
        return []
    weights = [1 - spread + 2 * spread * rng.random() for _ in range(parts)]
    scale = total / sum(weights)
    shares = [math.floor(weight * scale) for weight in weights]
    for index in range(total - sum(shares)):
        shares[index % parts] += 1
    return shares


# --- The dataset -----------------------------------------------------------------------------


@dataclass
class CountryPlan:
    country_id: int
    code: str
    name: str
    initiative_id: int | None = None
    initiative_status: str = ""
    launched_on: datetime.date | None = None
    alliance_id: int | None = None
    focal_point_id: int | None = None
    organization_ids: list[int] = field(default_factory=list)
    admin_ids: list[int] = field(default_factory=list)
    coordinator_ids: list[int] = field(default_factory=list)
    adopted_roadmap_id: int | None = None


@dataclass
class ScaleDataset:
    """Builds the dataset. ``log`` receives one line per stage with its timing."""

    factor: float = 1.0
    seed: int = DEFAULT_SEED
    log: Callable[[str], None] = print
    counts: dict[str, int] = field(default_factory=dict)
    written: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)  # noqa: S311 (made-up data, not secrets)
        self.counts = {name: max(1, round(n * self.factor)) for name, n in COUNTS.items()}
        self.counts["countries"] = min(max(2, self.counts["countries"]), UN_MEMBER_STATES)
        self.counts["people"] = max(self.counts["people"], self.counts["organizations"] * 3, 20)
        self.now = timezone.now().replace(minute=0, second=0, microsecond=0)
        self.today = self.now.date()
        self.password = make_password(None)  # one unusable password, hashed once
        self.models_written: list[type[models.Model]] = []

    # -- helpers --

    def moment(self, days_ago: float) -> datetime.datetime:
        return self.now - datetime.timedelta(days=days_ago)

    def write(self, label: str, model: type[models.Model], columns: str, rows) -> int:
        """Write ``rows``: tuples of the values of ``columns``, attribute names separated by
        spaces."""
        started = time.perf_counter()
        count = insert_rows(model, columns.split(), rows)
        self.written[label] = self.written.get(label, 0) + count
        if model not in self.models_written:
            self.models_written.append(model)
        self.log(f"  {label}: {count:,} rows in {time.perf_counter() - started:.1f} s")
        return count

    # -- the whole run --

    def build(self) -> dict[str, int]:
        if User.objects.filter(email__endswith=f"@{SCALE_DOMAIN}").exists():
            raise AlreadyLoaded(
                "The scale dataset is already in this database "
                f"({User.objects.filter(email__endswith=f'@{SCALE_DOMAIN}').count():,} "
                "synthetic people). It is built once: drop and create the database to "
                "build it again."
            )
        started = time.perf_counter()
        with transaction.atomic():
            self.build_countries()
            self.build_people()
            self.build_organizations()
            self.build_alliances()
            self.build_roles()
            self.build_roadmaps()
            self.build_events()
            self.build_groups()
            self.build_preferences()
            self.build_audit()
            reset_sequences(self.models_written)
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner, and (outside a transaction) the visibility
            # map that index-only scans need, as autovacuum would leave them later.
            analyze = time.perf_counter()
            statement = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                cursor.execute(statement)
            self.log(f"  {statement} in {time.perf_counter() - analyze:.1f} s")
        self.log(f"Built in {time.perf_counter() - started:.1f} s.")
        return self.written

    # -- countries and initiatives --

    def build_countries(self) -> None:
        rng = self.rng
        codes = sorted(code for code, _ in country_names)[: self.counts["countries"]]
        existing = {str(c.code): c.pk for c in Country.objects.filter(code__in=codes)}
        regions = list(UNRegionalGroup.values)
        country_id = next_id(Country)
        new_countries = []
        for code in codes:
            region = rng.choice(regions)
            if code not in existing:
                existing[code] = country_id
                new_countries.append((country_id, code, region, "standard"))
                country_id += 1
        rows = [
            (pk, code, region, pick(rng, {"standard": 0.85, "elevated": 0.1, "high": 0.05}))
            for pk, code, region, _ in new_countries
        ]
        self.write("countries", Country, "id code un_regional_group risk_level", rows)

        taken = set(
            Initiative.objects.open()
            .filter(country_id__in=existing.values())
            .values_list("country_id", flat=True)
        )
        taken |= set(Alliance.objects.values_list("country_id", flat=True))
        self.plans: list[CountryPlan] = []
        initiative_id = next_id(Initiative)
        rows = []
        statuses = {
            InitiativeStatus.EXPLORATORY: 0.04,
            InitiativeStatus.CONSULTATIONS: 0.08,
            InitiativeStatus.LAUNCHED: 0.05,
            InitiativeStatus.ROADMAP_DRAFTING: 0.1,
            InitiativeStatus.ROADMAP_ADOPTED: 0.13,
            InitiativeStatus.IMPLEMENTING: 0.5,
            InitiativeStatus.REVIEWING: 0.07,
            InitiativeStatus.SUSPENDED: 0.03,
        }
        for code in codes:
            if existing[code] in taken:
                continue  # a country the portal already runs: leave it as it is
            name = str(dict(country_names)[code])
            plan = CountryPlan(country_id=existing[code], code=code, name=name)
            plan.initiative_id = initiative_id
            plan.initiative_status = pick(rng, statuses)
            plan.launched_on = (
                None
                if plan.initiative_status == InitiativeStatus.EXPLORATORY
                else self.today - datetime.timedelta(days=rng.randint(400, 1500))
            )
            visibility = Visibility.MEMBERS if rng.random() < 0.1 else Visibility.PUBLIC
            rows.append(
                (
                    initiative_id,
                    plan.country_id,
                    f"Voluntary Pilot Initiative in {name} (synthetic)",
                    plan.initiative_status,
                    plan.launched_on,
                    "Ministry of Justice",
                    f"Synthetic data for performance tests: an invented initiative in {name}.",
                    visibility,
                    self.now,
                    self.now,
                )
            )
            self.plans.append(plan)
            initiative_id += 1
        self.write(
            "initiatives",
            Initiative,
            (
                "id country_id title status launched_on lead_ministry summary visibility "
                "created_at updated_at"
            ),
            rows,
        )

    # -- people --

    def build_people(self) -> None:
        rng = self.rng
        count = self.counts["people"]
        first_id = next_id(User)
        self.people = list(range(first_id, first_id + count))
        self.staff = self.people[:STAFF_PEOPLE]
        languages = {
            Language.ENGLISH: 0.55,
            Language.SPANISH: 0.2,
            Language.FRENCH: 0.15,
            Language.PORTUGUESE: 0.1,
        }

        def rows():
            for index, pk in enumerate(self.people):
                full_name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                display = f"{rng.choice(PSEUDONYMS)} {index}" if rng.random() < 0.1 else ""
                staff = pk in self.staff
                yield (
                    pk,
                    self.password,
                    None,
                    staff,  # superuser: the staff accounts administer everything
                    f"person{index:06d}@{SCALE_DOMAIN}",
                    full_name,
                    display,
                    pick(rng, languages),
                    rng.choice(TIME_ZONES),
                    staff,
                    True,
                    self.moment(rng.uniform(1, HISTORY_DAYS)),
                )

        self.write(
            "people",
            User,
            (
                "id password last_login is_superuser email full_name display_name "
                "preferred_language time_zone is_staff is_active date_joined"
            ),
            rows(),
        )
        email_id = next_id(EmailAddress)
        self.write(
            "email addresses",
            EmailAddress,
            "id user_id email verified primary",
            (
                (email_id + index, pk, f"person{index:06d}@{SCALE_DOMAIN}", True, True)
                for index, pk in enumerate(self.people)
            ),
        )

    # -- organizations and their people --

    def build_organizations(self) -> None:
        rng = self.rng
        count = self.counts["organizations"]
        # Bigger countries have more organizations.
        weights = [rng.uniform(0.2, 3) for _ in self.plans]
        themes = list(Theme.objects.values_list("pk", flat=True))
        first_id = next_id(Organization)
        # People: the staff, then one admin per organization, then members, then people
        # without an organization (focal points and registered people come from there).
        admins = self.people[STAFF_PEOPLE : STAFF_PEOPLE + count]
        members = self.people[STAFF_PEOPLE + count : STAFF_PEOPLE + 3 * count]
        self.unaffiliated = self.people[STAFF_PEOPLE + 3 * count :] or self.people[STAFF_PEOPLE:]
        statuses = {
            OrganizationStatus.VERIFIED: 0.85,
            OrganizationStatus.PENDING: 0.05,
            OrganizationStatus.MORE_INFO: 0.02,
            OrganizationStatus.REJECTED: 0.04,
            OrganizationStatus.SUSPENDED: 0.04,
        }
        visibilities = {
            OrganizationVisibility.PUBLIC: 0.5,
            OrganizationVisibility.REGISTERED: 0.35,
            OrganizationVisibility.ALLIANCE: 0.15,
        }
        self.organizations: list[tuple[int, CountryPlan, str, str]] = []
        self.organization_admin: dict[int, int] = {}
        theme_rows = []

        def rows():
            for index in range(count):
                pk = first_id + index
                plan = rng.choices(self.plans, weights=weights)[0]
                focus, kind = rng.choice(ORGANIZATION_FOCUS)
                name = f"{rng.choice(ORGANIZATION_WORDS)} {focus} {index + 1}"
                slug = f"{slugify(name)}-{plan.code.lower()}"
                status = pick(rng, statuses)
                visibility = pick(rng, visibilities)
                admin = admins[index]
                plan.organization_ids.append(pk)
                plan.admin_ids.append(admin)
                self.organization_admin[pk] = admin
                self.organizations.append((pk, plan, status, visibility))
                for theme in rng.sample(themes, k=min(len(themes), rng.randint(1, 3))):
                    theme_rows.append((pk, theme))
                decided = status != OrganizationStatus.PENDING
                created = self.moment(rng.uniform(30, HISTORY_DAYS))
                yield (
                    pk,
                    name,
                    "",
                    slug,
                    kind,
                    plan.country_id,
                    "Capital City",
                    f"https://{slug}.example.org",
                    f"{name} is a synthetic organization of the performance dataset. It works "
                    f"on organized crime in {plan.name}: trafficking, smuggling, firearms and "
                    "victim assistance.",
                    f"contact@{slug}.example.org",
                    visibility,
                    status,
                    "" if status == OrganizationStatus.VERIFIED else "Synthetic decision.",
                    self.staff[0] if decided else None,
                    created + datetime.timedelta(days=10) if decided else None,
                    admin,
                    created,
                    created,
                )

        self.write(
            "organizations",
            Organization,
            (
                "id name acronym slug kind country_id city website description contact_email "
                "visibility status status_reason status_changed_by_id status_changed_at "
                "created_by_id created_at updated_at"
            ),
            rows(),
        )
        through = Organization.themes.through
        through_id = next_id(through)
        self.write(
            "organization themes",
            through,
            "id organization_id theme_id",
            ((through_id + i, org, theme) for i, (org, theme) in enumerate(theme_rows)),
        )
        member_id = next_id(OrganizationMember)
        organization_ids = [pk for pk, *_ in self.organizations]

        def member_rows():
            for index, (pk, *_) in enumerate(self.organizations):
                yield (member_id + index, admins[index], pk, MemberRole.ADMIN, self.now)
            for index, person in enumerate(members):
                yield (
                    member_id + count + index,
                    person,
                    rng.choice(organization_ids),
                    MemberRole.MEMBER,
                    self.now,
                )

        self.write(
            "organization members",
            OrganizationMember,
            "id user_id organization_id role joined_at",
            member_rows(),
        )

    # -- alliances, memberships, coordinators --

    def build_alliances(self) -> None:
        rng = self.rng
        alliance_id = next_id(Alliance)
        rows = []
        for plan in self.plans:
            if plan.initiative_status in (
                InitiativeStatus.EXPLORATORY,
                InitiativeStatus.CONSULTATIONS,
            ):
                continue
            plan.alliance_id = alliance_id
            rows.append(
                (
                    alliance_id,
                    plan.country_id,
                    f"National Civil Society Alliance of {plan.name} (synthetic)",
                    "A synthetic alliance of the performance dataset.",
                    plan.launched_on,
                    pick(
                        rng,
                        {
                            MemberListVisibility.PUBLIC: 0.4,
                            MemberListVisibility.REGISTERED: 0.4,
                            MemberListVisibility.MEMBERS: 0.2,
                        },
                    ),
                )
            )
            alliance_id += 1
        self.write(
            "alliances",
            Alliance,
            "id country_id name description founded_on member_list_visibility",
            rows,
        )
        through = Alliance.coordinators.through
        coordinator_id = next_id(through)
        coordinator_rows = []
        for plan in self.plans:
            if plan.alliance_id and plan.admin_ids:
                plan.coordinator_ids = rng.sample(plan.admin_ids, k=min(2, len(plan.admin_ids)))
                for user in plan.coordinator_ids:
                    coordinator_rows.append((coordinator_id, plan.alliance_id, user))
                    coordinator_id += 1
        self.write("coordinators", through, "id alliance_id user_id", coordinator_rows)

        eligible = [item for item in self.organizations if item[1].alliance_id]
        target = self.counts["alliance_memberships"]
        first_id = next_id(AllianceMembership)

        def rows_():
            for index in range(target if eligible else 0):
                pk, plan, status, _ = eligible[index % len(eligible)]
                first_pass = index < len(eligible)
                if first_pass and status == OrganizationStatus.VERIFIED:
                    state = pick(
                        rng,
                        {
                            MembershipStatus.APPROVED: 0.78,
                            MembershipStatus.REQUESTED: 0.07,
                            MembershipStatus.DECLINED: 0.08,
                            MembershipStatus.WITHDRAWN: 0.07,
                        },
                    )
                elif status == OrganizationStatus.SUSPENDED:
                    state = MembershipStatus.REMOVED
                else:
                    state = pick(
                        rng, {MembershipStatus.DECLINED: 0.6, MembershipStatus.WITHDRAWN: 0.4}
                    )
                requested = self.moment(rng.uniform(10, HISTORY_DAYS))
                decided = state != MembershipStatus.REQUESTED
                decider = plan.coordinator_ids[0] if plan.coordinator_ids else self.staff[0]
                yield (
                    first_id + index,
                    plan.alliance_id,
                    pk,
                    state,
                    "We work on the roadmap's priorities and want to join the alliance.",
                    self.organization_admin[pk],
                    requested,
                    decider if decided else None,
                    requested + datetime.timedelta(days=rng.uniform(1, 30)) if decided else None,
                    "",
                )

        self.write(
            "alliance memberships",
            AllianceMembership,
            (
                "id alliance_id organization_id status motivation requested_by_id requested_at "
                "decided_by_id decided_at decision_note"
            ),
            rows_(),
        )

    # -- government roles --

    def build_roles(self) -> None:
        rng = self.rng
        role_id = next_id(InitiativeRole)
        pool = iter(self.unaffiliated)
        rows = []
        for plan in self.plans:
            focal = next(pool, None)
            if focal is None:
                break
            plan.focal_point_id = focal
            active_from = plan.launched_on or self.today - datetime.timedelta(days=100)
            rows.append(
                (
                    role_id,
                    focal,
                    plan.initiative_id,
                    RoleKind.FOCAL_POINT,
                    "Ministry of Justice",
                    "Focal point for the UNTOC review",
                    rng.random() < 0.5,
                    active_from,
                    None,
                    self.staff[0],
                )
            )
            role_id += 1
            alternate = next(pool, None)
            if alternate is not None and rng.random() < 0.6:
                rows.append(
                    (
                        role_id,
                        alternate,
                        plan.initiative_id,
                        RoleKind.ALTERNATE_FOCAL_POINT,
                        "Ministry of Interior",
                        "Alternate focal point",
                        False,
                        active_from,
                        None,
                        self.staff[0],
                    )
                )
                role_id += 1
        self.write(
            "initiative roles",
            InitiativeRole,
            (
                "id user_id initiative_id role agency job_title shown_publicly active_from "
                "active_until assigned_by_id"
            ),
            rows,
        )

    # -- roadmaps, priorities, milestones, progress --

    def build_roadmaps(self) -> None:
        rng = self.rng
        with_roadmap = {
            InitiativeStatus.ROADMAP_ADOPTED,
            InitiativeStatus.IMPLEMENTING,
            InitiativeStatus.REVIEWING,
            InitiativeStatus.SUSPENDED,
        }
        roadmap_id = next_id(Roadmap)
        roadmaps = []  # (pk, plan, status, adopted_at)
        rows = []
        for plan in self.plans:
            if plan.initiative_status == InitiativeStatus.ROADMAP_DRAFTING:
                versions = [RoadmapStatus.DRAFT]
            elif plan.initiative_status in with_roadmap:
                versions = [RoadmapStatus.ARCHIVED] * rng.randint(0, 2) + [RoadmapStatus.ADOPTED]
            else:
                continue
            start = (plan.launched_on or self.today) + datetime.timedelta(days=60)
            span = max((self.today - start).days, len(versions) * 30)
            for number, status in enumerate(versions, start=1):
                adopted_at = None
                if status != RoadmapStatus.DRAFT:
                    day = start + datetime.timedelta(days=span * (number - 1) // len(versions))
                    adopted_at = datetime.datetime.combine(
                        day, datetime.time(10), tzinfo=datetime.UTC
                    )
                if status == RoadmapStatus.ADOPTED:
                    plan.adopted_roadmap_id = roadmap_id
                roadmaps.append((roadmap_id, plan, status, adopted_at))
                rows.append(
                    (
                        roadmap_id,
                        plan.initiative_id,
                        f"Common roadmap of {plan.name}",
                        "The priorities agreed between government and civil society.",
                        status,
                        number,
                        adopted_at.date() if adopted_at else None,
                        None,
                        None,
                        adopted_at.date() if adopted_at else None,
                        plan.focal_point_id if adopted_at else None,
                        adopted_at,
                        roadmap_id - 1 if number > 1 else None,
                        plan.focal_point_id,
                        self.now,
                        self.now,
                    )
                )
                roadmap_id += 1
        self.write(
            "roadmaps",
            Roadmap,
            (
                "id initiative_id title summary status version period_start period_end "
                "consultation_opened_at adopted_on adopted_by_id adopted_at revision_of_id "
                "created_by_id created_at updated_at"
            ),
            rows,
        )

        # Priorities and milestones: the milestones split unevenly across roadmaps.
        themes = list(Theme.objects.values_list("pk", flat=True))
        per_roadmap = split_total(rng, self.counts["milestones"], len(roadmaps))
        priority_id, milestone_id = next_id(Priority), next_id(Milestone)
        priority_rows, theme_rows, milestone_rows = [], [], []
        self.milestones: list[tuple[int, int, str, int, datetime.datetime, CountryPlan]] = []
        adopted_statuses = {
            MilestoneStatus.NOT_STARTED: 0.2,
            MilestoneStatus.IN_PROGRESS: 0.45,
            MilestoneStatus.DELAYED: 0.1,
            MilestoneStatus.COMPLETED: 0.2,
            MilestoneStatus.CANCELLED: 0.05,
        }
        archived_statuses = {MilestoneStatus.COMPLETED: 0.75, MilestoneStatus.CANCELLED: 0.25}
        for (roadmap, plan, status, adopted_at), count in zip(roadmaps, per_roadmap, strict=True):
            priorities = max(1, math.ceil(count / MILESTONES_PER_PRIORITY))
            for order in range(priorities):
                priority_rows.append(
                    (
                        priority_id,
                        roadmap,
                        PRIORITY_TITLES[order % len(PRIORITY_TITLES)],
                        "A priority agreed in the joint workshop.",
                        "",
                        "",
                        rng.choice(list(ProposedBy.values)),
                        order,
                        None,
                    )
                )
                for theme in rng.sample(themes, k=min(len(themes), rng.randint(1, 2))):
                    theme_rows.append((priority_id, theme))
                share = count // priorities + (1 if order < count % priorities else 0)
                for position in range(share):
                    if status == RoadmapStatus.DRAFT:
                        state = MilestoneStatus.NOT_STARTED
                    elif status == RoadmapStatus.ARCHIVED:
                        state = pick(rng, archived_statuses)
                    else:
                        state = pick(rng, adopted_statuses)
                    progress = {
                        MilestoneStatus.NOT_STARTED: 0,
                        MilestoneStatus.COMPLETED: 100,
                    }.get(state, rng.randint(5, 95))
                    due = self.today + datetime.timedelta(days=rng.randint(-400, 700))
                    milestone_rows.append(
                        (
                            milestone_id,
                            priority_id,
                            f"{rng.choice(MILESTONE_VERBS)} {rng.choice(MILESTONE_OBJECTS)}",
                            "",
                            "Ministry of Justice",
                            due,
                            state,
                            progress,
                            position,
                            None,
                            self.now,
                            self.now,
                        )
                    )
                    if state != MilestoneStatus.NOT_STARTED:
                        self.milestones.append(
                            (milestone_id, roadmap, state, progress, adopted_at, plan)
                        )
                    milestone_id += 1
                priority_id += 1
        self.write(
            "priorities",
            Priority,
            "id roadmap_id title description instrument article proposed_by order copied_from_id",
            priority_rows,
        )
        through = Priority.themes.through
        through_id = next_id(through)
        self.write(
            "priority themes",
            through,
            "id priority_id theme_id",
            ((through_id + i, p, t) for i, (p, t) in enumerate(theme_rows)),
        )
        self.write(
            "milestones",
            Milestone,
            (
                "id priority_id title description lead due_on status progress order copied_from_id "
                "created_at updated_at"
            ),
            milestone_rows,
        )
        del milestone_rows, priority_rows
        self.build_updates()
        self.build_comments(roadmaps)

    def build_updates(self) -> None:
        """Each milestone under way or done has a history of reports that ends where the
        milestone stands now; a tenth of the reports were assessed by civil society."""
        rng = self.rng
        shares = split_total(rng, self.counts["updates"], len(self.milestones), spread=0.9)
        update_id = next_id(MilestoneUpdate)
        assessment_id = next_id(Assessment)
        every = max(1, round(self.counts["updates"] / self.counts["assessments"]))
        assessments: list[tuple] = []
        verdicts = {Verdict.CONFIRMS: 0.6, Verdict.PARTLY: 0.25, Verdict.DISPUTES: 0.15}

        def rows():
            nonlocal update_id, assessment_id
            for (milestone, _, state, progress, adopted_at, plan), count in zip(
                self.milestones, shares, strict=True
            ):
                if count == 0:
                    continue
                start = adopted_at or self.moment(HISTORY_DAYS)
                span = max((self.now - start).total_seconds(), 3600.0)
                moments = sorted(
                    start + datetime.timedelta(seconds=rng.uniform(0, span)) for _ in range(count)
                )
                status_before, progress_before = MilestoneStatus.NOT_STARTED, 0
                for step, moment in enumerate(moments, start=1):
                    last = step == count
                    status_after = state if last else MilestoneStatus.IN_PROGRESS
                    progress_after = progress if last else min(99, max(1, progress * step // count))
                    yield (
                        update_id,
                        milestone,
                        plan.focal_point_id,
                        moment,
                        status_before,
                        status_after,
                        progress_before,
                        progress_after,
                        rng.choice(NARRATIVES),
                    )
                    if update_id % every == 0 and plan.admin_ids:
                        assessments.append(
                            (
                                assessment_id,
                                update_id,
                                rng.choice(plan.admin_ids),
                                None,
                                pick(rng, verdicts),
                                "Our members saw this on the ground.",
                                min(
                                    self.now, moment + datetime.timedelta(days=rng.uniform(0.5, 5))
                                ),
                                "",
                                None,
                                None,
                            )
                        )
                        assessment_id += 1
                    status_before, progress_before = status_after, progress_after
                    update_id += 1

        self.write(
            "milestone updates",
            MilestoneUpdate,
            (
                "id milestone_id author_id created_at status_before status_after progress_before "
                "progress_after narrative"
            ),
            rows(),
        )
        self.write(
            "assessments",
            Assessment,
            (
                "id update_id author_id organization_id verdict comment created_at response "
                "responded_by_id responded_at"
            ),
            assessments,
        )

    def build_comments(self, roadmaps) -> None:
        rng = self.rng
        comment_id = next_id(Comment)
        adopted = [m for m in self.milestones if m[1] in {r[0] for r in roadmaps}]
        rows = []
        for index in range(min(self.counts["comments"], len(adopted))):
            milestone, roadmap, _, _, _, plan = rng.choice(adopted)
            author = rng.choice(plan.admin_ids) if plan.admin_ids else self.staff[0]
            rows.append(
                (
                    comment_id + index,
                    roadmap,
                    None,
                    milestone,
                    author,
                    rng.choice(COMMENTS),
                    self.moment(rng.uniform(0, 365)),
                    None,
                    None,
                    "",
                    "",
                    None,
                    None,
                )
            )
        self.write(
            "comments",
            Comment,
            (
                "id roadmap_id priority_id milestone_id author_id body created_at hidden_by_id "
                "hidden_at hidden_reason response responded_by_id responded_at"
            ),
            rows,
        )
        consultation_id = next_id(Consultation)
        rows = []
        for plan in self.plans:
            if not plan.adopted_roadmap_id:
                continue
            for number in range(2):
                deadline = self.now + datetime.timedelta(days=rng.randint(-300, 30))
                rows.append(
                    (
                        consultation_id,
                        plan.initiative_id,
                        f"Consultation {number + 1} on the draft law",
                        "question",
                        "Which provisions protect victims well enough?",
                        "",
                        "",
                        "",
                        0,
                        deadline,
                        rng.choice(list(Audience.values)),
                        ConsultationStatus.OPEN
                        if deadline > self.now
                        else ConsultationStatus.CLOSED,
                        plan.focal_point_id,
                        deadline - datetime.timedelta(days=30),
                    )
                )
                consultation_id += 1
        self.write(
            "consultations",
            Consultation,
            (
                "id initiative_id title kind description document document_name "
                "document_content_type document_size deadline audience status created_by_id "
                "created_at"
            ),
            rows,
        )

    # -- events and registrations --

    def build_events(self) -> None:
        rng = self.rng
        count = self.counts["events"]
        event_id = next_id(Event)
        events = []  # (pk, starts_at, capacity, requires_approval, status)
        organizer_rows = []
        rows = []
        with_initiative = [plan for plan in self.plans if plan.initiative_id]
        with_alliance = [plan for plan in self.plans if plan.alliance_id]
        for index in range(count):
            pk = event_id + index
            roll = rng.random()
            initiative = alliance = None
            topic = ""
            if roll < 0.1 or not with_initiative:
                kind = rng.choice([EventKind.CONSTRUCTIVE_DIALOGUE, EventKind.SIDE_EVENT])
                topic = (
                    rng.choice(list(WorkingGroupTopic.values))
                    if kind == EventKind.CONSTRUCTIVE_DIALOGUE
                    else ""
                )
                visibility = EventVisibility.PUBLIC
                plan = None
            elif roll < 0.2 and with_alliance:
                plan = rng.choice(with_alliance)
                kind, initiative, alliance = (
                    EventKind.ALLIANCE_MEETING,
                    plan.initiative_id,
                    plan.alliance_id,
                )
                visibility = EventVisibility.ALLIANCE
            else:
                plan = rng.choice(with_initiative)
                kind, initiative = rng.choice(EVENT_KINDS_OF_INITIATIVES), plan.initiative_id
                visibility = pick(
                    rng,
                    {
                        EventVisibility.PUBLIC: 0.7,
                        EventVisibility.MEMBERS: 0.22,
                        EventVisibility.INVITATION: 0.08,
                    },
                )
            starts_at = self.now + datetime.timedelta(
                hours=rng.randint(-HISTORY_DAYS * 24, FUTURE_DAYS * 24)
            )
            ends_at = starts_at + datetime.timedelta(hours=rng.choice([2, 3, 4, 8]))
            past = ends_at < self.now
            if past:
                status = pick(rng, {EventStatus.HELD: 0.9, EventStatus.CANCELLED: 0.1})
            else:
                status = pick(
                    rng,
                    {
                        EventStatus.SCHEDULED: 0.9,
                        EventStatus.POSTPONED: 0.05,
                        EventStatus.CANCELLED: 0.05,
                    },
                )
            capacity = None if rng.random() < 0.4 else rng.randint(20, 200)
            requires_approval = rng.random() < 0.15
            closes = starts_at - datetime.timedelta(days=2) if rng.random() < 0.3 else None
            events.append((pk, starts_at, capacity, requires_approval, status, past))
            if plan is not None and plan.focal_point_id and rng.random() < 0.3:
                organizer_rows.append((pk, plan.focal_point_id))
            rows.append(
                (
                    pk,
                    initiative,
                    alliance,
                    kind,
                    topic,
                    rng.choice(list(EventFormat.values)),
                    f"{EventKind(kind).label} {index + 1}"
                    + (f" in {plan.name}" if plan is not None else ""),
                    "A synthetic event of the performance dataset.",
                    starts_at,
                    ends_at,
                    rng.choice(TIME_ZONES),
                    "Conference room 4",
                    "https://meet.example.org/synthetic",
                    capacity,
                    None,
                    closes,
                    requires_approval,
                    visibility,
                    False,
                    status,
                    "",
                    "",
                    "",
                    0,
                    self.staff[0],
                    self.now,
                    self.now,
                )
            )
        self.write(
            "events",
            Event,
            (
                "id initiative_id alliance_id kind topic format title description starts_at "
                "ends_at time_zone venue online_link capacity registration_opens_at "
                "registration_closes_at requires_approval visibility chatham_house status "
                "status_message public_summary minutes sequence created_by_id created_at "
                "updated_at"
            ),
            rows,
        )
        del rows
        through = Event.organizers.through
        through_id = next_id(through)
        self.write(
            "event organizers",
            through,
            "id event_id user_id",
            ((through_id + i, e, u) for i, (e, u) in enumerate(organizer_rows)),
        )
        agenda_id = next_id(AgendaItem)
        agenda = split_total(rng, self.counts["agenda_items"], len(events), spread=1.0)
        self.write(
            "agenda items",
            AgendaItem,
            "id event_id starts_at title speakers order",
            (
                (agenda_id + n, event[0], event[1], f"Session {order + 1}", "", order)
                for n, (event, order) in enumerate(
                    (event, order)
                    for event, items in zip(events, agenda, strict=True)
                    for order in range(items)
                )
            ),
        )
        self.build_registrations(events)

    def build_registrations(self, events) -> None:
        rng = self.rng
        shares = split_total(rng, self.counts["registrations"], len(events), spread=0.9)
        registration_id = next_id(Registration)
        capacities: dict[int, int] = {}
        people = self.people[STAFF_PEOPLE:]

        def rows():
            nonlocal registration_id
            for (pk, starts_at, capacity, approval, _, past), count in zip(
                events, shares, strict=True
            ):
                count = min(count, len(people))
                seats = 0
                waitlist = 0
                for user in rng.sample(people, count):
                    if past:
                        state = pick(
                            rng,
                            {
                                RegistrationStatus.ATTENDED: 0.7,
                                RegistrationStatus.NO_SHOW: 0.15,
                                RegistrationStatus.CANCELLED: 0.15,
                            },
                        )
                    elif approval:
                        state = pick(
                            rng,
                            {
                                RegistrationStatus.REGISTERED: 0.6,
                                RegistrationStatus.APPLIED: 0.3,
                                RegistrationStatus.DECLINED: 0.1,
                            },
                        )
                    else:
                        state = pick(
                            rng,
                            {
                                RegistrationStatus.REGISTERED: 0.92,
                                RegistrationStatus.CANCELLED: 0.08,
                            },
                        )
                    position = None
                    if state in (
                        RegistrationStatus.REGISTERED,
                        RegistrationStatus.ATTENDED,
                        RegistrationStatus.NO_SHOW,
                    ):
                        if capacity is not None and seats >= capacity and not past:
                            state = RegistrationStatus.WAITLISTED
                            waitlist += 1
                            position = waitlist
                        else:
                            seats += 1
                    created = min(starts_at, self.now) - datetime.timedelta(days=rng.uniform(1, 60))
                    yield (
                        registration_id,
                        pk,
                        user,
                        None,
                        state,
                        position,
                        None,
                        created,
                        created,
                    )
                    registration_id += 1
                if capacity is not None and seats > capacity:
                    capacities[pk] = seats

        self.write(
            "registrations",
            Registration,
            (
                "id event_id user_id organization_id status position invited_by_id created_at "
                "updated_at"
            ),
            rows(),
        )
        # Past events may have held more seats than planned: their capacity says so.
        for pk, seats in capacities.items():
            Event.objects.filter(pk=pk).update(capacity=seats)

    # -- notification preferences --

    def build_preferences(self) -> None:
        rng = self.rng
        preferences_id = next_id(Preferences)
        follow_rows = []
        country_ids = [plan.country_id for plan in self.plans]
        frequencies = {
            DigestFrequency.DAILY: 0.1,
            DigestFrequency.WEEKLY: 0.6,
            DigestFrequency.OFF: 0.3,
        }

        def rows():
            index = 0
            for person in self.people:
                if rng.random() >= 0.6:
                    continue  # no saved preferences: the defaults (a weekly digest)
                pk = preferences_id + index
                index += 1
                if rng.random() < 0.3:
                    for country in rng.sample(
                        country_ids, k=min(len(country_ids), rng.randint(1, 3))
                    ):
                        follow_rows.append((pk, country))
                yield (pk, person, True, rng.random() < 0.9, pick(rng, frequencies), None, [])

        self.write(
            "notification preferences",
            Preferences,
            "id user_id activity_emails event_reminders digest_frequency last_digest_at "
            "portal_only",
            rows(),
        )
        through = Preferences.countries.through
        through_id = next_id(through)
        self.write(
            "countries followed",
            through,
            "id preferences_id country_id",
            ((through_id + i, p, c) for i, (p, c) in enumerate(follow_rows)),
        )

    # -- working groups --

    def build_groups(self) -> None:
        """Two public groups in each country with an initiative and a focal point, each with
        government experts and people of the alliance's organizations, ten threads and their
        replies; the first thread of each group is long (its page is paginated)."""
        rng = self.rng
        group_id, member_id = next_id(WorkingGroup), next_id(GroupMember)
        thread_id, reply_id = next_id(Thread), next_id(Reply)
        groups, members, threads, replies = [], [], [], []
        experts = self.unaffiliated
        for plan in self.plans:
            if not (plan.initiative_id and plan.focal_point_id):
                continue
            for number in range(2):
                created = self.moment(rng.uniform(30, 365))
                groups.append(
                    (
                        group_id,
                        plan.initiative_id,
                        f"Working group {number + 1} on victims' referral",
                        "Agree how victims are referred to shelters within a day.",
                        plan.focal_point_id,
                        GroupVisibility.PUBLIC,
                        number == 1,
                        plan.focal_point_id,
                        created,
                        created,
                    )
                )
                voices = []
                tail = ("active", "", created)  # status, note, created_at
                for person in rng.sample(experts, 6):
                    members.append(
                        (member_id, group_id, person, Side.GOVERNMENT, None, "Ministry") + tail
                    )
                    member_id += 1
                    voices.append(person)
                pairs = list(zip(plan.admin_ids, plan.organization_ids, strict=False))
                for person, organization in rng.sample(pairs, min(15, len(pairs))):
                    members.append(
                        (member_id, group_id, person, Side.CIVIL_SOCIETY, organization, "") + tail
                    )
                    member_id += 1
                    voices.append(person)
                for index in range(10):
                    started = created + datetime.timedelta(days=index)
                    threads.append(
                        (
                            thread_id,
                            group_id,
                            f"Thread {index + 1}: who refers a victim found at the border?",
                            "Today the border police refer to no one.",
                            plan.focal_point_id,
                            started,
                            started + datetime.timedelta(days=3),
                        )
                    )
                    for reply in range(120 if index == 0 else rng.randint(3, 25)):
                        replies.append(
                            (
                                reply_id,
                                thread_id,
                                rng.choice(voices),
                                "The shelter network can take referrals at any hour.",
                                started + datetime.timedelta(hours=reply + 1),
                                *("", "", "", "", 0),  # no reason hidden, no attachment
                            )
                        )
                        reply_id += 1
                    thread_id += 1
                group_id += 1
        self.write(
            "working groups",
            WorkingGroup,
            "id initiative_id title purpose facilitator_id visibility chatham_house "
            "created_by_id created_at updated_at",
            groups,
        )
        self.write(
            "group members",
            GroupMember,
            "id group_id user_id side organization_id agency status note created_at",
            members,
        )
        self.write(
            "threads",
            Thread,
            "id group_id title context author_id created_at last_activity_at",
            threads,
        )
        self.write(
            "replies",
            Reply,
            "id thread_id author_id body created_at hidden_reason attachment attachment_name "
            "attachment_content_type attachment_size",
            replies,
        )

    # -- the audit log --

    def build_audit(self) -> None:
        rng = self.rng
        entry_id = next_id(AuditEntry)
        actions = {
            "organization.verified": 0.4,
            "membership.approved": 0.3,
            "alliance.members_exported": 0.1,
            "event.attendees_viewed": 0.2,
        }

        def rows():
            for index in range(self.counts["audit_entries"]):
                action = pick(rng, actions)
                organization, plan, *_ = rng.choice(self.organizations)
                yield (
                    entry_id + index,
                    self.moment(rng.uniform(0, HISTORY_DAYS)),
                    self.staff[index % len(self.staff)],
                    action,
                    "stakeholders.organization",
                    str(organization),
                    f"Synthetic organization {organization}",
                    action.endswith(("exported", "viewed")),
                    {"country": plan.code},
                )

        self.write(
            "audit entries",
            AuditEntry,
            "id created_at actor_id action target_type target_id target_repr sensitive data",
            rows(),
        )


def seed_scale(
    *, factor: float = 1.0, seed: int = DEFAULT_SEED, log: Callable[[str], None] = print
) -> dict[str, int]:
    """Build the dataset; raises AlreadyLoaded when it is there already."""
    return ScaleDataset(factor=factor, seed=seed, log=log).build()
