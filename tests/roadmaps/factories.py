import datetime

import factory
from django.utils import timezone

from roadmaps.models import (
    Assessment,
    Comment,
    Endorsement,
    Evidence,
    EvidenceKind,
    Milestone,
    MilestoneStatus,
    MilestoneUpdate,
    Priority,
    Roadmap,
    RoadmapStatus,
    Sensitivity,
    Verdict,
)

# The smallest file that every PDF reader (and the upload check) recognizes as a PDF.
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class RoadmapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Roadmap

    initiative = factory.SubFactory("tests.countries.factories.InitiativeFactory")
    title = factory.LazyAttribute(lambda o: f"Roadmap of {o.initiative.country.name}")
    status = RoadmapStatus.DRAFT
    version = 1


class AdoptedRoadmapFactory(RoadmapFactory):
    status = RoadmapStatus.ADOPTED
    adopted_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=200))
    adopted_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=200))


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    roadmap = factory.SubFactory(AdoptedRoadmapFactory)
    title = factory.Sequence(lambda n: f"Priority {n}")
    order = factory.Sequence(lambda n: n)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    priority = factory.SubFactory(PriorityFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    lead = "Ministry of Interior"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    status = MilestoneStatus.NOT_STARTED
    progress = 0
    order = factory.Sequence(lambda n: n)


class MilestoneUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MilestoneUpdate

    milestone = factory.SubFactory(MilestoneFactory)
    status_before = MilestoneStatus.NOT_STARTED
    progress_before = 0
    status_after = MilestoneStatus.IN_PROGRESS
    progress_after = 30
    narrative = "Drafting started with the working group."


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    update = factory.SubFactory(MilestoneUpdateFactory)
    kind = EvidenceKind.DOCUMENT
    sensitivity = Sensitivity.PUBLIC
    file = factory.django.FileField(filename="report.pdf", data=PDF_BYTES)
    original_name = "report.pdf"
    size = len(PDF_BYTES)
    content_type = "application/pdf"


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    update = factory.SubFactory(MilestoneUpdateFactory)
    author = factory.SubFactory("tests.stakeholders.factories.UserFactory")
    verdict = Verdict.CONFIRMS
    comment = "We saw this happen."


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    roadmap = factory.SubFactory(RoadmapFactory, status=RoadmapStatus.CONSULTATION)
    author = factory.SubFactory("tests.stakeholders.factories.UserFactory")
    body = "Please add a milestone on victim assistance."


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def agreed(roadmap: Roadmap, signer) -> Roadmap:
    """A draft in consultation that both sides agree on: its consultation ran to a deadline
    now past, and ``signer`` (the alliance's coordinator, or CSU staff where there is no
    alliance) co-signed it. What adoption still checks (comments answered, a priority) is
    left to the test."""
    Roadmap.objects.filter(pk=roadmap.pk).update(consultation_closes_on=in_days(-1))
    roadmap.refresh_from_db()
    Endorsement.objects.create(roadmap=roadmap, user=signer)
    return roadmap
