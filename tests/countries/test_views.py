import pytest
from django.urls import reverse

from countries import views
from countries.models import InitiativeStatus, UNRegionalGroup, Visibility

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(country_factory, initiative_factory):
    """A members-only initiative: visitors must not learn that it exists."""
    return initiative_factory(
        country=country_factory(code="NG"),
        title="Members-only initiative",
        visibility=Visibility.MEMBERS,
    )


def test_home_lists_the_public_initiatives_for_visitors(client, kenya_initiative, hidden):
    response = client.get("/")
    content = response.content.decode()
    assert "Kenya" in content
    assert "Nigeria" not in content
    assert "1 country runs a VPI" in content
    assert reverse("account_signup") in content


def test_home_shows_members_only_initiatives_to_signed_in_people(
    user_client, kenya_initiative, hidden
):
    content = user_client.get("/").content.decode()
    assert "Nigeria" in content
    assert "2 countries run a VPI" in content


def test_home_leaves_out_concluded_initiatives(client, kenya_initiative):
    kenya_initiative.status = InitiativeStatus.CONCLUDED
    kenya_initiative.save()
    assert "Kenya" not in client.get("/").content.decode()


def test_home_says_so_when_nothing_is_published(client, db):
    assert "No initiative has been published yet." in client.get("/").content.decode()


def test_country_page_shows_the_initiative(client, kenya_initiative):
    response = client.get("/countries/ke/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in content
    assert content.count("<h1") == 1
    assert "VPI Kenya" in content
    assert kenya_initiative.lead_ministry in content
    assert "June 1, 2023" in content


def test_country_codes_are_case_insensitive(client, kenya_initiative):
    assert client.get("/countries/KE/").status_code == 200


def test_members_only_initiative_is_a_404_for_visitors(client, hidden):
    response = client.get("/countries/ng/")
    assert response.status_code == 404
    assert "Members-only" not in response.content.decode()


def test_members_only_initiative_is_shown_to_signed_in_people(user_client, hidden):
    response = user_client.get("/countries/ng/")
    assert response.status_code == 200
    assert "Members only" in response.content.decode()


@pytest.mark.parametrize("code", ["zz", "xx1", "kenya", "ke"])
def test_unknown_country_or_country_without_initiative_answers_the_sites_404(client, db, code):
    response = client.get(f"/countries/{code}/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Page not found" in content
    assert "VPI Portal" in content


def test_country_page_lists_earlier_concluded_initiatives(
    client, kenya_initiative, initiative_factory
):
    kenya_initiative.status = InitiativeStatus.CONCLUDED
    kenya_initiative.save()
    initiative_factory(
        country=kenya_initiative.country, title="Second VPI Kenya", launched_on="2026-01-01"
    )
    content = client.get("/countries/ke/").content.decode()
    assert "Second VPI Kenya" in content
    assert "Earlier initiatives" in content
    assert "VPI Kenya" in content


def test_country_list_filters_by_region_and_status(client, country_factory, initiative_factory):
    initiative_factory(country=country_factory(code="KE"), status=InitiativeStatus.IMPLEMENTING)
    initiative_factory(
        country=country_factory(
            code="MX", un_regional_group=UNRegionalGroup.LATIN_AMERICAN_CARIBBEAN
        ),
        status=InitiativeStatus.IMPLEMENTING,
    )
    initiative_factory(country=country_factory(code="AO"), status=InitiativeStatus.CONSULTATIONS)

    content = client.get("/countries/", {"region": "african"}).content.decode()
    assert "Kenya" in content
    assert "Angola" in content
    assert "Mexico" not in content
    assert "2 initiatives" in content

    content = client.get("/countries/", {"status": "implementing"}).content.decode()
    assert "Kenya" in content
    assert "Mexico" in content
    assert "Angola" not in content

    content = client.get("/countries/", {"region": "weog"}).content.decode()
    assert "No initiative matches these filters." in content


def test_country_list_hides_members_only_initiatives_from_visitors_and_counts(
    client, kenya_initiative, hidden
):
    content = client.get("/countries/").content.decode()
    assert "Kenya" in content
    assert "Nigeria" not in content
    assert "1 initiative" in content


def test_country_list_ignores_an_invalid_filter_value(client, kenya_initiative):
    response = client.get("/countries/", {"status": "nonsense"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_country_list_is_paginated(client, country_factory, initiative_factory, monkeypatch):
    codes = ["KE", "MX", "PK", "AO", "NG", "GH", "CO", "PE", "PH", "TH", "SN", "ZA", "BR", "IN"]
    for code in codes:
        initiative_factory(country=country_factory(code=code))
    monkeypatch.setattr(views, "PAGE_SIZE", 10)
    first = client.get("/countries/").content.decode()
    second = client.get("/countries/", {"page": 2}).content.decode()
    assert "Page 1 of 2" in first
    assert "Angola" in first
    assert "Thailand" not in first
    assert "Thailand" in second
