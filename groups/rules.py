"""Who may do what in working groups: the one place that answers it.

A group's summary (its title, theme, purpose and how many people each side has) is read as
its visibility says; its discussion and its member list by its members, its facilitator,
the initiative's focal points and CSU staff. Under the Chatham House rule only the members,
the facilitator and CSU staff learn who wrote what. CSU staff hold every permission
(``stakeholders.backends.CSUStaffBackend``); the predicates still name them where the
policy does.
"""

from __future__ import annotations

import rules

from countries.models import Initiative, Visibility
from stakeholders.rules import is_csu_staff, is_focal_point_of
from stakeholders.standing import standing_of

from .models import GroupMember, GroupVisibility, MemberStatus, WorkingGroup

is_authenticated = rules.is_authenticated


def membership_of(user, group: WorkingGroup) -> GroupMember | None:
    """The person's membership of the group in any status, read once per group object."""
    if not user.is_authenticated:
        return None
    cache = group.__dict__.setdefault("_memberships", {})
    if user.pk not in cache:
        cache[user.pk] = GroupMember.objects.filter(group=group, user=user).first()
    return cache[user.pk]


def forget_memberships(group: WorkingGroup) -> None:
    """After a membership changes: the rules read it again."""
    group.__dict__.pop("_memberships", None)


@rules.predicate
def is_group_member(user, group: WorkingGroup) -> bool:
    membership = membership_of(user, group)
    return membership is not None and membership.status == MemberStatus.ACTIVE


@rules.predicate
def facilitates(user, group: WorkingGroup) -> bool:
    return user.is_authenticated and group.facilitator_id == user.pk


@rules.predicate
def is_group_focal_point(user, group: WorkingGroup) -> bool:
    return user.is_authenticated and is_focal_point_of(user, group.initiative)


@rules.predicate
def group_is_public(user, group: WorkingGroup) -> bool:
    return (
        group.visibility == GroupVisibility.PUBLIC
        and group.initiative.visibility == Visibility.PUBLIC
    )


@rules.predicate
def group_is_for_registered(user, group: WorkingGroup) -> bool:
    return group.visibility in (GroupVisibility.PUBLIC, GroupVisibility.REGISTERED)


@rules.predicate
def under_chatham_house(user, group: WorkingGroup) -> bool:
    return group.chatham_house


@rules.predicate
def speaks_for_the_alliance(user, group: WorkingGroup) -> bool:
    """A person of an organization that is an approved member of the country's alliance."""
    alliance = getattr(group.initiative.country, "alliance", None)
    return alliance is not None and alliance.pk in standing_of(user).member_alliances


may_read_discussion = is_group_member | facilitates | is_group_focal_point | is_csu_staff

rules.add_perm(
    "groups.view_group",
    group_is_public
    | (is_authenticated & group_is_for_registered)
    | is_group_member
    | facilitates
    | is_group_focal_point
    | is_csu_staff,
)
rules.add_perm("groups.view_discussion", may_read_discussion)
# Who wrote what, and who the members are by name.
rules.add_perm(
    "groups.view_contributors",
    (may_read_discussion & ~under_chatham_house) | is_group_member | facilitates | is_csu_staff,
)
rules.add_perm("groups.manage_group", facilitates | is_group_focal_point | is_csu_staff)
rules.add_perm(
    "groups.join_group",
    is_authenticated & group_is_for_registered & speaks_for_the_alliance & ~is_group_member,
)
rules.add_perm("groups.post", is_group_member | facilitates)
rules.add_perm("groups.moderate", facilitates | is_csu_staff)
# Proposals: members and the facilitator put them; members vote; the facilitator answers
# objections and records the outcome.
rules.add_perm("groups.propose", is_group_member | facilitates)
rules.add_perm("groups.vote", is_group_member)
rules.add_perm("groups.record_outcome", facilitates | is_csu_staff)


@rules.predicate
def is_initiative_focal_point(user, initiative: Initiative) -> bool:
    return user.is_authenticated and is_focal_point_of(user, initiative)


rules.add_perm("groups.add_group", is_initiative_focal_point | is_csu_staff)
