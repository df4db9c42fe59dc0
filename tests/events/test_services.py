import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from events import services
from events.models import EventStatus, Registration, RegistrationStatus
from tests.events.factories import EventFactory, RegistrationFactory, in_days
from tests.stakeholders.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_event(world):
    return EventFactory(initiative=world.kenya_initiative, capacity=2, title="Small workshop")


def register(event, user, **kwargs):
    return services.registration_create(event=event, user=user, **kwargs)


def test_registration_gives_a_seat_while_there_is_one_then_the_waiting_list(small_event):
    first, second, third, fourth = (UserFactory() for _ in range(4))
    assert register(small_event, first).status == RegistrationStatus.REGISTERED
    assert register(small_event, second).status == RegistrationStatus.REGISTERED
    waiting = register(small_event, third)
    later = register(small_event, fourth)
    assert waiting.status == later.status == RegistrationStatus.WAITLISTED
    assert waiting.position < later.position
    assert AuditEntry.objects.filter(action="registration.waitlisted").count() == 2


def test_cancelling_promotes_the_first_waitlisted_person_and_emails_them(
    small_event, mailoutbox, django_capture_on_commit_callbacks
):
    first, second, third, fourth = (UserFactory() for _ in range(4))
    seat = register(small_event, first)
    register(small_event, second)
    waiting = register(small_event, third)
    register(small_event, fourth)

    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.registration_cancel(registration=seat, actor=first)

    assert [registration.pk for registration in promoted] == [waiting.pk]
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED
    assert waiting.position is None
    assert Registration.objects.get(user=fourth).status == RegistrationStatus.WAITLISTED
    assert [message.to for message in mailoutbox] == [[third.email]]
    assert "A seat for you: Small workshop" in mailoutbox[0].subject
    assert small_event.venue not in mailoutbox[0].body


def test_each_registration_is_confirmed_by_email_with_what_it_became(
    world, small_event, mailoutbox, django_capture_on_commit_callbacks
):
    """A seat, a place on the waiting list or an application: the person hears which, and
    the email gives no venue (the event page shows it to those who may see it)."""
    small_event.capacity = 1
    small_event.venue = "Hall 3, Nairobi"
    small_event.save()
    seated, waiting = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        register(small_event, seated)
        register(small_event, waiting)
    approval = EventFactory(
        initiative=world.kenya_initiative, requires_approval=True, title="Closed roundtable"
    )
    with django_capture_on_commit_callbacks(execute=True):
        register(approval, seated)
    by_subject = {message.subject: message for message in mailoutbox}
    assert sorted(by_subject) == [
        "[VPI Portal] Application sent: Closed roundtable",
        "[VPI Portal] On the waiting list: Small workshop",
        "[VPI Portal] Registered: Small workshop",
    ]
    assert by_subject["[VPI Portal] Registered: Small workshop"].to == [seated.email]
    assert (
        "You are registered for Small workshop."
        in by_subject["[VPI Portal] Registered: Small workshop"].body
    )
    waiting_mail = by_subject["[VPI Portal] On the waiting list: Small workshop"]
    assert waiting_mail.to == [waiting.email]
    assert "on its waiting list, number 1" in waiting_mail.body
    assert (
        "They decide on each application"
        in by_subject["[VPI Portal] Application sent: Closed roundtable"].body
    )
    assert all("Hall 3" not in message.body for message in mailoutbox)


def test_cancelling_a_waitlisted_place_promotes_no_one(small_event):
    users = [UserFactory() for _ in range(3)]
    for user in users:
        register(small_event, user)
    waiting = Registration.objects.get(user=users[2])
    assert services.registration_cancel(registration=waiting, actor=users[2]) == []
    assert small_event.registrations.filter(status="registered").count() == 2


def test_a_person_may_register_again_after_cancelling(small_event, user):
    registration = register(small_event, user)
    services.registration_cancel(registration=registration, actor=user)
    again = register(small_event, user)
    assert again.pk == registration.pk
    assert again.status == RegistrationStatus.REGISTERED


def test_registering_twice_is_refused(small_event, user):
    register(small_event, user)
    with pytest.raises(ValidationError, match="already on the list"):
        register(small_event, user)
    assert Registration.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        (RegistrationStatus.REGISTERED, "(registered)"),
        (RegistrationStatus.WAITLISTED, "(on the waiting list)"),
        (RegistrationStatus.APPLIED, "(applied, waiting for the organizers)"),
        (RegistrationStatus.ATTENDED, "(attended)"),
    ],
)
def test_registering_again_names_ones_place_on_the_list(small_event, user, status, shown):
    RegistrationFactory(event=small_event, user=UserFactory(), status=RegistrationStatus.CANCELLED)
    RegistrationFactory(event=small_event, user=user, status=status)
    with pytest.raises(ValidationError) as refused:
        register(small_event, user)
    assert refused.value.messages == [f"You are already on the list for this event {shown}."]


