import datetime
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from roadmaps.models import (
    Comment,
    Evidence,
    MilestoneUpdate,
    Sensitivity,
)
from tests.consultations.factories import ConsultationFactory, ConsultationInputFactory
from tests.countries.factories import CountryFactory, InitiativeFactory
from tests.roadmaps.factories import (
    PDF_BYTES,
    AdoptedRoadmapFactory,
    AssessmentFactory,
    CommentFactory,
    EvidenceFactory,
    MilestoneFactory,
    MilestoneUpdateFactory,
    PriorityFactory,
)
from tests.stakeholders.factories import ThemeFactory

pytestmark = pytest.mark.django_db

ROADMAP_URL = "/countries/ke/roadmap/"


def report(client, milestone, **data):
    payload = {
        "status": "in_progress",
        "progress": "45",
        "narrative": "The bill passed its second reading.",
        "link_1_sensitivity": "public",
        "link_2_sensitivity": "public",
        "file_1_sensitivity": "public",
        "file_2_sensitivity": "public",
        "file_3_sensitivity": "public",
        **data,
    }
    return client.post(reverse("roadmaps:milestone_report", args=[milestone.pk]), payload)


# --- Acceptance ------------------------------------------------------------------------------


def test_focal_point_reports_with_a_pdf_and_a_dispute_reaches_them(
    client_for, milestone, world, mailoutbox, django_capture_on_commit_callbacks
):
    focal = client_for("focal_point")
    response = report(
        focal,
        milestone,
        file_1=SimpleUploadedFile("hansard.pdf", PDF_BYTES, content_type="application/pdf"),
        file_1_title="Hansard of the second reading",
    )
    assert response.status_code == 302
    page = client_for("visitor").get(ROADMAP_URL).content.decode()
    assert "45 %" in page
    assert "In progress" in page

    update = MilestoneUpdate.objects.get()
    civil_society = client_for("org_admin")
    with django_capture_on_commit_callbacks(execute=True):
        civil_society.post(
            reverse("roadmaps:update_assess", args=[update.pk]),
            {"verdict": "disputes", "comment": "The shelters are still closed."},
        )
    page = civil_society.get(milestone.get_absolute_url()).content.decode()
    assert "Disputed" in page
    assert "The shelters are still closed." in page
    assert "Hansard of the second reading" in page
    assert [m.to for m in mailoutbox] == [[world["focal_point"].email]]
    assert "The shelters" not in mailoutbox[0].body


@pytest.mark.parametrize("sensitivity", [Sensitivity.ALLIANCE, Sensitivity.CSU_ONLY])
def test_a_visitor_cannot_download_restricted_evidence(client_for, evidence_of, sensitivity):
    evidence = evidence_of(sensitivity)
    url = reverse("roadmaps:evidence_download", args=[evidence.pk])
    assert client_for("visitor").get(url).status_code == 404
    assert client_for("registered").get(url).status_code == 404
    assert client_for("staff").get(url).status_code == 200


def test_evidence_downloads_as_an_attachment_that_is_never_sniffed(client_for, evidence_of):
    evidence = evidence_of(Sensitivity.PUBLIC)
    response = client_for("visitor").get(reverse("roadmaps:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="report.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_the_milestone_page_hides_restricted_evidence_from_those_who_may_not_see_it(
    client_for, update
):
    EvidenceFactory(update=update, sensitivity="alliance", title="Shelter visit notes")
    EvidenceFactory(update=update, sensitivity="csu_only", title="Names of witnesses")
    url = update.milestone.get_absolute_url()
    visitor = client_for("visitor").get(url).content.decode()
    assert "Shelter visit notes" not in visitor
    assert "Names of witnesses" not in visitor
    member = client_for("org_admin").get(url).content.decode()
    assert "Shelter visit notes" in member
    assert "Names of witnesses" not in member
    assert "Names of witnesses" in client_for("staff").get(url).content.decode()


# --- Bad input through the form ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"progress": "140"}, "between 0 and 100"),
        ({"status": "completed", "progress": "40"}, "completed milestone is at 100"),
        ({"narrative": ""}, "narrative is required"),
        (
            {"file_1": SimpleUploadedFile("photo.jpg", PDF_BYTES)},
            "is a PDF, which its name does not say",
        ),
    ],
)
def test_a_bad_update_shows_a_clear_message_and_saves_nothing(client_for, milestone, data, message):
    response = report(client_for("focal_point"), milestone, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MilestoneUpdate.objects.exists()
    assert not Evidence.objects.exists()


def test_an_oversized_upload_is_refused(client_for, milestone, settings):
    settings.ROADMAPS_MAX_UPLOAD_SIZE = 100
    response = report(
        client_for("focal_point"),
        milestone,
        file_1=SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 200),
    )
    assert "files may be at most" in response.content.decode()
    assert not MilestoneUpdate.objects.exists()


