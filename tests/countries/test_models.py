import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from countries.models import Country, Initiative, InitiativeStatus

pytestmark = pytest.mark.django_db


def test_a_country_has_at_most_one_open_initiative(kenya_initiative, initiative_factory):
    with pytest.raises(IntegrityError), transaction.atomic():
        initiative_factory(country=kenya_initiative.country, status=InitiativeStatus.EXPLORATORY)


def test_a_suspended_initiative_still_counts_as_open(kenya, initiative_factory):
    initiative_factory(country=kenya, status=InitiativeStatus.SUSPENDED)
    with pytest.raises(IntegrityError), transaction.atomic():
        initiative_factory(country=kenya)


def test_a_new_initiative_may_follow_a_concluded_one(kenya_initiative, initiative_factory):
    kenya_initiative.status = InitiativeStatus.CONCLUDED
    kenya_initiative.save()
    initiative_factory(country=kenya_initiative.country, status=InitiativeStatus.EXPLORATORY)
    assert Initiative.objects.filter(country=kenya_initiative.country).count() == 2
    assert Initiative.objects.open().get().status == InitiativeStatus.EXPLORATORY


def test_validation_explains_the_one_open_initiative_rule(kenya_initiative):
    second = Initiative(country=kenya_initiative.country, title="Second", status="launched")
    with pytest.raises(ValidationError, match="already has an open initiative"):
        second.full_clean()


def test_database_rejects_an_unknown_status(kenya_initiative):
    with pytest.raises(IntegrityError), transaction.atomic():
        Initiative.objects.filter(pk=kenya_initiative.pk).update(status="abandoned")


def test_database_rejects_an_unknown_risk_level(kenya):
    with pytest.raises(IntegrityError), transaction.atomic():
        Country.objects.filter(pk=kenya.pk).update(risk_level="extreme")


def test_country_names_and_slugs_come_from_the_iso_code(kenya):
    assert str(kenya) == "Kenya"
    assert kenya.slug == "ke"
    assert kenya.get_absolute_url() == "/countries/ke/"
