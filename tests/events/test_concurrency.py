"""Capacity holds when many people register at the same moment (PostgreSQL only: SQLite
serializes every write, so it cannot show the race)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from events.models import Registration, RegistrationStatus
from events.services import registration_cancel, registration_create
from tests.events.factories import EventFactory
from tests.stakeholders.factories import UserFactory

CAPACITY = 3
PEOPLE = 12


def run_at_once(work, items) -> list:
    """Run ``work(item)`` in one thread per item, all released together. Each thread has
    its own database connection."""
    start = threading.Barrier(len(items))
    results: list = []
    lock = threading.Lock()

    def target(item) -> None:
        try:
            start.wait()
            outcome = work(item)
        except ValidationError as error:
            outcome = error
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=target, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.postgres
def test_concurrent_registrations_never_exceed_capacity(transactional_db):
    event = EventFactory(capacity=CAPACITY, title="Crowded dialogue")
    people = [UserFactory() for _ in range(PEOPLE)]

    results = run_at_once(lambda person: registration_create(event=event, user=person), people)

    assert len(results) == PEOPLE
    assert not [result for result in results if isinstance(result, Exception)]
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.REGISTERED) == CAPACITY
    assert statuses.count(RegistrationStatus.WAITLISTED) == PEOPLE - CAPACITY
    positions = list(
        Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED)
        .order_by("position")
        .values_list("position", flat=True)
    )
    assert len(set(positions)) == len(positions)


@pytest.mark.postgres
def test_concurrent_cancellations_promote_each_waitlisted_person_once(transactional_db):
    event = EventFactory(capacity=CAPACITY)
    people = [UserFactory() for _ in range(CAPACITY * 2)]
    registrations = [registration_create(event=event, user=person) for person in people]
    seated = [r for r in registrations if r.status == RegistrationStatus.REGISTERED]

    run_at_once(lambda r: registration_cancel(registration=r, actor=r.user), seated)

    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.REGISTERED) == CAPACITY
    assert statuses.count(RegistrationStatus.CANCELLED) == CAPACITY
    assert statuses.count(RegistrationStatus.WAITLISTED) == 0


@pytest.mark.postgres
def test_the_same_person_registering_twice_at_once_gets_one_registration(transactional_db):
    event = EventFactory(capacity=CAPACITY)
    person = UserFactory()
    results = run_at_once(lambda _: registration_create(event=event, user=person), [1, 2, 3])
    assert Registration.objects.filter(event=event, user=person).count() == 1
    assert sum(isinstance(result, ValidationError) for result in results) == 2
