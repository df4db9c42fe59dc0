"""Issue 7's acceptance: a focal point without two-factor authentication is sent to set it
up before updating a milestone; with it, they can."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from roadmaps.models import MilestoneUpdate
from tests.roadmaps.test_views import report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _two_factor_required(settings):
    settings.PORTAL_REQUIRE_TWO_FACTOR = True


def test_a_focal_point_without_two_factor_is_sent_to_set_it_up_first(client_for, milestone):
    response = report(client_for("focal_point"), milestone)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/2fa/")
    assert not MilestoneUpdate.objects.exists()


def test_with_two_factor_the_focal_point_updates_the_milestone(client_for, world, milestone):
    TOTP.activate(world["focal_point"], generate_totp_secret())
    response = report(client_for("focal_point"), milestone)
    assert response.status_code == 302
    assert not response.url.startswith("/accounts/2fa/")
    milestone.refresh_from_db()
    assert milestone.progress == 45
    assert MilestoneUpdate.objects.get().narrative == "The bill passed its second reading."