def test_only_seats_count_towards_the_capacity_and_the_waiting_list_continues(small_event):
    for status in ("cancelled", "declined", "applied"):
        RegistrationFactory(event=small_event, status=status)
    RegistrationFactory(event=small_event, status="waitlisted", position=7)
    RegistrationFactory(event=EventFactory(initiative=small_event.initiative))  # elsewhere
    seated = [register(small_event, UserFactory()) for _ in range(2)]
    waiting = register(small_event, UserFactory())
    assert [r.status for r in seated] == [RegistrationStatus.REGISTERED] * 2
    assert (waiting.status, waiting.position) == (RegistrationStatus.WAITLISTED, 8)


def test_registration_takes_the_event_or_its_key(small_event, user):
    registration = services.registration_create(event=small_event.pk, user=user)
    assert registration.event == small_event
    assert registration.status == RegistrationStatus.REGISTERED


def test_a_missing_event_is_refused_as_no_such_event(user):
    with pytest.raises(ValidationError) as refused:
        services.registration_create(event=987654, user=user)
    assert refused.value.code == services.NO_SUCH_EVENT


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": EventStatus.CANCELLED}, "has been cancelled"),
        (
            {"registration_opens_at": in_days(2)},
            "Registration opens on",
        ),
        ({"registration_closes_at": in_days(-1)}, "has closed"),
        ({"starts_at": in_days(-3), "ends_at": in_days(-2)}, "is over"),
    ],
    ids=["cancelled", "not-open-yet", "closed", "over"],
)
def test_registration_outside_the_window_is_refused_and_nothing_saved(
    world, user, changes, message
):
    event = EventFactory(initiative=world.kenya_initiative, **changes)
    with pytest.raises(ValidationError, match=message):
        register(event, user)
    assert not Registration.objects.exists()


def test_an_invisible_event_cannot_be_registered_for(world):
    event = EventFactory(initiative=world.kenya_initiative, visibility="invitation")
    with pytest.raises(ValidationError, match="no such event"):
        register(event, world["registered"])
    assert not Registration.objects.exists()


def test_registration_on_behalf_of_ones_own_organization(world, kenya_event):
    registration = register(kenya_event, world["org_admin"], organization=world.organization)
    assert registration.organization == world.organization


def test_registration_on_behalf_of_someone_elses_organization_is_refused(world, kenya_event):
    with pytest.raises(ValidationError, match="organization you belong to"):
        register(kenya_event, world["registered"], organization=OrganizationFactory())
    assert not Registration.objects.exists()


def test_applications_wait_for_the_organizers(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(
        initiative=world.kenya_initiative, requires_approval=True, capacity=1, title="Closed door"
    )
    first = register(event, world["registered"])
    second = register(event, world["org_admin"])
    assert first.status == second.status == RegistrationStatus.APPLIED

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_decide(registration=first, actor=world["focal_point"], approve=True)
        services.registration_decide(registration=second, actor=world["focal_point"], approve=True)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RegistrationStatus.REGISTERED
    assert second.status == RegistrationStatus.WAITLISTED
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [world["registered"].email, world["org_admin"].email]
    )
    with pytest.raises(ValidationError, match="decided already"):
        services.registration_decide(registration=first, actor=world["staff"], approve=False)


def test_a_declined_applicant_cannot_register_again(world):
    event = EventFactory(initiative=world.kenya_initiative, requires_approval=True)
    application = register(event, world["registered"])
    services.registration_decide(
        registration=application, actor=world["focal_point"], approve=False
    )
    with pytest.raises(ValidationError, match="declined"):
        register(event, world["registered"])


def test_raising_the_capacity_promotes_the_waiting_list(world):
    event = EventFactory(initiative=world.kenya_initiative, capacity=1)
    register(event, world["registered"])
    waiting = register(event, world["org_admin"])
    from events.forms import AgendaFormSet, EventForm

    form = EventForm(
        data={
            "kind": event.kind,
            "format": event.format,
            "title": event.title,
            "time_zone": event.time_zone,
            "starts_at": "2030-01-10T09:00",
            "ends_at": "2030-01-10T12:00",
            "visibility": event.visibility,
            "capacity": 2,
        },
        instance=event,
        user=world["focal_point"],
    )
    agenda = AgendaFormSet(
        data={
            "agenda-TOTAL_FORMS": "0",
            "agenda-INITIAL_FORMS": "0",
        },
        instance=event,
        prefix="agenda",
    )
    assert form.is_valid(), form.errors
    assert agenda.is_valid()
    services.event_save(event_form=form, agenda_formset=agenda, actor=world["focal_point"])
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED
    event.refresh_from_db()
    assert event.sequence == 1
    assert event.starts_at == datetime.datetime(2030, 1, 10, 6, 0, tzinfo=datetime.UTC)