def test_a_focal_point_of_another_country_may_not_post(client_for, milestone):
    response = report(client_for("other_focal_point"), milestone)
    assert response.status_code == 403
    assert not MilestoneUpdate.objects.exists()


def test_the_update_form_appears_only_for_the_initiative_side(client_for, milestone):
    url = milestone.get_absolute_url()
    assert "Report progress" in client_for("focal_point").get(url).content.decode()
    for persona in ("visitor", "org_admin", "other_focal_point"):
        assert "Report progress" not in client_for(persona).get(url).content.decode()


# --- Visibility of roadmaps -------------------------------------------------------------------


def test_visitors_see_the_adopted_roadmap_but_not_drafts(client_for, adopted, world):
    page = client_for("visitor").get(ROADMAP_URL).content.decode()
    assert "Protect victims of trafficking" in page
    revision = AdoptedRoadmapFactory(
        initiative=world.kenya_initiative, version=2, status="draft", adopted_on=None
    )
    PriorityFactory(roadmap=revision, title="Secret draft idea")
    assert "Secret draft idea" not in client_for("visitor").get(ROADMAP_URL).content.decode()
    assert client_for("visitor").get("/countries/ke/roadmap/v2/").status_code == 404
    focal_page = client_for("focal_point").get("/countries/ke/roadmap/v2/").content.decode()
    assert "Secret draft idea" in focal_page


def test_a_draft_alone_is_invisible_to_visitors(client_for, draft):
    page = client_for("visitor").get(ROADMAP_URL).content.decode()
    assert "No roadmap has been adopted yet." in page
    assert "Draft priority" not in page
    assert "Draft priority" in client_for("focal_point").get(ROADMAP_URL).content.decode()


