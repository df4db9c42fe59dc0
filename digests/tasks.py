from datetime import datetime

from celery import shared_task

from .services import digest_chunks, digests_build


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
