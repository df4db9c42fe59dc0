"""Demo data: the four VPI countries and their initiatives, for local use only.

``seed_countries()`` comes first in ``seed_demo``: every other app's demo builds on these
initiatives.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models, transaction

from .models import Country, Initiative, InitiativeStatus, RiskLevel, UNRegionalGroup

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class DemoInitiative:
    code: str
    region: str
    risk_level: str
    title: str
    status: str
    launched_on: datetime.date | None
    lead_ministry: str
    summary: str


INITIATIVES = [
    DemoInitiative(
        code="MX",
        region=UNRegionalGroup.LATIN_AMERICAN_CARIBBEAN,
        risk_level=RiskLevel.ELEVATED,
        title="Voluntary Pilot Initiative in Mexico",
        status=InitiativeStatus.IMPLEMENTING,
        launched_on=datetime.date(2022, 3, 1),
        lead_ministry="Ministry of Foreign Affairs",
        summary=(
            "Mexico ran the first Voluntary Pilot Initiative. Government institutions and "
            "non-governmental stakeholders held separate consultations, met in a joint "
            "workshop in thematic groups and agreed on country-specific priorities to "
            "prevent and counter organized crime, which now guide a common roadmap."
        ),
    ),
    DemoInitiative(
        code="PK",
        region=UNRegionalGroup.ASIA_PACIFIC,
        risk_level=RiskLevel.STANDARD,
        title="Voluntary Pilot Initiative in Pakistan",
        status=InitiativeStatus.IMPLEMENTING,
        launched_on=datetime.date(2022, 11, 1),
        lead_ministry="Ministry of Interior",
        summary=(
            "Pakistan's VPI brought together more than 35 civil society organizations and 65 "
            "government experts. A National Civil Society Alliance of about 50 members "
            "follows up the agreed priorities with the government focal points."
        ),
    ),
    DemoInitiative(
        code="KE",
        region=UNRegionalGroup.AFRICAN,
        risk_level=RiskLevel.STANDARD,
        title="Voluntary Pilot Initiative in Kenya",
        status=InitiativeStatus.ROADMAP_ADOPTED,
        launched_on=datetime.date(2023, 6, 1),
        lead_ministry="Office of the Attorney-General and Department of Justice",
        summary=(
            "Kenya's VPI opened a space for dialogue between government experts and civil "
            "society on trafficking in persons, smuggling of migrants and firearms. Kenyan "
            "organizations fed grassroots inputs into a draft law on human trafficking and "
            "migrant smuggling."
        ),
    ),
    DemoInitiative(
        code="AO",
        region=UNRegionalGroup.AFRICAN,
        risk_level=RiskLevel.STANDARD,
        title="Voluntary Pilot Initiative in Angola",
        status=InitiativeStatus.CONSULTATIONS,
        launched_on=None,
        lead_ministry="Ministry of Justice and Human Rights",
        summary=(
            "Angola followed Mexico, Pakistan and Kenya. Consultations with non-governmental "
            "stakeholders and with government institutions prepare the joint workshop that "
            "will agree on the country's priorities."
        ),
    ),
]


def upsert(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
    """get_or_create that saves an existing row only when a value differs, so that a
    second run leaves every row (and its timestamps) as it was."""
    obj, created = model.objects.get_or_create(**lookup, defaults=values)
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not created and changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
    return obj


@transaction.atomic
def seed_countries() -> dict[str, int]:
    """Create or update the demo countries and initiatives. Running it again changes nothing."""
    for item in INITIATIVES:
        country = upsert(
            Country,
            {"code": item.code},
            {"un_regional_group": item.region, "risk_level": item.risk_level},
        )
        upsert(
            Initiative,
            {"country": country, "title": item.title},
            {
                "status": item.status,
                "launched_on": item.launched_on,
                "lead_ministry": item.lead_ministry,
                "summary": item.summary,
                "visibility": "public",
            },
        )
    return {"countries": Country.objects.count(), "initiatives": Initiative.objects.count()}
