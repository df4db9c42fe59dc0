import pytest

from consultations.models import Consultation, ConsultationInput
from roadmaps.demo import demo_pdf, seed_roadmaps
from roadmaps.models import (
    Assessment,
    Comment,
    Evidence,
    Milestone,
    MilestoneStatus,
    MilestoneUpdate,
    Roadmap,
    Verdict,
)
from roadmaps.uploads import sniff
from vpi_portal.management.commands.seed_demo import seed_demo

pytestmark = pytest.mark.django_db

MODELS = [Roadmap, Milestone, MilestoneUpdate, Evidence, Assessment, Comment, Consultation]


def snapshot() -> list:
    return [list(model.objects.order_by("pk").values()) for model in MODELS]


def test_the_demo_roadmaps_cover_every_state_and_a_second_run_changes_nothing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo()
    seed_roadmaps()
    first = snapshot()
    seed_roadmaps()
    assert snapshot() == first

    codes = {r.initiative.country.code.code for r in Roadmap.objects.select_related("initiative")}
    assert codes == {"MX", "PK", "KE", "AO"}
    statuses = set(Milestone.objects.values_list("status", flat=True))
    assert statuses == set(MilestoneStatus.values)
    assert Assessment.objects.filter(verdict=Verdict.DISPUTES).exists()
    assert Comment.objects.exclude(response="").exists()
    assert {c.accepts_inputs for c in Consultation.objects.all()} == {True, False}
    assert ConsultationInput.objects.exclude(response="").exists()
    evidence = Evidence.objects.exclude(file="").first()
    assert evidence.file.read().startswith(b"%PDF-")


def test_the_demo_pdf_passes_the_upload_check():
    assert sniff(demo_pdf("Report (draft)"), None).label == "PDF"


def test_the_demo_names_mexicos_hidden_organization_to_no_visitor(settings, client):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo()
    seed_roadmaps()
    hotline = Milestone.objects.get(title__startswith="Open a hotline run with migrant")
    assert hotline.lead == ""
    assert [o.name for o in hotline.lead_organizations.all()] == [
        "Red de Apoyo a Personas Migrantes"
    ]
    for url in [
        "/countries/mx/roadmap/",
        hotline.get_absolute_url(),
        "/countries/mx/roadmap.csv",
        "/countries/mx/roadmap.json",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Red de Apoyo a Personas Migrantes" not in response.content.decode(), url


def test_the_demo_angola_draft_shows_the_path_to_a_common_roadmap(settings, client):
    from stakeholders.models import User

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo()
    draft = Roadmap.objects.get(initiative__country__code="AO")
    assert draft.status == "consultation"
    assert draft.consultation_closes_on is not None

    client.force_login(User.objects.get(email="ngo.ao@vpi.example"))
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Name the shelters for victims" in page  # the consulted NGO sees its comment

    client.force_login(User.objects.get(email="focal.ao@vpi.example"))
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Before adoption" in page
    assert "The consultation runs until" in page
    assert "Every comment has a reasoned response." in page
    assert "CSU staff co-sign for the non-governmental side" in page
