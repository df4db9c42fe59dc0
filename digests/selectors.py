"""What a digest may tell one recipient.

A chunk of recipients shares one read of the candidate news of the countries they follow
(``news_candidates``): it is for nobody's eyes as it is. ``news_for`` then asks the rules,
for each recipient and each item, whether that recipient may open it on a page, with the
same permissions the pages ask (``roadmaps.view_roadmap``, ``consultations.view_consultation``,
``events.view_event``, ``stakeholders.view_alliance_members`` and
``stakeholders.view_organization``). What a visitor may open is public to everyone: only
that may be rendered once and shared between recipients (``Block.is_public``).
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from consultations.models import Consultation, ConsultationStatus
from events.models import Event, EventStatus, EventVisibility
from notifications.models import Follow, Preferences
from roadmaps.models import (
    Assessment,
    Milestone,
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
    User,
)

UPCOMING_DAYS = 14
VISITOR = AnonymousUser()


def digest_recipient_ids(frequency: str) -> list[int]:
    """Everyone who wants this frequency. Without saved preferences a person gets the
    default, a weekly digest."""
    wants = Q(notification_preferences__digest_frequency=frequency)
    if frequency == Preferences._meta.get_field("digest_frequency").default:
        wants |= Q(notification_preferences__isnull=True)
    # By language and time zone, so that the people of a chunk share the public blocks.
    return list(
        User.objects.filter(wants, is_active=True)
        .order_by("preferred_language", "time_zone", "pk")
        .values_list("pk", flat=True)
    )


def followed_countries(user_ids: list[int]) -> dict[int, set[int]]:
    """The countries each person follows: chosen in their preferences, or theirs through an
    alliance membership, a coordinator's seat or an initiative role."""
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


@dataclass
class FollowedThings:
    """What a person follows beyond countries: milestones (by their first version's key, so
    that a revision keeps them), the initiatives of the roadmaps they follow, consultations
    and events; and the countries these are in."""

    milestones: set[int] = field(default_factory=set)
    initiatives: set[int] = field(default_factory=set)
    consultations: set[int] = field(default_factory=set)
    events: set[int] = field(default_factory=set)
    countries: set[int] = field(default_factory=set)

    def covers(self, block: str, item: Any) -> bool:
        """Whether ``item`` of a country's candidate news is about something followed."""
        if block in ("updates", "assessments"):
            update = item if block == "updates" else item.update
            milestone = update.milestone
            return (
                milestone.lineage_id in self.milestones
                or milestone.priority.roadmap.initiative_id in self.initiatives
            )
        if block == "adoptions":
            return item.initiative_id in self.initiatives
        if block == "consultations":
            return item.pk in self.consultations
        if block == "events":
            return item.pk in self.events
        return False


def followed_things(user_ids: list[int]) -> dict[int, FollowedThings]:
    """What each person follows with a follow button: one query for the follows, one for
    each kind of thing followed."""
    things: dict[int, FollowedThings] = defaultdict(FollowedThings)
    kinds = ContentType.objects.get_for_models(Milestone, Roadmap, Consultation, Event)
    followers: dict[tuple[int, int], list[int]] = defaultdict(list)
    for user_id, content_type_id, object_id in Follow.objects.filter(
        user_id__in=user_ids
    ).values_list("user_id", "content_type_id", "object_id"):
        followers[(content_type_id, object_id)].append(user_id)

    def each(queryset: QuerySet, *fields: str) -> Iterator[tuple[FollowedThings, int, list[Any]]]:
        """Each follower of a ``queryset`` object, with its key and ``fields``."""
        kind = kinds[queryset.model].pk
        keys = [pk for (content_type_id, pk) in followers if content_type_id == kind]
        if keys:
            for pk, *values in queryset.filter(pk__in=keys).values_list("pk", *fields):
                for user_id in followers[(kind, pk)]:
                    yield things[user_id], pk, values

    milestones = Milestone.objects.annotate(lineage=Coalesce("origin_id", "pk"))
    for followed, _pk, (lineage, country_id) in each(
        milestones, "lineage", "priority__roadmap__initiative__country_id"
    ):
        followed.milestones.add(lineage)
        followed.countries.add(country_id)
    for followed, _pk, (initiative_id, country_id) in each(
        Roadmap.objects.all(), "initiative_id", "initiative__country_id"
    ):
        followed.initiatives.add(initiative_id)
        followed.countries.add(country_id)
    for followed, pk, (country_id,) in each(Consultation.objects.all(), "initiative__country_id"):
        followed.consultations.add(pk)
        followed.countries.add(country_id)
    # An alliance's own event has no initiative: its changes are told as they happen.
    for followed, pk, (country_id,) in each(
        Event.objects.filter(initiative__isnull=False), "initiative__country_id"
    ):
        followed.events.add(pk)
        followed.countries.add(country_id)
    return things


