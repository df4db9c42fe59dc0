import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from tests.countries.factories import CountryFactory, InitiativeFactory
from tests.stakeholders.factories import StaffFactory, UserFactory


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _isolated_storage(settings, tmp_path):
    """Each test gets its own media folder and an empty cache (allauth's rate limits live
    in the cache, so one test's sign-up must not throttle the next one's)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


@pytest.fixture
def user(db):
    return UserFactory(full_name="Bob Registered")


@pytest.fixture
def staff(db):
    return StaffFactory(full_name="Alice Staff")


@pytest.fixture
def user_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def kenya(db):
    return CountryFactory(code="KE")


@pytest.fixture
def kenya_initiative(kenya):
    return InitiativeFactory(country=kenya, title="VPI Kenya", launched_on="2023-06-01")


@pytest.fixture
def country_factory(db):
    return CountryFactory


@pytest.fixture
def initiative_factory(db):
    return InitiativeFactory
