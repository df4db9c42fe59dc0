"""The demo's working groups: one per demo country, with both sides and a disagreement in
Kenya, created once however often the demo is loaded."""

import pytest
from django.core.management import call_command

from groups.models import Reply, Side, WorkingGroup

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_group_in_each_country_and_runs_twice_without_change(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    groups = WorkingGroup.objects.select_related("initiative__country")
    assert sorted(str(group.initiative.country.code) for group in groups) == [
        "AO",
        "KE",
        "MX",
        "PK",
    ]
    kenya = groups.get(initiative__country__code="KE")
    sides = set(kenya.members.values_list("side", flat=True))
    assert sides == {Side.GOVERNMENT, Side.CIVIL_SOCIETY}
    assert Reply.objects.filter(thread__group=kenya, body__startswith="We disagree").exists()


def test_kenyas_outcome_answered_its_objection_and_became_a_milestone(settings):
    from groups.models import Outcome, Position

    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    outcome = Outcome.objects.get(proposal__thread__group__initiative__country__code="KE")
    objection = outcome.proposal.votes.get(position=Position.OBJECTION)
    assert objection.responded_at is not None
    assert outcome.published_at is not None
    assert outcome.milestone.priority.roadmap.status == "draft"