@dataclass
class Candidates:
    """One country's news since a moment, for nobody's eyes until ``news_for`` has asked
    the rules about each item for one recipient."""

    adoptions: list[Any] = field(default_factory=list)
    updates: list[Any] = field(default_factory=list)
    assessments: list[Any] = field(default_factory=list)
    consultations: list[Any] = field(default_factory=list)
    new_members: list[Any] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)


def news_candidates(
    country_ids: Iterable[int], since: datetime, now: datetime
) -> dict[int, Candidates]:
    """Everything new in these countries since ``since``, read once for a chunk."""
    country_ids = list(country_ids)
    news: dict[int, Candidates] = defaultdict(Candidates)
    # Reported on a published version: the adopted one, or one archived since (a revision
    # adopted in the same period does not take the week's reports out of the digest).
    adopted = Q(milestone__priority__roadmap__adopted_on__isnull=False)
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
            update__milestone__priority__roadmap__adopted_on__isnull=False,
            update__milestone__priority__roadmap__initiative__country_id__in=country_ids,
        )
        .select_related("update__milestone__priority__roadmap__initiative")
        .order_by("created_at")
    ):
        country_id = assessment.update.milestone.priority.roadmap.initiative.country_id
        news[country_id].assessments.append(assessment)
    for roadmap in Roadmap.objects.filter(
        status=RoadmapStatus.ADOPTED, adopted_at__gte=since, initiative__country_id__in=country_ids
    ).select_related("initiative"):
        news[roadmap.initiative.country_id].adoptions.append(roadmap)
    for consultation in (
        Consultation.objects.filter(
            # New since the last digest, or open and closing within the week (a closed
            # one is not "closing soon": the email says it is closed).
            Q(created_at__gte=since)
            | Q(
                status=ConsultationStatus.OPEN,
                deadline__gt=now,
                deadline__lte=now + timedelta(days=7),
            ),
            initiative__country_id__in=country_ids,
        )
        .select_related("initiative")
        .order_by("deadline", "pk")
    ):
        news[consultation.initiative.country_id].consultations.append(consultation)
    for membership in (
        AllianceMembership.objects.filter(
            status=MembershipStatus.APPROVED,
            decided_at__gte=since,
            alliance__country_id__in=country_ids,
        )
        .select_related("organization", "alliance__country")
        .order_by("decided_at")
    ):
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
        assert event.initiative is not None  # filtered on the initiative's country
        news[event.initiative.country_id].events.append(event)
    return news


# The chunks of a run (one ``now``) ask for the candidates of nearly the same countries: a
# worker reads each country's once per run and keeps them for the chunks that follow. They
# are work shared, not output: nothing reaches a recipient but through ``news_for``.
_run_candidates: OrderedDict[tuple[datetime, datetime], dict[int, Candidates]] = OrderedDict()
RUNS_KEPT = 2


def run_candidates(
    country_ids: Iterable[int], since: datetime, now: datetime
) -> dict[int, Candidates]:
    """``news_candidates`` of these countries, reading only those this run has not read."""
    known = _run_candidates.setdefault((since, now), {})
    _run_candidates.move_to_end((since, now))
    while len(_run_candidates) > RUNS_KEPT:
        _run_candidates.popitem(last=False)
    wanted = set(country_ids)
    missing = wanted - known.keys()
    if missing:
        read = news_candidates(missing, since, now)
        for pk in missing:
            known[pk] = read.get(pk, Candidates())
    return {pk: known[pk] for pk in wanted}


# --- One recipient's news ------------------------------------------------------------------------

# The permission a page asks before it shows each kind of item.
PERMISSIONS = {
    "adoptions": "roadmaps.view_roadmap",
    "updates": "roadmaps.view_roadmap",
    "assessments": "roadmaps.view_roadmap",
    "consultations": "consultations.view_consultation",
    "events": "events.view_event",
}
BLOCKS = ["adoptions", "updates", "assessments", "consultations", "new_members", "events"]
# A digest lists at most this many items of a kind per country (the newest reports, the
# soonest events) and says how many more there are, with a link to the country's page.
LISTED = 10
NEWEST_FIRST = {"adoptions", "updates", "new_members"}


