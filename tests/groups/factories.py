import datetime

import factory
from django.utils import timezone

from groups.models import (
    GroupMember,
    MemberStatus,
    Outcome,
    Proposal,
    Reply,
    Side,
    Thread,
    Vote,
    WorkingGroup,
)


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    initiative = factory.SubFactory("tests.countries.factories.InitiativeFactory")
    title = "Referral of victims of trafficking"
    purpose = "Agree how victims are referred from the police to shelters, and who pays."
    facilitator = factory.SubFactory("tests.stakeholders.factories.UserFactory")


class GroupMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMember

    group = factory.SubFactory(WorkingGroupFactory)
    user = factory.SubFactory("tests.stakeholders.factories.UserFactory")
    side = Side.GOVERNMENT
    status = MemberStatus.ACTIVE


class ThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Thread

    group = factory.SubFactory(WorkingGroupFactory)
    title = "Who refers a victim found at the border?"
    context = "Today the border police refer to no one. What should the procedure say?"


class ReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reply

    thread = factory.SubFactory(ThreadFactory)
    body = "The shelter network can take referrals at any hour."


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    thread = factory.SubFactory(ThreadFactory)
    question = "Do we adopt a 24-hour rule for referrals?"
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vote

    proposal = factory.SubFactory(ProposalFactory)
    user = factory.SubFactory("tests.stakeholders.factories.UserFactory")
    side = Side.GOVERNMENT
    position = "consent"


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    proposal = factory.SubFactory(ProposalFactory)
    decision = "Referral within 24 hours."
    reasons = "Both sides agreed on the need; the shelters open at night."
