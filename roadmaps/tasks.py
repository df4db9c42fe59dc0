from celery import shared_task

from .reminders import milestone_nudges_write


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_milestone_nudges() -> int:
    return milestone_nudges_write()
