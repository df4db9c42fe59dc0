"""Progress digests: what changed in the initiatives a person follows since their last one.

A person follows the countries they chose in their preferences, the countries of the
alliances their organizations belong to or that they coordinate, and the countries of the
initiatives where they hold a role. A digest lists milestone updates of adopted roadmaps
with their standing, new assessments and disputes, roadmap adoptions, consultations opened
or closing, new alliance members and upcoming events. With nothing new there is no digest.

It lives here rather than in one domain app because it reads all of them. People are
handled in chunks; each chunk costs the same handful of queries whatever its size, and its
emails are written to the outbox in one insert.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from countries.models import Country
from events.models import Event, EventStatus, EventVisibility
from notifications.models import Category, DigestFrequency, Notification, Preferences
from notifications.services import absolute_url, outbox_write, recipient_locale, render_email
from roadmaps.models import (
    Assessment,
    Consultation,
    MilestoneUpdate,
    Roadmap,
    RoadmapStatus,
    Verdict,
)
from stakeholders.models import (
    AllianceMembership,
    InitiativeRole,
    MembershipStatus,
    OrganizationMember,
    OrganizationStatus,
    OrganizationVisibility,
    User,
)

PERIODS = {DigestFrequency.DAILY: timedelta(days=1), DigestFrequency.WEEKLY: timedelta(days=7)}
UPCOMING_DAYS = 14


def period_key(frequency: str, now: datetime) -> str:
    if frequency == DigestFrequency.DAILY:
        return now.date().isoformat()
    year, week, _ = now.isocalendar()
    return f"{year}-W{week:02d}"


def digest_recipient_ids(frequency: str) -> list[int]:
    """Everyone who wants this frequency. Without saved preferences a person gets the
    default, a weekly digest."""
    wants = Q(notification_preferences__digest_frequency=frequency)
    if frequency == Preferences._meta.get_field("digest_frequency").default:
        wants |= Q(notification_preferences__isnull=True)
    # By language and time zone, so that the people of a chunk share rendered sections.
    return list(
        User.objects.filter(wants, is_active=True)
        .order_by("preferred_language", "time_zone", "pk")
        .values_list("pk", flat=True)
    )


@dataclass
class CountryNews:
    updates: list[Any] = field(default_factory=list)
    assessments: list[Any] = field(default_factory=list)
    adoptions: list[Any] = field(default_factory=list)
    consultations: list[Any] = field(default_factory=list)
    new_members: list[Any] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)


def followed_countries(user_ids: list[int]) -> dict[int, set[int]]:
    followed: dict[int, set[int]] = defaultdict(set)
    rows = [
        Preferences.countries.through.objects.filter(preferences__user_id__in=user_ids).values_list(
            "preferences__user_id", "country_id"
        ),
        OrganizationMember.objects.filter(
            user_id__in=user_ids,
            organization__alliance_memberships__status=MembershipStatus.APPROVED,
        ).values_list("user_id", "organization__alliance_memberships__alliance__country_id"),
        User.coordinated_alliances.through.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "alliance__country_id"
        ),
        InitiativeRole.objects.active()
        .filter(user_id__in=user_ids)
        .values_list("user_id", "initiative__country_id"),
    ]
    for queryset in rows:
        for user_id, country_id in queryset:
            followed[user_id].add(country_id)
    return followed


def country_news(country_ids: set[int], since: datetime, now: datetime) -> dict[int, CountryNews]:
    """Everything new in these countries since ``since``, fetched once for a whole chunk."""
    news: dict[int, CountryNews] = defaultdict(CountryNews)
    adopted = Q(milestone__priority__roadmap__status=RoadmapStatus.ADOPTED)
    for update in (
        MilestoneUpdate.objects.with_standing()
        .filter(
            adopted,
            created_at__gte=since,
            milestone__priority__roadmap__initiative__country_id__in=country_ids,
        )
        .select_related("milestone__priority__roadmap__initiative")
        .order_by("created_at")
    ):
        news[update.milestone.priority.roadmap.initiative.country_id].updates.append(update)
    for assessment in (
        Assessment.objects.filter(
            created_at__gte=since,
            update__milestone__priority__roadmap__status=RoadmapStatus.ADOPTED,
            update__milestone__priority__roadmap__initiative__country_id__in=country_ids,
        )
        .select_related("update__milestone__priority__roadmap__initiative")
        .order_by("created_at")
    ):
        news[assessment.update.milestone.priority.roadmap.initiative.country_id].assessments.append(
            assessment
        )
    for roadmap in Roadmap.objects.filter(
        status=RoadmapStatus.ADOPTED, adopted_at__gte=since, initiative__country_id__in=country_ids
    ).select_related("initiative"):
        news[roadmap.initiative.country_id].adoptions.append(roadmap)
    for consultation in Consultation.objects.filter(
        Q(created_at__gte=since) | Q(deadline__gt=now, deadline__lte=now + timedelta(days=7)),
        initiative__country_id__in=country_ids,
    ).select_related("initiative"):
        news[consultation.initiative.country_id].consultations.append(consultation)
    for membership in AllianceMembership.objects.filter(
        status=MembershipStatus.APPROVED,
        decided_at__gte=since,
        alliance__country_id__in=country_ids,
    ).select_related("organization", "alliance"):
        news[membership.alliance.country_id].new_members.append(membership)
    for event in (
        Event.objects.filter(
            initiative__country_id__in=country_ids,
            status__in=[EventStatus.SCHEDULED, EventStatus.POSTPONED],
            visibility__in=[EventVisibility.PUBLIC, EventVisibility.MEMBERS],
            starts_at__gt=now,
            starts_at__lte=now + timedelta(days=UPCOMING_DAYS),
        )
        .select_related("initiative")
        .order_by("starts_at")
    ):
        news[event.initiative.country_id].events.append(event)
    return news


# The chunks of a run (one ``now``) ask for the news of nearly the same countries: a worker
# fetches each country's news once per run and keeps it for the chunks that follow.
_news: OrderedDict[tuple[datetime, datetime], dict[int, CountryNews | None]] = OrderedDict()
NEWS_MEMO_RUNS = 2


def news_of(country_ids: set[int], since: datetime, now: datetime) -> dict[int, CountryNews]:
    """country_news() of these countries, fetching only those this run has not seen."""
    known = _news.setdefault((since, now), {})
    _news.move_to_end((since, now))
    while len(_news) > NEWS_MEMO_RUNS:
        _news.popitem(last=False)
    missing = country_ids - known.keys()
    if missing:
        fetched = country_news(missing, since, now)
        for pk in missing:
            known[pk] = fetched.get(pk)
    return {pk: known[pk] for pk in country_ids if known[pk] is not None}


def _since(items: list[Any], attribute: str, moment: datetime) -> list[Any]:
    return [item for item in items if getattr(item, attribute) >= moment]


@dataclass
class CountrySection:
    country: Country
    updates: list[Any]
    assessments: list[Any]
    disputes: int
    adoptions: list[Any]
    consultations: list[Any]
    public_new_members: list[Any]
    new_member_count: int
    events: list[Any]
    # Rendered by render_sections().
    news_text: str = ""
    news_html: str = ""
    dated_text: str = ""
    dated_html: str = ""

    @property
    def is_empty(self) -> bool:
        # Upcoming events alone do not make a digest: they are a reminder, not news.
        return not (
            self.updates
            or self.assessments
            or self.adoptions
            or self.consultations
            or self.new_member_count
        )


def sections_for(
    followed: set[int], news: dict[int, CountryNews], countries: dict[int, Country], since: datetime
) -> list[CountrySection]:
    sections = []
    for country_id in sorted(
        followed, key=lambda pk: str(countries[pk].name) if pk in countries else ""
    ):
        if country_id not in news or country_id not in countries:
            continue
        items = news[country_id]
        new_members = _since(items.new_members, "decided_at", since)
        assessments = _since(items.assessments, "created_at", since)
        section = CountrySection(
            country=countries[country_id],
            updates=_since(items.updates, "created_at", since),
            assessments=assessments,
            disputes=sum(1 for a in assessments if a.verdict == Verdict.DISPUTES),
            adoptions=_since(items.adoptions, "adopted_at", since),
            consultations=items.consultations,
            # Only organizations that chose to be public are named; the others are counted.
            public_new_members=[
                m
                for m in new_members
                if m.organization.visibility == OrganizationVisibility.PUBLIC
                and m.organization.status == OrganizationStatus.VERIFIED
            ],
            new_member_count=len(new_members),
            events=items.events,
        )
        if not section.is_empty:
            sections.append(section)
    return sections


# A country's section reads the same for everyone with the same language (and time zone,
# for its part with dates) in a run: it is rendered once and kept, across the chunks a
# worker builds, under a key that names the run's moment. Rendering every section for every
# person made rendering nine tenths of the cost of a digest.
FRAGMENT_MEMO_SIZE = 2048
_fragments: OrderedDict[tuple, SafeString] = OrderedDict()


def fragment(template: str, key: tuple, section: CountrySection) -> SafeString:
    """``template`` rendered for ``section`` under the active language and time zone."""
    key = (template, *key)
    if key in _fragments:
        _fragments.move_to_end(key)
        return _fragments[key]
    rendered = mark_safe(  # noqa: S308 (a template's output, escaped by the template)
        render_to_string(
            f"emails/{template}",
            {"section": section, "portal_url": settings.PORTAL_BASE_URL.rstrip("/")},
        )
    )
    _fragments[key] = rendered
    if len(_fragments) > FRAGMENT_MEMO_SIZE:
        _fragments.popitem(last=False)
    return rendered


def render_sections(
    sections: list[CountrySection], recipient: User, since: datetime, now: datetime
) -> None:
    """Give each section its rendered parts, in the recipient's language and time zone."""
    language, tz = recipient_locale(recipient)
    with translation.override(language), timezone.override(tz):
        for section in sections:
            news = (section.country.pk, since, now, language)
            dated = (*news, tz.key)
            section.news_text = fragment("digest_news.txt", news, section)
            section.news_html = fragment("digest_news.html", news, section)
            section.dated_text = fragment("digest_dated.txt", dated, section)
            section.dated_html = fragment("digest_dated.html", dated, section)


