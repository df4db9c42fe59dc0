import factory

from notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    """An email waiting in the outbox."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory("tests.stakeholders.factories.UserFactory")
    to_email = factory.LazyAttribute(lambda row: row.recipient.email)
    kind = "test"
    dedupe_key = factory.Sequence(lambda n: f"test:{n}")
    subject = "Hello"
    body_text = "Hello"
