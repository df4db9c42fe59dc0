import datetime
from typing import Any

import factory
from django.utils import timezone

from events.models import (
    ActionItem,
    AgendaItem,
    Event,
    EventFormat,
    EventKind,
    EventVisibility,
    Registration,
    RegistrationStatus,
)


def in_days(days: float, hour: int = 9) -> datetime.datetime:
    """An aware moment ``days`` from now, at a round UTC hour."""
    moment = timezone.now() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    initiative = factory.SubFactory("tests.countries.factories.InitiativeFactory")
    kind = EventKind.STAKEHOLDER_CONSULTATION
    format = EventFormat.HYBRID
    title = factory.Sequence(lambda n: f"Consultation on the roadmap {n}")
    description = "Government and civil society discuss the draft priorities."
    starts_at = factory.LazyFunction(lambda: in_days(10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    time_zone = "Africa/Nairobi"
    venue = "UN Gigiri complex, Conference room 4"
    online_link = "https://meet.example.org/vpi-consultation"
    visibility = EventVisibility.PUBLIC

    @factory.post_generation
    def organizers(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.organizers.add(*extracted)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    speakers = "Ministry of Interior; Kenya Anti-Trafficking Network"
    order = factory.Sequence(lambda n: n)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory("tests.stakeholders.factories.UserFactory")
    status = RegistrationStatus.REGISTERED


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    event = factory.SubFactory(EventFactory)
    text = "Draft the referral mechanism for smuggled migrants"
    owner = "Ministry of Interior"
    due_on = factory.LazyFunction(lambda: (timezone.now() + datetime.timedelta(days=90)).date())


def event_form_data(event: Event, user, **changes: Any) -> dict[str, Any]:
    """The event's edit form as an organizer finds it, with ``changes`` typed in."""
    from events.forms import EventForm

    form = EventForm(instance=event, user=user)
    data: dict[str, Any] = {"agenda-TOTAL_FORMS": "0", "agenda-INITIAL_FORMS": "0"}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, datetime.datetime):
            value = value.strftime("%Y-%m-%dT%H:%M")
        if value is True:
            value = "on"
        if value not in (None, False):
            data[name] = value
    data.update(changes)
    return data
