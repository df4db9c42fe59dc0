import factory
from allauth.account.models import EmailAddress

from stakeholders.models import User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """Give the person a verified primary address, as allauth requires to sign in."""
        if create and extracted is not False:
            self.save()
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class StaffFactory(UserFactory):
    is_staff = True
