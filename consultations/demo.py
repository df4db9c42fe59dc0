"""The demo's consultations: two in Kenya, where the demo has an alliance with people in it,
one closed with answered inputs and a public record, and one open. Runs after
``roadmaps.demo.seed_roadmaps``."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from countries.models import Initiative
from roadmaps.demo import ago, demo_organization, demo_pdf, demo_user

from .models import Audience, Consultation, ConsultationInput, ConsultationKind, ConsultationStatus


@transaction.atomic
def seed_consultations() -> dict[str, int]:
    """Create Kenya's consultations where it has none. Running it again changes nothing."""
    initiative = Initiative.objects.filter(country__code="KE", roadmaps__isnull=False).first()
    if initiative is not None and not initiative.consultations.exists():
        _seed_kenya(initiative)
    return {"consultations": Consultation.objects.count()}


def _seed_kenya(initiative: Initiative) -> None:
    focal = demo_user("focal.ke@vpi.example")
    orgadmin = demo_user("orgadmin@vpi.example")
    network = demo_organization("coast-anti-trafficking-network-ke")
    research = demo_organization("nairobi-centre-for-crime-research-ke")
    closed = Consultation.objects.create(
        initiative=initiative,
        title="Draft law on trafficking in persons and smuggling of migrants",
        kind=ConsultationKind.DRAFT_LEGISLATION,
        description=(
            "The Office of the Attorney-General asks the alliance's organizations for "
            "grassroots input on the draft law: which provisions protect victims and "
            "smuggled migrants well enough, and which do not?"
        ),
        deadline=ago(200),
        audience=Audience.ALLIANCE,
        status=ConsultationStatus.CLOSED,
        public_record=True,
        created_by=focal,
        created_at=ago(240),
    )
    data = demo_pdf("Draft law on trafficking in persons and smuggling of migrants")
    closed.document.save("draft-law.pdf", ContentFile(data), save=False)
    closed.document_name = "draft-law.pdf"
    closed.document_content_type = "application/pdf"
    closed.document_size = len(data)
    closed.save()
    for organization, author, text, response in [
        (
            network,
            orgadmin,
            "Article 12 should guarantee shelter and legal aid to every identified victim, "
            "whether or not they testify.",
            "Accepted: article 12 now guarantees shelter and legal aid without conditions.",
        ),
        (
            research,
            None,
            "Smuggled migrants must not be prosecuted for having been smuggled (article 5 of "
            "the Smuggling of Migrants Protocol).",
            "Accepted in part: the non-criminalization clause was added; the definition of "
            "financial benefit stays as drafted.",
        ),
    ]:
        if organization is None:
            continue
        ConsultationInput.objects.create(
            consultation=closed,
            organization=organization,
            author=author,
            text=text,
            created_at=ago(215),
            response=response,
            responded_by=focal,
            responded_at=ago(190),
        )

    current = Consultation.objects.create(
        initiative=initiative,
        title="Kenya's self-assessment for the UNTOC review",
        kind=ConsultationKind.SELF_ASSESSMENT,
        description=(
            "Before the self-assessment goes to the review mechanism: which answers on "
            "prevention and victim assistance would civil society change, and why?"
        ),
        deadline=timezone.now() + datetime.timedelta(days=30),
        audience=Audience.COUNTRY,
        created_by=focal,
        created_at=ago(5),
    )
    if research:
        ConsultationInput.objects.create(
            consultation=current,
            organization=research,
            text="Our 2024 survey on victim referrals could support the answer on article 25.",
            created_at=ago(2),
        )
