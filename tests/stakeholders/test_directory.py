"""The organization directory: only what the viewer may see, searchable, filterable."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stakeholders.filters import search_organizations
from stakeholders.models import Organization, OrganizationStatus, OrganizationVisibility, Theme
from tests.stakeholders.factories import (
    AllianceMembershipFactory,
    OrganizationFactory,
    OrganizationMemberFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def page(response) -> str:
    return response.content.decode()


@pytest.fixture
def directory(world):
    """Kenyan and Pakistani organizations of every visibility and status."""
    firearms = Theme.objects.get(slug="firearms")
    trafficking = Theme.objects.get(slug="trafficking-in-persons")
    public = OrganizationFactory(
        name="Coastal Firearms Watch",
        acronym="CFW",
        country=world.kenya,
        kind="ngo",
        description="Monitors small arms along the coast.",
    )
    public.themes.add(firearms)
    academic = OrganizationFactory(
        name="Lahore Institute of Criminology",
        acronym="LIC",
        country=world.pakistan,
        kind="academia",
        visibility=OrganizationVisibility.REGISTERED,
        description="Research on human trafficking routes.",
    )
    academic.themes.add(trafficking)
    secret = AllianceMembershipFactory(
        alliance=world.kenya_alliance,
        organization=OrganizationFactory(
            name="Quiet Shelter",
            country=world.kenya,
            visibility=OrganizationVisibility.ALLIANCE,
            description="Shelters survivors of trafficking; location confidential.",
        ),
    ).organization
    secret.themes.add(trafficking)
    pending = OrganizationFactory(
        name="Pending Trafficking Project",
        country=world.kenya,
        status=OrganizationStatus.PENDING,
        description="Trafficking work awaiting review.",
    )
    return {"public": public, "academic": academic, "secret": secret, "pending": pending}


# --- Visibility ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("visitor", {"public"}),
        ("registered", {"public", "academic"}),
        ("org_admin", {"public", "academic", "secret"}),
        ("coordinator", {"public", "academic", "secret"}),
        ("focal_point", {"public", "academic"}),
        ("other_focal_point", {"public", "academic"}),
        ("staff", {"public", "academic", "secret"}),
    ],
)
def test_the_directory_lists_verified_organizations_the_viewer_may_see(
    world, client_for, directory, persona, expected
):
    content = page(client_for(persona).get("/organizations/"))
    # world.organization (public, verified) is listed for everyone.
    listed = {key for key, org in directory.items() if org.name in content}
    assert listed == expected
    count = len(expected) + 1
    assert f"{count} organizations" in content


def test_own_pending_organization_is_not_in_the_directory(world, client_for, directory):
    OrganizationMemberFactory(user=world["registered"], organization=directory["pending"])
    content = page(client_for("registered").get("/organizations/"))
    assert "Pending Trafficking Project" not in content


def test_a_hidden_organization_is_absent_from_search_results_and_counts(
    world, client_for, directory
):
    content = page(client_for("registered").get("/organizations/", {"q": "shelter"}))
    assert "Quiet Shelter" not in content
    assert "0 organizations" in content
    assert "No organization matches this search." in content

    trafficking = page(client_for("registered").get("/organizations/", {"q": "trafficking"}))
    assert "Lahore Institute of Criminology" in trafficking
    assert "Quiet Shelter" not in trafficking
    assert "Pending Trafficking Project" not in trafficking
    assert "1 organization" in trafficking


# --- Search and filters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Firearms", "Coastal Firearms Watch"),  # name
        ("CFW", "Coastal Firearms Watch"),  # acronym
        ("small arms", "Coastal Firearms Watch"),  # description
        ("criminology", "Lahore Institute of Criminology"),
    ],
)
def test_search_finds_organizations_by_name_acronym_and_description(
    world, client_for, directory, query, found
):
    content = page(client_for("registered").get("/organizations/", {"q": query}))
    assert found in content
    assert "1 organization" in content


def test_filters_by_country_kind_and_theme(world, client_for, directory):
    client = client_for("registered")
    by_country = page(client.get("/organizations/", {"country": "PK"}))
    assert "Lahore Institute" in by_country
    assert "Coastal Firearms Watch" not in by_country

    by_kind = page(client.get("/organizations/", {"kind": "academia"}))
    assert "Lahore Institute" in by_kind
    assert "Coastal Firearms Watch" not in by_kind

    by_theme = page(client.get("/organizations/", {"theme": "firearms"}))
    assert "Coastal Firearms Watch" in by_theme
    assert "Lahore Institute" not in by_theme

    combined = page(client.get("/organizations/", {"country": "KE", "theme": "firearms"}))
    assert "1 organization" in combined


def test_an_unknown_filter_value_does_not_break_the_page(world, client_for, directory):
    response = client_for("visitor").get("/organizations/", {"country": "ZZ", "theme": "nope"})
    assert response.status_code == 200
    assert "Coastal Firearms Watch" in page(response)


def test_the_directory_is_paginated_by_twenty(world, client_for):
    for n in range(25):
        OrganizationFactory(name=f"Paged Organization {n:02d}", country=world.kenya)
    client = client_for("visitor")
    first = page(client.get("/organizations/"))
    assert "26 organizations" in first  # with world.organization
    assert "Page 1 of 2" in first
    assert first.count('class="card mb-3"') == 20
    second = page(client.get("/organizations/", {"page": 2}))
    assert second.count('class="card mb-3"') == 6
    assert "Paged Organization 24" in second


def test_pagination_keeps_the_search(world, client_for):
    for n in range(22):
        OrganizationFactory(name=f"Delta Group {n:02d}", country=world.kenya)
    content = page(client_for("visitor").get("/organizations/", {"q": "delta"}))
    assert "22 organizations" in content
    assert "q=delta" in content
    assert "page=2" in content


def test_the_directory_has_an_empty_state(client, db):
    content = page(client.get("/organizations/"))
    assert "No organization is listed yet." in content
    assert content.count("<h1") == 1


def test_the_directory_works_without_javascript_as_a_plain_get_form(client, db):
    content = page(client.get("/organizations/"))
    assert 'method="get"' in content
    assert 'name="q"' in content


@pytest.mark.parametrize("persona", ["visitor", "registered"])
def test_the_directory_runs_the_same_queries_whatever_the_number_of_organizations(
    world, client_for, django_assert_num_queries, persona
):
    themes = list(Theme.objects.all()[:3])

    def add(count):
        for _ in range(count):
            organization = OrganizationFactory(country=world.kenya)
            organization.themes.set(themes)

    client = client_for(persona)
    add(3)
    client.get("/")  # the first request of a session saves it
    with CaptureQueriesContext(connection) as small:
        client.get("/organizations/", {"kind": "ngo"})
    # The list itself: count, page, themes; and the filter's country and theme choices.
    assert len(small.captured_queries) <= 10
    add(17)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get("/organizations/", {"kind": "ngo"})
    assert "21 organizations" in page(response)


# --- Full-text search on PostgreSQL --------------------------------------------------------------


@pytest.mark.postgres
def test_full_text_search_ranks_name_matches_above_description_matches(world, client_for):
    OrganizationFactory(
        name="Youth Network", country=world.kenya, description="Mentions corruption once."
    )
    OrganizationFactory(
        name="Anti-Corruption Coalition",
        country=world.kenya,
        description="A coalition of groups.",
    )
    content = page(client_for("visitor").get("/organizations/", {"q": "corruption"}))
    assert "2 organizations" in content
    assert "most relevant first" in content
    assert content.index("Anti-Corruption Coalition") < content.index("Youth Network")


@pytest.mark.postgres
def test_full_text_search_understands_web_search_syntax(world, client_for):
    OrganizationFactory(
        name="Border Monitors", country=world.kenya, description="Migrant smuggling."
    )
    OrganizationFactory(name="Harbour Monitors", country=world.kenya, description="Port crime.")
    client = client_for("visitor")
    content = page(client.get("/organizations/", {"q": "monitors -smuggling"}))
    assert "Harbour Monitors" in content
    assert "Border Monitors" not in content
    quoted = page(client.get("/organizations/", {"q": '"port crime"'}))
    assert "Harbour Monitors" in quoted
    assert "Border Monitors" not in quoted


@pytest.mark.postgres
def test_full_text_search_uses_the_gin_index(world):
    OrganizationFactory(country=world.kenya)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = search_organizations(Organization.objects.all(), "coalition").explain()
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "organization_search_document_idx" in plan


@pytest.mark.postgres
def test_the_search_document_follows_every_kind_of_write(world):
    """The trigger keeps the stored document right whatever wrote the row: ``save()``,
    ``update()`` or a bulk insert."""
    organization = OrganizationFactory(country=world.kenya, name="Harbour Watch")

    def found(word):
        return list(search_organizations(Organization.objects.all(), word))

    assert found("harbour") == [organization]
    organization.name = "Lighthouse Network"
    organization.save()
    assert found("lighthouse") == [organization]
    assert found("harbour") == []
    Organization.objects.filter(pk=organization.pk).update(description="Ferry crossings.")
    assert found("ferry") == [organization]
    Organization.objects.bulk_create(
        [OrganizationFactory.build(country=world.kenya, name="Estuary Forum", slug="estuary")]
    )
    assert found("estuary") == [Organization.objects.get(slug="estuary")]
