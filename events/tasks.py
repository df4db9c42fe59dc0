from celery import shared_task

from .reminders import deadline_reminders_write, event_reminders_write
from .services import waiting_lists_close


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_event_reminders() -> dict[str, int]:
    """Idempotent: every reminder has a dedupe key, so a repeated run writes nothing new."""
    return {"reminders": event_reminders_write(), "deadlines": deadline_reminders_write()}


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def close_waiting_lists() -> int:
    """Idempotent: a closed place is closed once, and its notice has a dedupe key."""
    return waiting_lists_close()
