from dataclasses import asdict

from celery import shared_task

from .retention import retention_enforce


@shared_task(ignore_result=True)
def enforce_retention() -> dict[str, int]:
    """Idempotent: each rule only touches what is past its period and not yet handled."""
    return asdict(retention_enforce())
