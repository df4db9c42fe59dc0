"""What the person sent to consultations and answered there, for their own data export
(privacy.services.personal_data_export)."""

from __future__ import annotations

from typing import Any

from stakeholders.models import User

from .models import ConsultationInput
from .selectors import with_sources


def export_section(user: User) -> dict[str, Any]:
    return {
        "consultation_inputs": [
            {
                "consultation": item.consultation.title,
                "on_behalf_of": item.source,
                "input": item.text,
                "attachment": item.attachment_name,
                "submitted": item.created_at,
            }
            for item in with_sources(
                ConsultationInput.objects.filter(author=user)
                .select_related("consultation", "organization")
                .order_by("created_at", "pk"),
                user,
            )
        ],
        # Added to the roadmaps' list of the same name.
        "responses_written": [
            {"to": "consultation_input", "response": response, "responded": responded_at}
            for response, responded_at in ConsultationInput.objects.filter(responded_by=user)
            .order_by("responded_at", "pk")
            .values_list("response", "responded_at")
        ],
    }
