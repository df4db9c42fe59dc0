"""Demo events for the four VPI countries and the global Constructive Dialogues.

Every event is created once, keyed by its title, and never touched again: a second run
changes nothing, whatever the day. Dates are computed from the day of the first run
(``days`` from today, at a local hour in the event's time zone), so a fresh demo always
has upcoming and past events; reseed a fresh database to move them along.

Run after ``countries.demo.seed_countries`` (initiatives),
``stakeholders.demo.seed_stakeholders`` (people, alliances, organizations) and
``roadmaps.demo.seed_roadmaps`` (an Angolan action item becomes a milestone of the draft
roadmap; without the roadmap it simply stays an action item).
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from countries.models import Initiative
from roadmaps.models import EDITABLE_STATUSES, Priority
from stakeholders.models import Alliance, Organization, User

from .models import (
    ActionItem,
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
from .services import action_item_to_milestone

R = RegistrationStatus

# People who fill seats and waiting lists. They cannot sign in (no usable password).
PARTICIPANTS = [
    ("participant1@vpi.example", "Amina Wanjiru"),
    ("participant2@vpi.example", "Tomás Herrera"),
    ("participant3@vpi.example", "Sadia Baloch"),
    ("participant4@vpi.example", "João Mbemba"),
]


@dataclass(frozen=True)
class DemoEvent:
    title: str
    code: str | None  # the initiative's country; None for global events
    kind: str
    format: str
    time_zone: str
    days: int  # from the day of the first run; negative is in the past
    hour: int  # local start hour
    hours: int = 3
    organizer: str = "csu@vpi.example"
    alliance: bool = False
    topic: str = ""
    visibility: str = EventVisibility.PUBLIC
    capacity: int | None = None
    requires_approval: bool = False
    chatham_house: bool = False
    status: str = EventStatus.SCHEDULED
    status_message: str = ""
    closes_in_days: int | None = None
    description: str = ""
    agenda: tuple[tuple[str, str], ...] = ()
    # (email, status, organization slug or "") in order of registration
    registrations: tuple[tuple[str, str, str], ...] = ()
    public_summary: str = ""
    minutes: str = ""
    action_items: tuple[tuple[str, str, int], ...] = ()  # text, owner, due in days
    to_roadmap: bool = False  # the first action item becomes a roadmap milestone


ONLINE = "https://meet.example.org/vpi-demo"

EVENTS = [
    DemoEvent(
        title="Consultation with civil society on the draft anti-smuggling bill",
        code="KE",
        kind=EventKind.STAKEHOLDER_CONSULTATION,
        format=EventFormat.HYBRID,
        time_zone="Africa/Nairobi",
        days=14,
        hour=9,
        organizer="focal.ke@vpi.example",
        capacity=3,
        description=(
            "Civil society organizations comment on the draft bill on trafficking in persons "
            "and the smuggling of migrants before it goes to Parliament."
        ),
        agenda=(
            ("The draft bill in brief", "Office of the Attorney-General"),
            ("Comments from coastal organizations", "Coast Anti-Trafficking Network"),
            ("Next steps", "Government focal point"),
        ),
        registrations=(
            ("person@vpi.example", R.REGISTERED, ""),
            ("orgadmin@vpi.example", R.REGISTERED, "coast-anti-trafficking-network-ke"),
            ("member@vpi.example", R.REGISTERED, "coast-anti-trafficking-network-ke"),
            ("participant1@vpi.example", R.WAITLISTED, ""),
            ("participant2@vpi.example", R.WAITLISTED, ""),
        ),
    ),
    DemoEvent(
        title="Alliance meeting: following up the roadmap",
        code="KE",
        kind=EventKind.ALLIANCE_MEETING,
        format=EventFormat.ONLINE,
        time_zone="Africa/Nairobi",
        days=7,
        hour=14,
        hours=2,
        organizer="coordinator@vpi.example",
        alliance=True,
        visibility=EventVisibility.ALLIANCE,
        description="The members of the alliance prepare their assessment of reported progress.",
        registrations=(
            ("orgadmin@vpi.example", R.REGISTERED, "coast-anti-trafficking-network-ke"),
            ("member@vpi.example", R.REGISTERED, "coast-anti-trafficking-network-ke"),
        ),
    ),
    DemoEvent(
        title="Training for journalists on reporting trafficking safely",
        code="KE",
        kind=EventKind.TRAINING,
        format=EventFormat.ONLINE,
        time_zone="Africa/Nairobi",
        days=30,
        hour=10,
        organizer="focal.ke@vpi.example",
        visibility=EventVisibility.MEMBERS,
        requires_approval=True,
        capacity=25,
        description="How to report on trafficking without exposing victims or sources.",
        registrations=(
            ("person@vpi.example", R.APPLIED, ""),
            ("member@vpi.example", R.REGISTERED, ""),
        ),
    ),
    DemoEvent(
        title="Workshop on environmental crime",
        code="KE",
        kind=EventKind.JOINT_WORKSHOP,
        format=EventFormat.IN_PERSON,
        time_zone="Africa/Nairobi",
        days=9,
        hour=9,
        organizer="focal.ke@vpi.example",
        status=EventStatus.CANCELLED,
        status_message="The venue is no longer available. A new date will be announced.",
        registrations=(("person@vpi.example", R.REGISTERED, ""),),
    ),
    DemoEvent(
        title="Joint workshop in thematic groups",
        code="KE",
        kind=EventKind.JOINT_WORKSHOP,
        format=EventFormat.IN_PERSON,
        time_zone="Africa/Nairobi",
        days=-120,
        hour=9,
        hours=7,
        organizer="focal.ke@vpi.example",
        status=EventStatus.HELD,
        description="Government and civil society agree on priorities in three thematic groups.",
        agenda=(
            ("Thematic group: trafficking in persons", "Facilitated by UNODC"),
            ("Thematic group: smuggling of migrants", "Facilitated by UNODC"),
            ("Thematic group: firearms", "Facilitated by UNODC"),
        ),
        registrations=(
            ("orgadmin@vpi.example", R.ATTENDED, "coast-anti-trafficking-network-ke"),
            ("member@vpi.example", R.ATTENDED, "coast-anti-trafficking-network-ke"),
            ("person@vpi.example", R.NO_SHOW, ""),
        ),
        public_summary=(
            "Forty participants from government and civil society agreed on six priorities "
            "for the roadmap."
        ),
        minutes=(
            "The groups reported back in plenary. The smuggling group asked for a referral "
            "mechanism for migrants in vulnerable situations."
        ),
        action_items=(
            ("Circulate the agreed priorities for written comments", "Office of the AG", 14),
            ("Map shelters available to smuggled migrants", "Coast Anti-Trafficking Network", 60),
        ),
    ),
    DemoEvent(
        title="Roadmap review with the National Civil Society Alliance",
        code="PK",
        kind=EventKind.ROADMAP_REVIEW,
        format=EventFormat.HYBRID,
        time_zone="Asia/Karachi",
        days=-45,
        hour=10,
        organizer="focal.pk@vpi.example",
        status=EventStatus.HELD,
        registrations=(("participant3@vpi.example", R.ATTENDED, ""),),
        public_summary="The review found two milestones delayed and agreed on catch-up plans.",
        minutes="Participants reviewed each priority. The alliance disputed one progress report.",
        action_items=(
            ("Publish the catch-up plan for delayed milestones", "Ministry of Interior", 30),
        ),
    ),
    DemoEvent(
        title="Government consultation on the firearms protocol",
        code="PK",
        kind=EventKind.GOVERNMENT_CONSULTATION,
        format=EventFormat.IN_PERSON,
        time_zone="Asia/Karachi",
        days=10,
        hour=11,
        organizer="focal.pk@vpi.example",
        visibility=EventVisibility.INVITATION,
        registrations=(("person@vpi.example", R.REGISTERED, ""),),
    ),
    DemoEvent(
        title="Workshop on migrant smuggling routes",
        code="PK",
        kind=EventKind.JOINT_WORKSHOP,
        format=EventFormat.HYBRID,
        time_zone="Asia/Karachi",
        days=35,
        hour=10,
        organizer="focal.pk@vpi.example",
        status=EventStatus.POSTPONED,
        status_message="Moved by three weeks so that the provincial authorities can attend.",
        registrations=(("participant3@vpi.example", R.REGISTERED, ""),),
    ),
    DemoEvent(
        title="Consulta con la sociedad civil sobre trata de personas",
        code="MX",
        kind=EventKind.STAKEHOLDER_CONSULTATION,
        format=EventFormat.IN_PERSON,
        time_zone="America/Mexico_City",
        days=-200,
        hour=10,
        chatham_house=True,
        status=EventStatus.HELD,
        registrations=(
            ("participant2@vpi.example", R.ATTENDED, "red-de-apoyo-a-personas-migrantes-mx"),
        ),
        public_summary="Las organizaciones propusieron tres prioridades sobre trata de personas.",
        minutes="Se discutieron los mecanismos de protección de víctimas (regla de Chatham House).",
    ),
    DemoEvent(
        title="Side event at the Conference of the Parties: Mexico's VPI",
        code="MX",
        kind=EventKind.SIDE_EVENT,
        format=EventFormat.HYBRID,
        time_zone="Europe/Vienna",
        days=40,
        hour=13,
        hours=1,
    ),
    DemoEvent(
        title="Consultation with non-governmental stakeholders in Luanda",
        code="AO",
        kind=EventKind.STAKEHOLDER_CONSULTATION,
        format=EventFormat.IN_PERSON,
        time_zone="Africa/Luanda",
        days=5,
        hour=9,
        closes_in_days=2,
        registrations=(("participant4@vpi.example", R.REGISTERED, ""),),
    ),
    DemoEvent(
        title="Joint workshop on the draft roadmap priorities",
        code="AO",
        kind=EventKind.JOINT_WORKSHOP,
        format=EventFormat.IN_PERSON,
        time_zone="Africa/Luanda",
        days=-20,
        hour=9,
        hours=6,
        status=EventStatus.HELD,
        registrations=(("participant4@vpi.example", R.ATTENDED, ""),),
        public_summary="The workshop agreed on the priorities now in consultation.",
        minutes="Participants asked for a national referral mechanism for victims.",
        action_items=(
            ("Design a national referral mechanism for victims", "Ministry of Justice", 180),
        ),
        to_roadmap=True,
    ),
    DemoEvent(
        title="Constructive Dialogue on the smuggling of migrants",
        code=None,
        kind=EventKind.CONSTRUCTIVE_DIALOGUE,
        format=EventFormat.HYBRID,
        time_zone="Europe/Vienna",
        days=-60,
        hour=13,
        hours=2,
        topic=WorkingGroupTopic.SMUGGLING_OF_MIGRANTS,
        capacity=3,
        status=EventStatus.HELD,
        description=(
            "After the Working Group on the Smuggling of Migrants, civil society and States "
            "discuss the protection of smuggled migrants' rights."
        ),
        agenda=(
            ("Briefing on the Working Group's recommendations", "Secretariat"),
            ("Statements from civil society", "Registered organizations"),
        ),
        registrations=(
            ("orgadmin@vpi.example", R.ATTENDED, "coast-anti-trafficking-network-ke"),
            ("participant2@vpi.example", R.ATTENDED, "red-de-apoyo-a-personas-migrantes-mx"),
            ("participant3@vpi.example", R.NO_SHOW, ""),
            ("participant1@vpi.example", R.WAITLISTED, ""),
            ("person@vpi.example", R.CANCELLED, ""),
        ),
        public_summary=(
            "Speakers called for firewalls between migration enforcement and access to "
            "justice for smuggled migrants."
        ),
        minutes=(
            "Civil society raised aggravated smuggling cases at sea. States reported on "
            "the implementation of article 16 of the Protocol."
        ),
        action_items=(
            ("Compile good practices on protecting smuggled migrants", "CSU", 90),
            ("Share the Working Group's recommendations with the alliances", "CSU", 30),
        ),
    ),
    DemoEvent(
        title="Constructive Dialogue on trafficking in persons",
        code=None,
        kind=EventKind.CONSTRUCTIVE_DIALOGUE,
        format=EventFormat.ONLINE,
        time_zone="Europe/Vienna",
        days=25,
        hour=14,
        hours=2,
        topic=WorkingGroupTopic.TRAFFICKING_IN_PERSONS,
        registrations=(("member@vpi.example", R.REGISTERED, ""),),
    ),
]


def _participants() -> None:
    for email, name in PARTICIPANTS:
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])


def _starts_at(demo: DemoEvent, today: datetime.date) -> datetime.datetime:
    day = today + datetime.timedelta(days=demo.days)
    return datetime.datetime.combine(
        day, datetime.time(demo.hour), tzinfo=zoneinfo.ZoneInfo(demo.time_zone)
    )


def _create(demo: DemoEvent, today: datetime.date) -> Event | None:
    initiative = None
    if demo.code is not None:
        initiative = Initiative.objects.open().filter(country__code=demo.code).first()
        if initiative is None:
            return None
    starts_at = _starts_at(demo, today)
    organizer = User.objects.get(email=demo.organizer)
    event = Event.objects.create(
        initiative=initiative,
        alliance=Alliance.objects.get(country__code=demo.code) if demo.alliance else None,
        kind=demo.kind,
        topic=demo.topic,
        format=demo.format,
        title=demo.title,
        description=demo.description,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=demo.hours),
        time_zone=demo.time_zone,
        venue="" if demo.format == EventFormat.ONLINE else "Conference room 2, UN House",
        online_link="" if demo.format == EventFormat.IN_PERSON else ONLINE,
        capacity=demo.capacity,
        registration_closes_at=(
            timezone.now() + datetime.timedelta(days=demo.closes_in_days)
            if demo.closes_in_days is not None
            else None
        ),
        requires_approval=demo.requires_approval,
        visibility=demo.visibility,
        chatham_house=demo.chatham_house,
        status=demo.status,
        status_message=demo.status_message,
        public_summary=demo.public_summary,
        minutes=demo.minutes,
        sequence=1 if demo.status in (EventStatus.CANCELLED, EventStatus.POSTPONED) else 0,
        created_by=organizer,
    )
    event.organizers.add(organizer)
    for order, (title, speakers) in enumerate(demo.agenda, start=1):
        AgendaItem.objects.create(
            event=event,
            starts_at=starts_at + datetime.timedelta(minutes=45 * (order - 1)),
            title=title,
            speakers=speakers,
            order=order,
        )
    position = 0
    for email, status, slug in demo.registrations:
        if status == R.WAITLISTED:
            position += 1
        Registration.objects.create(
            event=event,
            user=User.objects.get(email=email),
            organization=Organization.objects.filter(slug=slug).first() if slug else None,
            status=status,
            position=position if status == R.WAITLISTED else None,
        )
    for order, (text, owner, due_in) in enumerate(demo.action_items, start=1):
        ActionItem.objects.create(
            event=event,
            text=text,
            owner=owner,
            due_on=today + datetime.timedelta(days=demo.days + due_in),
            order=order,
        )
    if demo.to_roadmap and initiative is not None:
        priority = (
            Priority.objects.filter(
                roadmap__initiative=initiative, roadmap__status__in=EDITABLE_STATUSES
            )
            .order_by("order", "pk")
            .first()
        )
        item = event.action_items.first()
        if priority is not None and item is not None:
            action_item_to_milestone(
                action_item=item,
                priority=priority,
                actor=User.objects.get(email="csu@vpi.example"),
            )
    return event


@transaction.atomic
def seed_events() -> dict[str, int]:
    """Create the demo events that do not exist yet. Running it again changes nothing."""
    _participants()
    today = timezone.localdate()
    existing = set(Event.objects.values_list("title", flat=True))
    for demo in EVENTS:
        if demo.title not in existing:
            _create(demo, today)
    return {
        "events": Event.objects.count(),
        "registrations": Registration.objects.count(),
        "action_items": ActionItem.objects.count(),
    }