def test_cancelling_an_event_tells_everyone_still_on_its_lists(
    world, kenya_event, mailoutbox, django_capture_on_commit_callbacks
):
    RegistrationFactory(event=kenya_event, user=world["registered"])
    RegistrationFactory(event=kenya_event, user=world["org_admin"], status="waitlisted")
    RegistrationFactory(event=kenya_event, user=world["coordinator"], status="cancelled")
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(
            event=kenya_event, actor=world["focal_point"], message="The venue is unavailable."
        )
    kenya_event.refresh_from_db()
    assert kenya_event.status == EventStatus.CANCELLED
    assert kenya_event.sequence == 1
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [world["registered"].email, world["org_admin"].email]
    )
    assert "Cancelled: Kenya consultation" in mailoutbox[0].subject
    assert "The venue is unavailable." in mailoutbox[0].body
    assert AuditEntry.objects.filter(action="event.cancelled").exists()
    with pytest.raises(ValidationError, match="no longer be cancelled"):
        services.event_cancel(event=kenya_event, actor=world["staff"], message="Again")


def test_postponing_moves_the_event_and_tells_registrants(
    world, kenya_event, mailoutbox, django_capture_on_commit_callbacks
):
    RegistrationFactory(event=kenya_event, user=world["registered"])
    starts_at = in_days(30)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_postpone(
            event=kenya_event,
            actor=world["focal_point"],
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            message="The minister asked for another date.",
        )
    kenya_event.refresh_from_db()
    assert kenya_event.status == EventStatus.POSTPONED
    assert kenya_event.starts_at == starts_at
    assert [message.to for message in mailoutbox] == [[world["registered"].email]]
    assert "Moved: Kenya consultation" in mailoutbox[0].subject


def test_postponing_to_an_end_before_the_start_is_refused(world, kenya_event):
    starts_at = kenya_event.starts_at
    with pytest.raises(ValidationError, match="end after it starts"):
        services.event_postpone(
            event=kenya_event,
            actor=world["focal_point"],
            starts_at=in_days(30),
            ends_at=in_days(29),
            message="Moved",
        )
    kenya_event.refresh_from_db()
    assert kenya_event.starts_at == starts_at
    assert kenya_event.status == EventStatus.SCHEDULED


def test_invitation_registers_the_person_and_lets_them_see_the_event(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    from events.models import Event

    event = EventFactory(initiative=world.kenya_initiative, visibility="invitation")
    assert not Event.objects.visible_to(world["registered"]).filter(pk=event.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_invite(
            event=event, user=world["registered"], actor=world["focal_point"]
        )
    assert Event.objects.visible_to(world["registered"]).filter(pk=event.pk).exists()
    assert [message.to for message in mailoutbox] == [[world["registered"].email]]


def test_attendance_marks_attended_and_no_show_and_the_event_as_held(world):
    event = EventFactory(
        initiative=world.kenya_initiative, starts_at=in_days(-1), ends_at=in_days(-1, hour=12)
    )
    came = RegistrationFactory(event=event, user=world["registered"])
    absent = RegistrationFactory(event=event, user=world["org_admin"])
    changed = services.attendance_record(
        event=event, actor=world["focal_point"], attended={came.pk: True, absent.pk: False}
    )
    assert changed == 2
    came.refresh_from_db()
    absent.refresh_from_db()
    assert came.status == RegistrationStatus.ATTENDED
    assert absent.status == RegistrationStatus.NO_SHOW
    event.refresh_from_db()
    assert event.status == EventStatus.HELD


def test_attendance_before_the_event_is_refused(world, kenya_event):
    with pytest.raises(ValidationError, match="once the event has started"):
        services.attendance_record(event=kenya_event, actor=world["focal_point"], attended={})


def test_resetting_the_calendar_feed_replaces_its_token(user):
    old = services.calendar_feed_for(user).token
    new = services.calendar_feed_reset(user=user).token
    assert old != new
    assert services.calendar_feed_for(user).token == new


def test_event_times_are_stored_aware(kenya_event):
    assert timezone.is_aware(kenya_event.starts_at)
