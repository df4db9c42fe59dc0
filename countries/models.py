from __future__ import annotations

import functools
from typing import TYPE_CHECKING, ClassVar

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField

if TYPE_CHECKING:
    from stakeholders.models import User


@functools.lru_cache(maxsize=2048)
def translated_name(code: str, language: str | None) -> str:
    """A country's name in a language. Looking it up costs a translation catalog search
    each time, and pages list every country (the home page, each country filter): the
    names, fixed for a given release, are looked up once per language."""
    return str(countries.name(code))


class UNRegionalGroup(models.TextChoices):
    AFRICAN = "african", _("African States")
    ASIA_PACIFIC = "asia_pacific", _("Asia-Pacific States")
    EASTERN_EUROPEAN = "eastern_european", _("Eastern European States")
    LATIN_AMERICAN_CARIBBEAN = "grulac", _("Latin American and Caribbean States")
    WESTERN_EUROPEAN_OTHER = "weog", _("Western European and other States")


class RiskLevel(models.TextChoices):
    STANDARD = "standard", _("Standard")
    ELEVATED = "elevated", _("Elevated")
    HIGH = "high", _("High")


@functools.cache
def _country_time_zones() -> dict[str, str]:
    """Each country's main time zone: the first the time zone database lists for it."""
    from importlib.resources import files

    zones: dict[str, str] = {}
    table = files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    for line in table.splitlines():
        if line and not line.startswith("#"):
            code, _coordinates, zone, *_rest = line.split("\t")
            zones.setdefault(code, zone)
    return zones


def country_time_zone(code: str) -> str | None:
    return _country_time_zones().get(str(code).upper())


class Country(models.Model):
    """A UN member state. Its risk level, set by CSU staff, makes privacy defaults stricter."""

    code = CountryField(_("country"), unique=True)
    un_regional_group = models.CharField(
        _("UN regional group"), max_length=20, choices=UNRegionalGroup.choices
    )
    risk_level = models.CharField(
        _("risk level"),
        max_length=10,
        choices=RiskLevel.choices,
        default=RiskLevel.STANDARD,
        help_text=_(
            "Elevated and high risk hide member and attendee lists by default and encourage "
            "pseudonyms."
        ),
    )

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(un_regional_group__in=UNRegionalGroup.values),
                name="country_un_regional_group_valid",
            ),
            models.CheckConstraint(
                condition=Q(risk_level__in=RiskLevel.values), name="country_risk_level_valid"
            ),
        ]

    def __str__(self) -> str:
        return str(self.name)

    def get_absolute_url(self) -> str:
        return reverse("country_detail", kwargs={"code": self.slug})

    @property
    def name(self) -> str:
        return translated_name(str(self.code), get_language())

    @property
    def slug(self) -> str:
        return str(self.code).lower()

    @property
    def is_at_risk(self) -> bool:
        return self.risk_level != RiskLevel.STANDARD


class InitiativeStatus(models.TextChoices):
    EXPLORATORY = "exploratory", _("Exploratory")
    CONSULTATIONS = "consultations", _("Consultations")
    LAUNCHED = "launched", _("Launched")
    ROADMAP_DRAFTING = "roadmap_drafting", _("Roadmap drafting")
    ROADMAP_ADOPTED = "roadmap_adopted", _("Roadmap adopted")
    IMPLEMENTING = "implementing", _("Implementing")
    REVIEWING = "reviewing", _("Reviewing")
    CONCLUDED = "concluded", _("Concluded")
    SUSPENDED = "suspended", _("Suspended")


# A country runs at most one initiative that has not concluded. A suspended one is still
# open: it resumes rather than being replaced.
CLOSED_STATUSES = (InitiativeStatus.CONCLUDED,)


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Registered members only")


class InitiativeQuerySet(models.QuerySet["Initiative"]):
    def open(self) -> InitiativeQuerySet:
        return self.exclude(status__in=CLOSED_STATUSES)

    def visible_to(self, user: User | None) -> InitiativeQuerySet:
        """What this person may see: members-only initiatives need a signed-in person."""
        if user is not None and user.is_authenticated:
            return self.all()
        return self.filter(visibility=Visibility.PUBLIC)


# modeltranslation replaces the manager class at runtime, which the type checker cannot
# follow: the manager is named here and declared on the model, with its default manager.
InitiativeManager = models.Manager.from_queryset(InitiativeQuerySet)


class Initiative(models.Model):
    """A Voluntary Pilot Initiative: one country's government and civil society working
    together against organized crime."""

    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="initiatives", verbose_name=_("country")
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.EXPLORATORY,
    )
    launched_on = models.DateField(_("launched on"), null=True, blank=True)
    lead_ministry = models.CharField(_("lead ministry"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        help_text=_("A members-only initiative is hidden from visitors who are not signed in."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects: ClassVar[InitiativeManager[Initiative]] = InitiativeManager()
    if TYPE_CHECKING:
        _default_manager: ClassVar[InitiativeManager[Initiative]]

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["country__code", "-launched_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["country"],
                condition=~Q(status__in=CLOSED_STATUSES),
                name="initiative_one_open_per_country",
                violation_error_message=_(
                    "This country already has an open initiative. Conclude it before starting "
                    "another."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=InitiativeStatus.values), name="initiative_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="initiative_visibility_valid"
            ),
        ]
        indexes = [models.Index(fields=["visibility", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.country.get_absolute_url()

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES
