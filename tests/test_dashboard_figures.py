"""The CSU dashboard's figures over every country are kept a few minutes; what waits for
CSU (organizations to vet) is counted afresh on every view."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.stakeholders.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def awaiting_vetting(page: str) -> str:
    return re.search(r'awaiting vetting</p>\s*<p class="h3 mb-0">(\d+)<', page)[1]


def test_the_figures_are_computed_once_and_the_vetting_count_every_time(world, client_for):
    staff = client_for("staff")
    staff.get("/")  # the first request of a session saves it
    with CaptureQueriesContext(connection) as first:
        page = staff.get("/dashboard/").content.decode()
    with CaptureQueriesContext(connection) as second:
        assert staff.get("/dashboard/").content.decode().count("<svg") == page.count("<svg")
    assert len(second) <= len(first) - 4  # the figures' queries are not run again
    before = awaiting_vetting(page)
    OrganizationFactory(country=world.kenya, status="pending")
    assert awaiting_vetting(staff.get("/dashboard/").content.decode()) == str(int(before) + 1)
