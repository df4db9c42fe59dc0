"""Celery tasks of the outbox: thin wrappers around notifications.services.

Both are idempotent (a row is claimed before it is sent), so they acknowledge late: a
worker killed in the middle of a batch has its task delivered again to another worker.
"""

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_notifications(ids: list[int]) -> dict[str, int]:
    # Rows that fail for a passing reason get a later attempt time (exponential backoff,
    # capped, within the retry horizon); the sweep enqueues them again when they are due.
    # The soft time limit stops the batch where it is: the row being sent is left pending
    # ("delivery unknown") and the rows not yet tried stay due for the sweep.
    return services.notifications_deliver(ids=ids)


@shared_task(ignore_result=True)
def sweep_notifications() -> dict[str, int]:
    return services.notifications_sweep()
