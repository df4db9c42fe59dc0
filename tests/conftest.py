from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import translation

from tests.countries.factories import CountryFactory, InitiativeFactory
from tests.stakeholders.factories import StaffFactory, UserFactory

# Every page the browser tests visit and every email's HTML part, checked by the W3C Nu Html
# Checker at the end of the session.
pytest_plugins = ["tests.support.html_validation"]


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
    # Two-factor enforcement for privileged roles has its own tests (tests/test_security.py);
    # elsewhere a signed-in persona goes straight to the page under test.
    settings.PORTAL_REQUIRE_TWO_FACTOR = False
    # Hashing a password the production way takes a noticeable time; tests make many.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Test transactions never commit, so the visitors' page cache would never hear of a change;
    # tests/test_visitor_cache.py turns it on where it is the subject.
    settings.PORTAL_PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _default_language():
    """A request leaves its language active in the thread (LocaleMiddleware, or a person's
    profile language): each test starts from the default language again."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _celery_runs_inline():
    """Tasks run in the test process (as in the embedded default), whatever REDIS_URL says.
    Tests of the real worker switch this off themselves."""
    from vpi_portal.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture
def outbox_delivery(django_capture_on_commit_callbacks):
    """``with outbox_delivery(): client.post(...)``: run what the request left for after
    commit (delivering its emails to ``mail.outbox``), as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


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


# --- Personas ------------------------------------------------------------------------------
# The seven people of the policy table in the design (and style guide). Permission matrix
# tests take `personas` and check one rule for each of them.

PERSONA_NAMES = [
    "visitor",
    "registered",
    "org_admin",
    "coordinator",
    "focal_point",
    "other_focal_point",
    "staff",
]


@dataclass
class World:
    """Kenya (own) and Pakistan (other), each with an initiative; Kenya's alliance with one
    approved member organization, whose admin is the org_admin persona."""

    kenya: Any
    kenya_initiative: Any
    kenya_alliance: Any
    organization: Any
    pakistan: Any
    pakistan_initiative: Any
    people: dict[str, Any]

    def __getitem__(self, name: str) -> Any:
        return self.people[name]


@pytest.fixture
def world(db) -> World:
    from django.contrib.auth.models import AnonymousUser

    from stakeholders.models import MemberRole
    from tests.stakeholders.factories import (
        AllianceFactory,
        AllianceMembershipFactory,
        InitiativeRoleFactory,
        OrganizationMemberFactory,
    )

    kenya = CountryFactory(code="KE")
    pakistan = CountryFactory(code="PK")
    kenya_initiative = InitiativeFactory(country=kenya)
    pakistan_initiative = InitiativeFactory(country=pakistan)
    alliance = AllianceFactory(country=kenya)
    membership = AllianceMembershipFactory(alliance=alliance)
    people = {
        "visitor": AnonymousUser(),
        "registered": UserFactory(full_name="Rita Registered", email="registered@example.org"),
        "org_admin": UserFactory(full_name="Oscar OrgAdmin", email="orgadmin@example.org"),
        "coordinator": UserFactory(full_name="Cora Coordinator", email="coordinator@example.org"),
        "focal_point": UserFactory(full_name="Fatima Focal", email="focal@example.org"),
        "other_focal_point": UserFactory(
            full_name="Omar Otherfocal", email="otherfocal@example.org"
        ),
        "staff": StaffFactory(full_name="Alice Staff", email="staff@example.org"),
    }
    OrganizationMemberFactory(
        user=people["org_admin"], organization=membership.organization, role=MemberRole.ADMIN
    )
    alliance.coordinators.add(people["coordinator"])
    InitiativeRoleFactory(user=people["focal_point"], initiative=kenya_initiative)
    InitiativeRoleFactory(user=people["other_focal_point"], initiative=pakistan_initiative)
    return World(
        kenya=kenya,
        kenya_initiative=kenya_initiative,
        kenya_alliance=alliance,
        organization=membership.organization,
        pakistan=pakistan,
        pakistan_initiative=pakistan_initiative,
        people=people,
    )


@pytest.fixture
def personas(world) -> dict[str, Any]:
    return world.people


@pytest.fixture
def client_for(world):
    """``client_for("coordinator")``: a test client signed in as that persona."""

    def make(name: str) -> Client:
        client = Client()
        if name != "visitor":
            client.force_login(world[name])
        return client

    return make
