"""A digest holds only what its recipient may open on a page: each recipient's news is read
through the rules their pages ask, and only what is public to everyone is shared."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from countries.models import RiskLevel
from digests import services
from digests.services import digest_chunks, digests_build
from notifications.models import Preferences
from stakeholders.models import MemberListVisibility, OrganizationVisibility
from tests.consultations.factories import ConsultationFactory
from tests.roadmaps.factories import MilestoneUpdateFactory, PriorityFactory
from tests.stakeholders.factories import (
    AllianceMembershipFactory,
    OrganizationFactory,
    OrganizationMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def follower_of(country, **fields):
    person = UserFactory(**fields)
    Preferences.objects.create(user=person, digest_frequency="weekly").countries.add(country)
    return person


def build() -> None:
    for ids in digest_chunks("weekly"):
        digests_build(frequency="weekly", user_ids=ids)


def digest_of(person) -> str:
    (message,) = [m for m in mail.outbox if m.to == [person.email]]
    return message.body + message.alternatives[0][0]


def test_an_alliance_consultation_is_in_the_digest_of_alliance_people_only(world, outbox_delivery):
    outsider = follower_of(world.kenya, full_name="Plain Registered")
    member = UserFactory(full_name="Alliance Member")
    OrganizationMemberFactory(user=member, organization=world.organization)
    follower_of(world.kenya)  # so that the chunk holds both kinds of reader
    consultation = ConsultationFactory(
        initiative=world.kenya_initiative,
        title="Alliance-only consultation on shelters",
        deadline=timezone.now() + timedelta(days=3),
    )
    MilestoneUpdateFactory(
        milestone__priority=PriorityFactory(roadmap__initiative=world.kenya_initiative),
        milestone__title="Shelter law drafted",
        created_at=timezone.now() - timedelta(days=1),
    )
    assert not outsider.has_perm("consultations.view_consultation", consultation)
    with outbox_delivery():
        build()
    assert "Shelter law drafted" in digest_of(outsider)
    assert "Alliance-only consultation on shelters" not in digest_of(outsider)
    assert "Alliance-only consultation on shelters" in digest_of(member)
    assert "Alliance-only consultation on shelters" in digest_of(world["org_admin"])


def test_a_new_member_is_named_only_to_those_who_may_see_the_member_list(world, outbox_delivery):
    world.kenya.risk_level = RiskLevel.HIGH
    world.kenya.save()
    world.kenya_alliance.member_list_visibility = MemberListVisibility.PUBLIC
    world.kenya_alliance.save()
    outsider = follower_of(world.kenya)
    AllianceMembershipFactory(
        alliance=world.kenya_alliance,
        organization=OrganizationFactory(
            country=world.kenya,
            name="Red de Apoyo Publica",
            visibility=OrganizationVisibility.PUBLIC,
        ),
        decided_at=timezone.now() - timedelta(days=1),
    )
    assert not outsider.has_perm("stakeholders.view_alliance_members", world.kenya_alliance)
    with outbox_delivery():
        build()
    # Everyone learns how many joined (the alliance page shows every reader the total)...
    assert "1 organization joined the alliance." in digest_of(outsider)
    assert "Red de Apoyo Publica" not in digest_of(outsider)
    # ...and the alliance's own people, who see the member list, their names.
    assert "1 organization joined the alliance: Red de Apoyo Publica." in digest_of(
        world["org_admin"]
    )


def test_a_public_block_is_rendered_once_and_a_restricted_one_for_each_reader(
    world, outbox_delivery
):
    MilestoneUpdateFactory(
        milestone__priority=PriorityFactory(roadmap__initiative=world.kenya_initiative),
        milestone__title="Referral mechanism drafted",
        created_at=timezone.now() - timedelta(days=1),
    )
    ConsultationFactory(initiative=world.kenya_initiative, title="Which shelters work?")
    people = [follower_of(world.kenya, preferred_language="en") for _ in range(4)]
    with (
        mock.patch.object(services, "render_text", wraps=services.render_text) as render,
        outbox_delivery(),
    ):
        build()
    blocks = [
        call.args[1]["block"]
        for call in render.call_args_list
        if call.args[0] == "emails/digest_block.txt"
    ]
    updates = [block for block in blocks if block.name == "updates"]
    consultations = [block for block in blocks if block.name == "consultations"]
    # The progress of a public roadmap is public to everyone: one rendering, shared.
    assert len(updates) == 1
    assert updates[0].is_public
    # The consultation is not: rendered for each reader who may open it, never shared.
    assert consultations
    assert not any(block.is_public for block in consultations)
    readers = [m for m in mail.outbox if "Which shelters work?" in m.body]
    assert readers
    assert len(consultations) == len(readers)
    for person in people:
        assert "Referral mechanism drafted" in digest_of(person)
        assert "Which shelters work?" not in digest_of(person)


def test_sharing_a_block_that_is_not_public_is_refused():
    block = services.Block("consultations", [], is_public=False)
    with pytest.raises(AssertionError):
        services.public_block("digest_block.txt", ("key",), block, None)


def test_the_text_part_is_not_html_escaped(world, outbox_delivery):
    follower = follower_of(world.kenya)
    MilestoneUpdateFactory(
        milestone__priority=PriorityFactory(roadmap__initiative=world.kenya_initiative),
        milestone__title="Kenya's shelters & <hotlines>",
        created_at=timezone.now() - timedelta(days=1),
    )
    with outbox_delivery():
        build()
    (message,) = [m for m in mail.outbox if m.to == [follower.email]]
    assert "Kenya's shelters & <hotlines>" in message.body
    assert "Kenya&#x27;s shelters &amp; &lt;hotlines&gt;" in message.alternatives[0][0]


def test_readers_who_see_what_a_visitor_sees_share_the_visitors_block(world, outbox_delivery):
    world.kenya.risk_level = RiskLevel.HIGH
    world.kenya.save()
    outsiders = [follower_of(world.kenya, preferred_language="en") for _ in range(3)]
    AllianceMembershipFactory(
        alliance=world.kenya_alliance,
        organization=OrganizationFactory(country=world.kenya, name="Quiet Member"),
        decided_at=timezone.now() - timedelta(days=1),
    )
    with (
        mock.patch.object(services, "render_text", wraps=services.render_text) as render,
        outbox_delivery(),
    ):
        build()
    blocks = [
        call.args[1]["block"]
        for call in render.call_args_list
        if call.args[0] == "emails/digest_block.txt"
    ]
    shared = [block for block in blocks if block.is_public]
    # The count alone, for every reader who may name no one: rendered once.
    assert len(shared) == 1
    assert shared[0].items == []
    # The alliance's own people see the name, in a block of their own.
    assert all(block.items for block in blocks if not block.is_public)
    for person in outsiders:
        assert "1 organization joined the alliance." in digest_of(person)
        assert "Quiet Member" not in digest_of(person)
    assert "Quiet Member" in digest_of(world["org_admin"])


def test_a_long_list_shows_the_newest_and_says_how_many_more(world, outbox_delivery):
    follower = follower_of(world.kenya)
    priority = PriorityFactory(roadmap__initiative=world.kenya_initiative)
    for n in range(12):
        MilestoneUpdateFactory(
            milestone__priority=priority,
            milestone__title=f"Step {n:02d}",
            created_at=timezone.now() - timedelta(hours=24 - n),
        )
    with outbox_delivery():
        build()
    (message,) = [m for m in mail.outbox if m.to == [follower.email]]
    assert "Step 11" in message.body
    assert "Step 02" in message.body
    assert "Step 01" not in message.body
    assert "... and 2 more: http" in message.body
    assert "/countries/ke/" in message.body
    assert "... and 2 more" in message.alternatives[0][0]
