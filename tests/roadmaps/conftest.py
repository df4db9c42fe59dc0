import pytest

from roadmaps.models import RoadmapStatus, Sensitivity
from tests.consultations.factories import ConsultationFactory
from tests.roadmaps.factories import (
    AdoptedRoadmapFactory,
    EvidenceFactory,
    MilestoneFactory,
    MilestoneUpdateFactory,
    PriorityFactory,
    RoadmapFactory,
)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The personas' passwords are hashed with a fast hasher here: these tests are about
    roadmaps, and the default hasher costs seconds per world."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def adopted(world):
    """Kenya's adopted roadmap with one priority and one milestone in progress."""
    roadmap = AdoptedRoadmapFactory(initiative=world.kenya_initiative)
    priority = PriorityFactory(roadmap=roadmap, title="Protect victims of trafficking")
    MilestoneFactory(priority=priority, title="Adopt the anti-trafficking law")
    return roadmap


@pytest.fixture
def milestone(adopted):
    return adopted.priorities.get().milestones.get()


@pytest.fixture
def update(milestone, world):
    return MilestoneUpdateFactory(milestone=milestone, author=world["focal_point"])


@pytest.fixture
def evidence_of(update):
    """``evidence_of("alliance")``: a PDF of that sensitivity on the update."""

    def make(sensitivity: str = Sensitivity.PUBLIC):
        return EvidenceFactory(update=update, sensitivity=sensitivity)

    return make


@pytest.fixture
def draft(world):
    roadmap = RoadmapFactory(initiative=world.kenya_initiative, status=RoadmapStatus.DRAFT)
    PriorityFactory(roadmap=roadmap, title="Draft priority")
    return roadmap


@pytest.fixture
def in_consultation(world):
    roadmap = RoadmapFactory(initiative=world.kenya_initiative, status=RoadmapStatus.CONSULTATION)
    PriorityFactory(roadmap=roadmap, title="Priority under consultation")
    return roadmap


@pytest.fixture
def consultation(world):
    return ConsultationFactory(initiative=world.kenya_initiative)
