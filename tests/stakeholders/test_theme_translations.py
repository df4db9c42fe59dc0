"""Theme names are data shown in the reader's language (stakeholders/translation.py)."""

import pytest
from django.utils import translation

from stakeholders.models import Theme
from tests.stakeholders.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

SHIPPED = [
    "trafficking-in-persons",
    "smuggling-of-migrants",
    "firearms",
    "corruption",
    "money-laundering",
    "cybercrime",
    "drug-trafficking",
    "environmental-crime",
    "victim-assistance",
    "prevention",
    "criminal-justice",
    "gender-and-human-rights",
    "research-and-data",
]


@pytest.fixture
def organization(kenya):
    organization = OrganizationFactory(country=kenya, name="Haki Network")
    organization.themes.add(Theme.objects.get(slug="trafficking-in-persons"))
    return organization


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("en", "Trafficking in persons"),
        ("es", "Trata de personas"),
        ("fr", "Traite des personnes"),
        ("pt", "Tráfico de pessoas"),
    ],
)
def test_the_directory_and_the_organization_show_themes_in_the_readers_language(
    client, organization, language, name
):
    client.cookies["django_language"] = language
    directory = client.get("/organizations/").content.decode()
    assert name in directory
    page = client.get(organization.get_absolute_url()).content.decode()
    assert name in page
    if language != "en":
        assert "Trafficking in persons" not in page


def test_every_shipped_theme_has_a_name_in_every_language():
    for theme in Theme.objects.filter(slug__in=SHIPPED):
        names = [theme.name_en, theme.name_es, theme.name_fr, theme.name_pt]
        assert all(names), theme.slug
    assert Theme.objects.filter(slug__in=SHIPPED).count() == len(SHIPPED)


def test_a_theme_without_a_translation_falls_back_to_english():
    theme = Theme.objects.create(slug="new-topic", name="New topic")
    with translation.override("es"):
        assert Theme.objects.get(pk=theme.pk).name == "New topic"


def test_staff_edit_a_themes_names_in_every_language(staff_client):
    theme = Theme.objects.get(slug="firearms")
    page = staff_client.get(f"/admin/stakeholders/theme/{theme.pk}/change/").content.decode()
    assert 'name="name_es"' in page
    assert "Armas de fuego" in page


def test_open_data_names_themes_in_english_whatever_the_readers_language(client, kenya_initiative):
    from tests.roadmaps.factories import AdoptedRoadmapFactory, MilestoneFactory, PriorityFactory

    priority = PriorityFactory(roadmap=AdoptedRoadmapFactory(initiative=kenya_initiative))
    priority.themes.add(Theme.objects.get(slug="trafficking-in-persons"))
    MilestoneFactory(priority=priority)
    client.cookies["django_language"] = "es"
    data = client.get("/countries/ke/roadmap.json").json()
    assert data["priorities"][0]["themes"] == ["Trafficking in persons"]
    assert "Trafficking in persons" in client.get("/countries/ke/roadmap.csv").content.decode()
