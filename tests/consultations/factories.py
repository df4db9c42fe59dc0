import datetime

import factory
from django.utils import timezone

from consultations.models import Audience, Consultation, ConsultationInput


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    initiative = factory.SubFactory("tests.countries.factories.InitiativeFactory")
    title = "Draft law on trafficking in persons and smuggling of migrants"
    description = "Which provisions protect victims well enough, and which do not?"
    deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    audience = Audience.ALLIANCE


class ConsultationInputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationInput

    consultation = factory.SubFactory(ConsultationFactory)
    organization = factory.SubFactory("tests.stakeholders.factories.OrganizationFactory")
    text = "Article 12 should guarantee shelter for victims."
