from celery import shared_task

from .reminders import membership_nudges_write


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_membership_nudges() -> int:
    return membership_nudges_write()
