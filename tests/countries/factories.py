import factory

from countries.models import Country, Initiative, InitiativeStatus, UNRegionalGroup

# Real ISO codes, handed out in turn so that each factory country is distinct.
CODES = ["KE", "MX", "PK", "AO", "NG", "GH", "CO", "PE", "PH", "TH", "SN", "ZA", "BR", "IN"]


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: CODES[n % len(CODES)])
    un_regional_group = UNRegionalGroup.AFRICAN


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    country = factory.SubFactory(CountryFactory)
    title = factory.LazyAttribute(lambda o: f"Voluntary Pilot Initiative in {o.country.name}")
    status = InitiativeStatus.LAUNCHED
    launched_on = factory.Faker("date_between", start_date="-4y", end_date="today")
    lead_ministry = "Ministry of Justice"
    summary = factory.Faker("paragraph")