def test_the_roadmap_page_shows_completion_and_overdue_badges(client_for, adopted):
    priority = adopted.priorities.get()
    MilestoneFactory(
        priority=priority,
        status="in_progress",
        progress=20,
        due_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    page = client_for("visitor").get(ROADMAP_URL).content.decode()
    assert "Limited" in page
    assert "Overdue" in page


def test_old_versions_stay_readable_at_their_own_address(client_for, adopted, world):
    adopted.status = "archived"
    adopted.save()
    current = AdoptedRoadmapFactory(initiative=world.kenya_initiative, version=2)
    PriorityFactory(roadmap=current, title="Second version priority")
    old = client_for("visitor").get("/countries/ke/roadmap/v1/").content.decode()
    assert "Protect victims of trafficking" in old
    assert "replaced by a later one" in old
    assert "Second version priority" in client_for("visitor").get(ROADMAP_URL).content.decode()


def test_the_country_page_shows_the_roadmap_summary(client_for, adopted):
    page = client_for("visitor").get("/countries/ke/").content.decode()
    assert "Protect victims of trafficking" in page
    assert reverse("roadmaps:country_roadmap", args=["ke"]) in page


# --- Co-creation through the pages ---------------------------------------------------------------


def test_adoption_is_refused_with_a_clear_message_while_a_comment_waits(client_for, world):
    comment = CommentFactory(roadmap__initiative=world.kenya_initiative)
    PriorityFactory(roadmap=comment.roadmap)
    url = reverse("roadmaps:roadmap_adopt", args=[comment.roadmap.pk])
    response = client_for("focal_point").post(url, {"confirm": "on"})
    assert "waits for a response" in response.content.decode()
    comment.roadmap.refresh_from_db()
    assert comment.roadmap.status == "consultation"


def test_civil_society_comments_on_a_milestone_and_the_focal_point_answers(
    client_for, in_consultation, world
):
    milestone = MilestoneFactory(priority=in_consultation.priorities.get())
    member = client_for("org_admin")
    member.post(reverse("roadmaps:milestone_comment", args=[milestone.pk]), {"body": "Too late?"})
    comment = Comment.objects.get()
    assert comment.milestone == milestone
    assert comment.roadmap == in_consultation
    client_for("focal_point").post(
        reverse("roadmaps:comment_respond", args=[comment.pk]),
        {"response": "We moved the date forward."},
    )
    page = member.get(milestone.get_absolute_url()).content.decode()
    assert "We moved the date forward." in page
    assert client_for("visitor").get(milestone.get_absolute_url()).status_code == 404


def test_a_coordinator_co_signs_the_roadmap(client_for, in_consultation, world):
    client_for("coordinator").post(
        reverse("roadmaps:roadmap_cosign", args=[in_consultation.pk]), {"note": ""}
    )
    assert in_consultation.endorsements.get().user == world["coordinator"]


# --- Consultations -------------------------------------------------------------------------------


def test_an_organization_sends_input_and_reads_the_summary_after_the_deadline(
    client_for, consultation, world
):
    admin = client_for("org_admin")
    response = admin.post(
        reverse("consultations:input_submit", args=[consultation.pk]),
        {
            "on_behalf_of": str(world.organization.pk),
            "text": "Shelters need funding.",
            "attachment": SimpleUploadedFile("notes.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    item = consultation.inputs.get()
    assert item.attachment_name == "notes.pdf"
    client_for("focal_point").post(
        reverse("consultations:input_respond", args=[item.pk]), {"response": "Budget line added."}
    )
    summary_url = reverse("consultations:summary", args=[consultation.pk])
    assert "opens after the deadline" in admin.get(summary_url).content.decode()

    consultation.deadline = timezone.now() - datetime.timedelta(hours=1)
    consultation.save()
    page = admin.get(summary_url).content.decode()
    assert "Shelters need funding." in page
    assert "Budget line added." in page
    csv = admin.get(reverse("consultations:summary_csv", args=[consultation.pk]))
    text = csv.content.decode()
    assert "Shelters need funding." in text
    assert world.organization.name in text
    assert world["org_admin"].full_name not in text
    assert client_for("visitor").get(summary_url).status_code == 404
    assert client_for("registered").get(summary_url).status_code == 404


def test_an_input_after_the_deadline_gets_a_clear_message(client_for, world):
    consultation = ConsultationFactory(initiative=world.kenya_initiative)
    consultation.deadline = timezone.now() - datetime.timedelta(minutes=5)
    consultation.save()
    response = client_for("org_admin").post(
        reverse("consultations:input_submit", args=[consultation.pk]),
        {"on_behalf_of": str(world.organization.pk), "text": "Late"},
    )
    assert not consultation.inputs.exists()
    assert "it takes no more input" in response.content.decode()


def test_the_initiative_side_sees_all_inputs_but_an_organization_only_its_own(
    client_for, consultation, world
):
    ConsultationInputFactory(consultation=consultation, text="Input of another organization")
    url = consultation.get_absolute_url()
    assert "Input of another organization" in client_for("focal_point").get(url).content.decode()
    assert "Input of another organization" not in client_for("org_admin").get(url).content.decode()
    assert client_for("registered").get(url).status_code == 404


def test_a_focal_point_opens_a_consultation_through_the_form(client_for, world):
    deadline = (timezone.localtime() + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    response = client_for("focal_point").post(
        reverse("consultations:create", args=["ke"]),
        {
            "title": "Draft law on smuggling of migrants",
            "kind": "draft_legislation",
            "description": "Comment on articles 3 to 9.",
            "deadline": deadline,
            "audience": "alliance",
            "document": SimpleUploadedFile("draft.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    listing = client_for("org_admin").get("/countries/ke/consultations/").content.decode()
    assert "Draft law on smuggling of migrants" in listing


# --- Open data ---------------------------------------------------------------------------------


def test_open_data_publishes_public_progress_without_names_or_restricted_evidence(
    client, update, world
):
    EvidenceFactory(update=update, sensitivity="public", title="Public report")
    EvidenceFactory(update=update, sensitivity="alliance", title="Alliance notes")
    data = json.loads(client.get("/countries/ke/roadmap.json").content)
    milestone = data["priorities"][0]["milestones"][0]
    titles = [e["title"] for e in milestone["updates"][0]["evidence"]]
    assert titles == ["Public report"]
    text = json.dumps(data)
    assert world["focal_point"].full_name not in text
    csv = client.get("/countries/ke/roadmap.csv").content.decode()
    assert "Adopt the anti-trafficking law" in csv.splitlines()[1]


def test_open_data_is_a_404_without_an_adopted_roadmap_of_a_public_initiative(client, draft, world):
    assert client.get("/countries/ke/roadmap.json").status_code == 404
    assert client.get("/countries/ke/roadmap.csv").status_code == 404
    AdoptedRoadmapFactory(initiative=world.pakistan_initiative)
    world.pakistan_initiative.visibility = "members"
    world.pakistan_initiative.save()
    assert client.get("/countries/pk/roadmap.csv").status_code == 404


# --- Dashboard and query counts ------------------------------------------------------------


def test_only_staff_see_the_dashboard(client_for, adopted):
    assert client_for("staff").get("/dashboard/").status_code == 200
    assert client_for("focal_point").get("/dashboard/").status_code == 403
    assert client_for("visitor").get("/dashboard/").status_code == 302


def test_the_dashboard_shows_stalled_and_overdue_milestones_and_vetting(client_for, adopted):
    from tests.stakeholders.factories import OrganizationFactory

    priority = adopted.priorities.get()
    priority.themes.add(ThemeFactory(name="Trafficking in persons"))
    MilestoneFactory(
        priority=priority,
        title="Late training",
        due_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    MilestoneFactory(priority=priority, title="Quiet work", status="in_progress", progress=10)
    OrganizationFactory(status="pending")
    page = client_for("staff").get("/dashboard/").content.decode()
    assert "Late training" in page
    assert "Quiet work" in page  # stalled: under way, no update since the adoption
    assert "Adopt the anti-trafficking law" not in page  # not started and not late
    assert "Trafficking in persons" in page
    # The charts: a bar per country and per theme, as HTML progress bars.
    assert 'id="country-chart-heading"' in page
    assert 'role="progressbar" aria-label="Trafficking in persons"' in page


def test_the_dashboard_lists_progress_by_theme_a_row_per_country_by_name(
    client_for, adopted, world
):
    trafficking = ThemeFactory(name="Trafficking in persons", order=1)
    firearms = ThemeFactory(name="Firearms", order=2)
    kenya = adopted.priorities.get()
    kenya.themes.add(trafficking)
    MilestoneFactory(priority=kenya, status="completed", progress=100)
    pakistan = PriorityFactory(roadmap=AdoptedRoadmapFactory(initiative=world.pakistan_initiative))
    pakistan.themes.add(firearms)
    MilestoneFactory(priority=pakistan, status="in_progress", progress=40)
    # CH comes first by code, Switzerland last by name.
    switzerland = InitiativeFactory(country=CountryFactory(code="CH"))
    swiss = PriorityFactory(roadmap=AdoptedRoadmapFactory(initiative=switzerland))
    swiss.themes.add(firearms)
    MilestoneFactory(priority=swiss, status="in_progress", progress=20)
    page = client_for("staff").get("/dashboard/").content.decode()
    table = page[page.index('id="theme-table-heading"') :]
    table = table[: table.index("</table>")]
    header = re.search(r"<thead>(.*?)</thead>", table, re.S)[1]
    assert re.findall(r'<th scope="col">([^<]+)</th>', header) == [
        "Country",
        "Trafficking in persons",
        "Firearms",
    ]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', table)
    assert [name for name, _ in rows] == ["Kenya", "Pakistan", "Switzerland"]
    cells = {name: re.findall(r"<td>(.*?)</td>", row) for name, row in rows}
    assert cells["Kenya"] == ["50 %<small>(2)</small>", "–"]
    assert cells["Pakistan"] == ["–", "40 %<small>(1)</small>"]


def add_milestones(roadmap, count):
    themes = [ThemeFactory(name=f"Theme {n}") for n in range(3)]
    priority = None
    for n in range(count):
        if n % 10 == 0:
            priority = PriorityFactory(roadmap=roadmap)
            priority.themes.add(themes[n % 3])
        milestone = MilestoneFactory(
            priority=priority,
            status="in_progress",
            progress=10,
            due_on=timezone.localdate() - datetime.timedelta(days=n % 2),
        )
        update = MilestoneUpdateFactory(milestone=milestone)
        EvidenceFactory(update=update)
        AssessmentFactory(update=update)


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("visitor", ROADMAP_URL),
        ("focal_point", ROADMAP_URL),
        ("org_admin", ROADMAP_URL),
        ("staff", "/dashboard/"),
        ("visitor", "/countries/ke/roadmap.json"),
    ],
)
def test_hot_pages_make_the_same_number_of_queries_with_10_and_100_milestones(
    client_for, world, django_assert_num_queries, persona, url
):
    roadmap = AdoptedRoadmapFactory(initiative=world.kenya_initiative)
    other = AdoptedRoadmapFactory(initiative=world.pakistan_initiative)
    add_milestones(roadmap, 10)
    add_milestones(other, 10)
    client = client_for(persona)
    client.get(url)  # warm up the session
    expected = queries(client, url)
    add_milestones(roadmap, 90)
    add_milestones(other, 90)
    with django_assert_num_queries(expected):
        client.get(url)