def digests_build(*, frequency: str, user_ids: list[int], now: datetime | None = None) -> int:
    """Write the digests of one chunk of people. Returns how many were written."""
    now = now or timezone.now()
    key = period_key(frequency, now)
    users = list(
        User.objects.filter(pk__in=user_ids, is_active=True).select_related(
            "notification_preferences"
        )
    )
    if not users:
        return 0
    default_since = now - PERIODS[frequency]

    def since_of(user: User) -> datetime:
        preferences = getattr(user, "notification_preferences", None)
        last = preferences.last_digest_at if preferences else None
        return max(last, default_since - PERIODS[frequency]) if last else default_since

    followed = followed_countries([user.pk for user in users])
    all_countries = set().union(*followed.values()) if followed else set()
    earliest = min(since_of(user) for user in users)
    news = news_of(all_countries, earliest, now)
    countries = {country.pk: country for country in Country.objects.filter(pk__in=all_countries)}

    rows = []
    for user in users:
        sections = sections_for(followed.get(user.pk, set()), news, countries, since_of(user))
        if not sections:
            continue
        render_sections(sections, user, since_of(user), now)
        rows.append(
            Notification(
                recipient=user,
                to_email=user.email,
                kind="digest",
                category=Category.DIGESTS,
                dedupe_key=f"digest:{frequency}:{key}:{user.pk}",
                **render_email(
                    recipient=user,
                    template="digest",
                    context={
                        "frequency": frequency,
                        "sections": sections,
                        "since": since_of(user),
                        "portal": absolute_url("/"),
                    },
                    category=Category.DIGESTS,
                ),
            )
        )
    with transaction.atomic():
        written = outbox_write(rows)
        Preferences.objects.filter(user_id__in=[user.pk for user in users]).update(
            last_digest_at=now
        )
        Preferences.objects.bulk_create(
            [
                Preferences(user=user, last_digest_at=now)
                for user in users
                if not hasattr(user, "notification_preferences")
            ],
            ignore_conflicts=True,
        )
    return len(written)


def digest_chunks(frequency: str) -> list[list[int]]:
    ids = digest_recipient_ids(frequency)
    size = settings.DIGEST_CHUNK_SIZE
    return [ids[start : start + size] for start in range(0, len(ids), size)]
