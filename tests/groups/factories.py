import factory

from groups.models import GroupMember, MemberStatus, Reply, Side, Thread, WorkingGroup


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
