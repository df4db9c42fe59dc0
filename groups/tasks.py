from celery import shared_task

from .services import proposals_close_due, proposals_remind_closing


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def close_proposals() -> dict[str, int]:
    """Idempotent: a proposal is claimed once when it closes, and each reminder has a
    dedupe key."""
    return {"closed": proposals_close_due(), "reminded": proposals_remind_closing()}
