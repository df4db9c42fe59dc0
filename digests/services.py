"""Write the digests of a chunk of recipients to the outbox.

Each recipient's digest holds only what ``digests.selectors.news_for`` found that recipient
may open. A block of news that is public to everyone reads the same for every recipient of
a run in one language and time zone: it is rendered once and kept (``public_block``).
Every other block is rendered for its one recipient and never kept.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from countries.models import Country
from notifications.models import Category, DigestFrequency, Notification, Preferences
from notifications.services import (
    absolute_url,
    outbox_write,
    recipient_locale,
    render_email,
    render_text,
)
from stakeholders.models import User
from stakeholders.standing import preload_standings

from .selectors import (
    Block,
    CountryNews,
    PublicItems,
    digest_recipient_ids,
    followed_countries,
    followed_things,
    news_for,
    run_candidates,
)

PERIODS: dict[str, timedelta] = {
    DigestFrequency.DAILY: timedelta(days=1),
    DigestFrequency.WEEKLY: timedelta(days=7),
}


def period_key(frequency: str, now: datetime) -> str:
    if frequency == DigestFrequency.DAILY:
        return now.date().isoformat()
    year, week, _ = now.isocalendar()
    return f"{year}-W{week:02d}"


def render_block(template: str, block: Block, country: Country) -> SafeString:
    """One block of a country's news in the active language and time zone."""
    context = {
        "block": block,
        "country": country,
        "portal_url": settings.PORTAL_BASE_URL.rstrip("/"),
    }
    # A text part is not HTML: rendered unescaped, as every email's text part is.
    render = render_text if template.endswith(".txt") else render_to_string
    return mark_safe(render(f"emails/{template}", context))  # noqa: S308 (template output)


# Public blocks are kept across the chunks a worker builds, under a key that names the run's
# moment, the block's country and period, and the language and time zone it was written in.
PUBLIC_BLOCK_MEMO_SIZE = 4096
DATED_BLOCKS = {"consultations", "events"}
_public_blocks: OrderedDict[tuple, SafeString] = OrderedDict()


def public_block(template: str, key: tuple, block: Block, country: Country) -> SafeString:
    """``render_block`` of a block that is public to everyone, rendered once per key."""
    assert block.is_public, "only a block public to everyone may be shared"  # noqa: S101
    key = (template, *key)
    if key in _public_blocks:
        _public_blocks.move_to_end(key)
        return _public_blocks[key]
    rendered = _public_blocks[key] = render_block(template, block, country)
    if len(_public_blocks) > PUBLIC_BLOCK_MEMO_SIZE:
        _public_blocks.popitem(last=False)
    return rendered


def sections_of(
    news: list[CountryNews],
    countries: dict[int, Country],
    key: tuple,
) -> list[dict[str, Any]]:
    """Each country's blocks rendered under the active language and time zone."""
    sections: list[dict[str, Any]] = []
    for country_news in news:
        text, html = [], []
        country = countries[country_news.country_id]
        for block in country_news.blocks:
            if block.is_public:
                block_key = (*key, country_news.country_id, block.name)
                if block.name not in DATED_BLOCKS:
                    block_key = block_key[:3] + block_key[4:]  # no time zone in it
                text.append(public_block("digest_block.txt", block_key, block, country))
                html.append(public_block("digest_block.html", block_key, block, country))
            else:
                text.append(render_block("digest_block.txt", block, country))
                html.append(render_block("digest_block.html", block, country))
        sections.append(
            {
                "country": country,
                "whole_country": country_news.whole_country,
                "text": mark_safe("".join(text)),  # noqa: S308 (joined template output)
                "html": mark_safe("".join(html)),  # noqa: S308 (joined template output)
            }
        )
    sections.sort(key=lambda section: str(section["country"].name))
    return sections


def digests_build(*, frequency: str, user_ids: list[int], now: datetime | None = None) -> int:
    """Write the digests of one chunk of people. Returns how many were written."""
    now = now or timezone.now()
    period = period_key(frequency, now)
    users = list(
        User.objects.filter(pk__in=user_ids, is_active=True).select_related(
            "notification_preferences"
        )
    )
    if not users:
        return 0
    # The rules asked below about each recipient read the recipient's standing: load it for
    # the whole chunk in one query.
    preload_standings(users)
    default_since = now - PERIODS[frequency]

    def since_of(user: User) -> datetime:
        preferences = getattr(user, "notification_preferences", None)
        last = preferences.last_digest_at if preferences else None
        return max(last, default_since - PERIODS[frequency]) if last else default_since

    followed = followed_countries([user.pk for user in users])
    things = followed_things([user.pk for user in users])
    all_countries = set().union(
        *followed.values(), *(followed_thing.countries for followed_thing in things.values())
    )
    earliest = min(since_of(user) for user in users)
    candidates = run_candidates(all_countries, earliest, now)
    countries = {country.pk: country for country in Country.objects.filter(pk__in=all_countries)}
    public = PublicItems()

    rows = []
    for user in users:
        since = since_of(user)
        news = news_for(
            user, followed.get(user.pk, ()), candidates, since, public, things.get(user.pk)
        )
        if not news:
            continue
        language, tz = recipient_locale(user)
        with translation.override(language), timezone.override(tz):
            sections = sections_of(news, countries, (since, now, language, tz.key))
        rows.append(
            Notification(
                recipient=user,
                to_email=user.email,
                kind="digest",
                category=Category.DIGESTS,
                dedupe_key=f"digest:{frequency}:{period}:{user.pk}",
                **render_email(
                    recipient=user,
                    template="digest",
                    context={
                        "frequency": frequency,
                        "sections": sections,
                        "since": since,
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
