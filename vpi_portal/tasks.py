from dataclasses import asdict
from datetime import datetime

from celery import shared_task

from .digests import digest_chunks, digests_build
from .retention import retention_enforce


@shared_task(ignore_result=True)
def send_digests(frequency: str) -> int:
    """Fan the digests of everyone who wants this frequency out in chunks."""
    chunks = digest_chunks(frequency)
    now = datetime.now().astimezone().isoformat()
    for ids in chunks:
        build_digest_chunk.delay(frequency, ids, now)
    return len(chunks)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def build_digest_chunk(frequency: str, user_ids: list[int], now: str) -> int:
    """Idempotent: a digest's dedupe key names the person and the period."""
    return digests_build(frequency=frequency, user_ids=user_ids, now=datetime.fromisoformat(now))


@shared_task(ignore_result=True)
def enforce_retention() -> dict[str, int]:
    """Idempotent: each rule only touches what is past its period and not yet handled."""
    return asdict(retention_enforce())
