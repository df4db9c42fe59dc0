import factory
from allauth.account.models import EmailAddress

from stakeholders.models import (
    Alliance,
    AllianceMembership,
    InitiativeRole,
    MemberListVisibility,
    MemberRole,
    MembershipStatus,
    Organization,
    OrganizationKind,
    OrganizationMember,
    OrganizationStatus,
    OrganizationVisibility,
    RoleKind,
    Theme,
    User,
)

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


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.Sequence(lambda n: f"Theme {n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Civil Society Network {n}")
    acronym = factory.Sequence(lambda n: f"CSN{n}")
    slug = factory.Sequence(lambda n: f"civil-society-network-{n}")
    kind = OrganizationKind.NGO
    country = factory.SubFactory("tests.countries.factories.CountryFactory")
    city = "Nairobi"
    website = "https://example.org"
    description = factory.Faker("paragraph")
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.org")
    visibility = OrganizationVisibility.PUBLIC
    status = OrganizationStatus.VERIFIED


class OrganizationMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizationMember

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = MemberRole.MEMBER


class AllianceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alliance
        django_get_or_create = ["country"]

    country = factory.SubFactory("tests.countries.factories.CountryFactory")
    name = factory.LazyAttribute(lambda o: f"National Civil Society Alliance of {o.country.name}")
    description = "Organizations working together against organized crime."
    member_list_visibility = MemberListVisibility.REGISTERED


class AllianceMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AllianceMembership

    alliance = factory.SubFactory(AllianceFactory)
    organization = factory.SubFactory(
        OrganizationFactory, country=factory.SelfAttribute("..alliance.country")
    )
    status = MembershipStatus.APPROVED
    motivation = "We work on trafficking in persons and want to join the dialogue."


class InitiativeRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InitiativeRole

    user = factory.SubFactory(UserFactory)
    initiative = factory.SubFactory("tests.countries.factories.InitiativeFactory")
    role = RoleKind.FOCAL_POINT
    agency = "Ministry of Interior"
    job_title = "Director"
