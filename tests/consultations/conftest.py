import pytest

from tests.consultations.factories import ConsultationFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The personas' passwords are hashed with a fast hasher here: these tests are about
    consultations, and the default hasher costs seconds per world."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def consultation(world):
    return ConsultationFactory(initiative=world.kenya_initiative)