def may_name_member(user: Any, membership: AllianceMembership) -> bool:
    """The alliance page names a member organization to those who may see the member list
    and that organization; the others learn only how many there are."""
    return user.has_perm(
        "stakeholders.view_alliance_members", membership.alliance
    ) and user.has_perm("stakeholders.view_organization", membership.organization)


class PublicItems:
    """Which candidate items a visitor may open: public to everyone, and so the same for
    every recipient (the rules grant signed-in people at least what they grant visitors).
    Asked once per item for a chunk."""

    def __init__(self) -> None:
        self._answers: dict[tuple[str, int], bool] = {}

    def __contains__(self, key: tuple[str, Any]) -> bool:
        block, item = key
        answer = self._answers.get((block, id(item)))
        if answer is None:
            answer = self._answers[(block, id(item))] = visible(VISITOR, block, item)
        return answer


def visible(user: Any, block: str, item: Any) -> bool:
    if block == "new_members":
        return may_name_member(user, item)
    return user.has_perm(PERMISSIONS[block], item)


@dataclass
class Block:
    """The items of one kind a recipient may open, and whether each of them is public to
    everyone (then, and only then, the block reads the same for every recipient)."""

    name: str
    items: list[Any]
    is_public: bool
    # New members: how many joined (the alliance page shows every reader the total), and
    # the organizations this recipient may see named.
    total: int = 0
    # How many more items of this kind the recipient may open than the block lists.
    more: int = 0

    @property
    def disputes(self) -> int:
        return sum(1 for assessment in self.items if assessment.verdict == Verdict.DISPUTES)


@dataclass
class CountryNews:
    country_id: int
    blocks: list[Block]
    # False where the person follows only some things of the country, not the country.
    whole_country: bool = True


def _since(items: list[Any], attribute: str, moment: datetime) -> list[Any]:
    return [item for item in items if getattr(item, attribute) >= moment]


SINCE_ATTRIBUTE = {
    "adoptions": "adopted_at",
    "updates": "created_at",
    "assessments": "created_at",
    "new_members": "decided_at",
}


def news_for(
    user: Any,
    followed: Iterable[int],
    candidates: dict[int, Candidates],
    since: datetime,
    public: PublicItems,
    things: FollowedThings | None = None,
) -> list[CountryNews]:
    """The news that ``user`` may open, country by country: all of the followed countries',
    and of the other countries what is about the things the person follows."""
    news = []
    followed = list(followed)
    only_things = sorted(things.countries - set(followed)) if things else []
    for country_id in [*followed, *only_things]:
        if country_id not in candidates:
            continue
        whole_country = country_id not in only_things
        blocks = []
        for name in BLOCKS:
            items = getattr(candidates[country_id], name)
            if name in SINCE_ATTRIBUTE:
                items = _since(items, SINCE_ATTRIBUTE[name], since)
            if not whole_country:
                assert things is not None  # noqa: S101 (only_things comes from things)
                items = [item for item in items if things.covers(name, item)]
            if not items:
                continue
            # What a visitor may open, every recipient may: only the rest is asked about
            # this recipient. A block that shows this recipient just what it shows a
            # visitor is the visitor's block, the same for everyone.
            for_visitor = [item for item in items if (name, item) in public]
            if len(for_visitor) == len(items):
                shown = items
            else:
                shown = [i for i in items if (name, i) in public or visible(user, name, i)]
            # A block of some of a country's news is this reader's choice: never shared.
            is_public = whole_country and len(shown) == len(for_visitor)
            if name == "assessments":
                listed = shown  # counted, not listed
            elif name in NEWEST_FIRST:
                listed = shown[::-1][:LISTED]
            else:
                listed = shown[:LISTED]
            more = len(shown) - len(listed)
            if name == "new_members":
                blocks.append(Block(name, listed, is_public, total=len(items), more=more))
            elif shown:
                blocks.append(Block(name, listed, is_public, more=more))
        # Upcoming events alone do not make a digest: they are a reminder, not news.
        if any(block.name != "events" for block in blocks):
            news.append(CountryNews(country_id, blocks, whole_country))
    return news
