"""The policy table of the design, rule by rule, for the seven personas."""

import pytest

from countries.models import Visibility
from roadmaps.models import Sensitivity
from tests.conftest import PERSONA_NAMES
from tests.consultations.factories import ConsultationFactory
from tests.roadmaps.factories import AdoptedRoadmapFactory, CommentFactory
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


def expect(*allowed: str) -> dict[str, bool]:
    return {name: name in allowed for name in PERSONA_NAMES}


EVERYONE = expect(*PERSONA_NAMES)
INITIATIVE_SIDE = expect("focal_point", "staff")
CIVIL_SOCIETY = expect("org_admin", "coordinator", "staff")
PARTICIPANTS = expect("org_admin", "coordinator", "focal_point", "staff")
STAFF_ONLY = expect("staff")


def check(personas, perm: str, obj, expected: dict[str, bool]) -> None:
    actual = {name: personas[name].has_perm(perm, obj) for name in PERSONA_NAMES}
    assert actual == expected


def test_csu_only_evidence_is_for_staff_and_whoever_attached_it(personas, world, evidence_of):
    evidence = evidence_of(Sensitivity.CSU_ONLY)
    evidence.update.author = UserFactory()
    evidence.update.save()
    check(personas, "roadmaps.view_evidence", evidence, STAFF_ONLY)
    assert evidence.update.author.has_perm("roadmaps.view_evidence", evidence)


@pytest.mark.parametrize(
    ("perm", "expected"),
    [
        ("roadmaps.view_roadmap", EVERYONE),
        ("roadmaps.view_participants", PARTICIPANTS),
        ("roadmaps.change_roadmap", INITIATIVE_SIDE),
        ("roadmaps.open_consultation", INITIATIVE_SIDE),
        ("roadmaps.adopt_roadmap", INITIATIVE_SIDE),
        ("roadmaps.cosign_roadmap", expect("coordinator", "staff")),
        ("roadmaps.comment", CIVIL_SOCIETY),
        ("roadmaps.respond", INITIATIVE_SIDE),
        ("roadmaps.hide_comment", STAFF_ONLY),
    ],
)
def test_rules_on_an_adopted_roadmap(personas, adopted, perm, expected):
    check(personas, perm, adopted, expected)


@pytest.mark.parametrize(
    ("perm", "expected"),
    [
        ("roadmaps.post_update", INITIATIVE_SIDE),
        ("roadmaps.change_roadmap", INITIATIVE_SIDE),
        ("roadmaps.comment", CIVIL_SOCIETY),
        ("roadmaps.view_roadmap", EVERYONE),
    ],
)
def test_rules_on_a_milestone(personas, milestone, perm, expected):
    check(personas, perm, milestone, expected)


@pytest.mark.parametrize(
    ("perm", "expected"),
    [
        ("roadmaps.assess_update", CIVIL_SOCIETY),
        ("roadmaps.respond", INITIATIVE_SIDE),
    ],
)
def test_rules_on_a_progress_update(personas, update, perm, expected):
    check(personas, perm, update, expected)


def test_only_the_initiative_side_sees_a_draft(personas, draft):
    check(personas, "roadmaps.view_roadmap", draft, INITIATIVE_SIDE)


def test_a_roadmap_in_consultation_is_seen_by_the_alliance_and_the_initiative_side(
    personas, in_consultation
):
    check(personas, "roadmaps.view_roadmap", in_consultation, PARTICIPANTS)


def test_an_adopted_roadmap_of_a_members_only_initiative_needs_signing_in(personas, world):
    world.kenya_initiative.visibility = Visibility.MEMBERS
    world.kenya_initiative.save()
    roadmap = AdoptedRoadmapFactory(initiative=world.kenya_initiative)
    check(personas, "roadmaps.view_roadmap", roadmap, expect(*PERSONA_NAMES[1:]))


def test_comments_are_answered_by_the_initiative_side_and_hidden_by_staff(personas, world):
    comment = CommentFactory(roadmap__initiative=world.kenya_initiative)
    check(personas, "roadmaps.respond", comment, INITIATIVE_SIDE)
    check(personas, "roadmaps.hide_comment", comment, STAFF_ONLY)


@pytest.mark.parametrize(
    ("sensitivity", "expected"),
    [
        (Sensitivity.PUBLIC, EVERYONE),
        (Sensitivity.ALLIANCE, PARTICIPANTS),
        # The focal point reported the update: they sent the file, and may open it again.
        (Sensitivity.CSU_ONLY, expect("focal_point", "staff")),
    ],
)
def test_evidence_is_seen_according_to_its_sensitivity(
    personas, evidence_of, sensitivity, expected
):
    check(personas, "roadmaps.view_evidence", evidence_of(sensitivity), expected)


@pytest.mark.parametrize(
    ("perm", "expected"),
    [
        ("consultations.view_consultation", PARTICIPANTS),
        ("consultations.submit_input", CIVIL_SOCIETY),
        ("consultations.view_consultation_summary", PARTICIPANTS),
        ("consultations.view_all_inputs", INITIATIVE_SIDE),
        ("consultations.respond", INITIATIVE_SIDE),
        ("consultations.open_consultation", INITIATIVE_SIDE),
    ],
)
def test_rules_on_an_alliance_consultation(personas, consultation, perm, expected):
    check(personas, perm, consultation, expected)


def test_a_country_wide_consultation_also_reaches_verified_organizations_outside_the_alliance(
    personas, world
):
    from tests.stakeholders.factories import OrganizationMemberFactory

    outsider = OrganizationMemberFactory(organization__country=world.kenya).user
    consultation = ConsultationFactory(initiative=world.kenya_initiative, audience="country")
    assert outsider.has_perm("consultations.submit_input", consultation)
    alliance_only = ConsultationFactory(initiative=world.kenya_initiative)
    assert not outsider.has_perm("consultations.submit_input", alliance_only)
    check(personas, "consultations.submit_input", consultation, CIVIL_SOCIETY)


def test_the_initiative_object_rules_for_starting_a_roadmap_or_consultation(personas, world):
    check(personas, "roadmaps.change_roadmap", world.kenya_initiative, INITIATIVE_SIDE)
    check(personas, "roadmaps.open_consultation", world.kenya_initiative, INITIATIVE_SIDE)
    check(personas, "consultations.open_consultation", world.kenya_initiative, INITIATIVE_SIDE)


def test_only_csu_staff_see_the_dashboard(personas):
    check(personas, "roadmaps.view_dashboard", None, STAFF_ONLY)


def test_visible_to_matches_the_view_rule_for_each_persona(personas, adopted):
    from roadmaps.models import Roadmap

    for name in PERSONA_NAMES:
        user = personas[name]
        listed = Roadmap.objects.visible_to(user).filter(pk=adopted.pk).exists()
        assert listed == user.has_perm("roadmaps.view_roadmap", adopted), name
