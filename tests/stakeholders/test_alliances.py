"""The alliance page, join requests and withdrawals, through the test client."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client

from countries.models import RiskLevel, Visibility
from stakeholders.models import (
    AllianceMembership,
    MemberListVisibility,
    MemberRole,
    MembershipStatus,
    OrganizationKind,
    OrganizationStatus,
    OrganizationVisibility,
)
from tests.stakeholders.factories import (
    AllianceFactory,
    AllianceMembershipFactory,
    OrganizationFactory,
    OrganizationMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PAGE = "/alliances/ke/"
JOIN = "/alliances/ke/join/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def applicant(world):
    """An admin of a verified Kenyan organization that is not in the alliance yet."""
    person = UserFactory(full_name="Amina Applicant", email="amina@example.org")
    organization = OrganizationFactory(country=world.kenya, name="Haki Trust", acronym="HT")
    OrganizationMemberFactory(user=person, organization=organization, role=MemberRole.ADMIN)
    return person, organization


def set_list_visibility(world, visibility: str, risk: str = RiskLevel.STANDARD) -> None:
    world.kenya.risk_level = risk
    world.kenya.save()
    world.kenya_alliance.member_list_visibility = visibility
    world.kenya_alliance.save()


# --- The page ------------------------------------------------------------------------------


def test_alliance_page_shows_description_founded_and_coordinators(world, client_for):
    world.kenya_alliance.founded_on = "2024-03-05"
    world.kenya_alliance.save()
    response = client_for("registered").get(PAGE)
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert world.kenya_alliance.name in content
    assert "Organizations working together against organized crime." in content
    assert "March 5, 2024" in content
    assert "Cora Coordinator" in content
    assert "coordinator@example.org" not in content


def test_coordinators_show_their_display_name_never_their_email(world, client_for):
    world["coordinator"].display_name = "Coordinator K"
    world["coordinator"].save()
    content = client_for("registered").get(PAGE).content.decode()
    assert "Coordinator K" in content
    assert "Cora Coordinator" not in content
    assert "coordinator@example.org" not in content


def test_visitors_see_the_alliance_but_no_person(world, client):
    content = client.get(PAGE).content.decode()
    assert world.kenya_alliance.name in content
    assert "Cora Coordinator" not in content
    assert "Oscar OrgAdmin" not in content
    assert "@example.org" not in content


@pytest.mark.parametrize("path", ["/alliances/pk/", "/alliances/zz/", "/alliances/kenya/"])
def test_country_without_alliance_or_unknown_code_is_a_404(world, client_for, path):
    assert client_for("staff").get(path).status_code == 404


def test_alliance_of_a_members_only_initiative_is_a_404_for_visitors(world, client, client_for):
    world.kenya_initiative.visibility = Visibility.MEMBERS
    world.kenya_initiative.save()
    response = client.get(PAGE)
    assert response.status_code == 404
    assert world.kenya_alliance.name not in response.content.decode()
    assert client_for("registered").get(PAGE).status_code == 200


def test_country_codes_are_case_insensitive(world, client):
    assert client.get("/alliances/KE/").status_code == 200


# --- Who sees the member list ------------------------------------------------------------


def test_member_list_for_registered_people_hides_names_from_visitors_but_counts_by_kind(
    world, client, client_for
):
    set_list_visibility(world, MemberListVisibility.REGISTERED)
    name = world.organization.name
    visitor = client.get(PAGE).content.decode()
    assert name not in visitor
    assert "1 verified organization takes part" in visitor
    assert "Non-governmental organization" in visitor
    assert "listed to signed-in people" in visitor
    assert name in client_for("registered").get(PAGE).content.decode()


def test_public_member_list_is_shown_to_visitors(world, client):
    set_list_visibility(world, MemberListVisibility.PUBLIC)
    content = client.get(PAGE).content.decode()
    assert world.organization.name in content
    assert world.organization.get_absolute_url() in content


@pytest.mark.parametrize(
    ("persona", "sees_names"),
    [
        ("visitor", False),
        ("registered", False),
        ("org_admin", True),
        ("coordinator", True),
        ("focal_point", False),
        ("other_focal_point", False),
        ("staff", True),
    ],
)
def test_members_only_list_is_shown_to_members_coordinators_and_staff(
    world, client_for, persona, sees_names
):
    set_list_visibility(world, MemberListVisibility.MEMBERS)
    content = client_for(persona).get(PAGE).content.decode()
    assert (world.organization.name in content) is sees_names
    assert "1 verified organization takes part" in content


def test_high_risk_country_hides_names_from_non_members_whatever_the_setting(
    world, client, client_for
):
    set_list_visibility(world, MemberListVisibility.PUBLIC, RiskLevel.HIGH)
    AllianceMembershipFactory(
        alliance=world.kenya_alliance, organization__kind=OrganizationKind.ACADEMIA
    )
    for content in (
        client.get(PAGE).content.decode(),
        client_for("registered").get(PAGE).content.decode(),
    ):
        assert world.organization.name not in content
        assert "2 verified organizations take part" in content
        assert "Non-governmental organization" in content
        assert "Academia and research" in content
        assert "listed to alliance members only" in content
    assert world.organization.name in client_for("org_admin").get(PAGE).content.decode()


def test_listed_members_are_only_those_the_viewer_may_see(world, client_for):
    hidden = AllianceMembershipFactory(
        alliance=world.kenya_alliance,
        organization__name="Quiet Shelter",
        organization__visibility=OrganizationVisibility.ALLIANCE,
    ).organization
    registered = client_for("registered").get(PAGE).content.decode()
    assert world.organization.name in registered
    assert hidden.name not in registered
    assert "2 verified organizations take part" in registered
    assert "Some members chose not to be listed to you." in registered
    assert hidden.name in client_for("org_admin").get(PAGE).content.decode()


def test_counts_leave_out_requests_and_unverified_organizations(world, client):
    AllianceMembershipFactory(alliance=world.kenya_alliance, status=MembershipStatus.REQUESTED)
    AllianceMembershipFactory(alliance=world.kenya_alliance, status=MembershipStatus.DECLINED)
    AllianceMembershipFactory(
        alliance=world.kenya_alliance, organization__status=OrganizationStatus.SUSPENDED
    )
    assert "1 verified organization takes part" in client.get(PAGE).content.decode()


def test_empty_alliance_says_so(world, client):
    AllianceMembership.objects.all().delete()
    assert "No member organizations yet." in client.get(PAGE).content.decode()


def test_org_admin_sees_own_organizations_status_and_a_way_out(world, client_for):
    content = client_for("org_admin").get(PAGE).content.decode()
    assert "Your organizations" in content
    assert "Approved" in content
    assert "Leave the alliance" in content
    assert "Ask to join" not in content


# --- Asking to join ------------------------------------------------------------------------


def test_admin_of_verified_organization_asks_to_join_and_everyone_is_told(
    world, applicant, django_capture_on_commit_callbacks
):
    person, organization = applicant
    client = signed_in(person)
    page = client.get(PAGE).content.decode()
    assert "Ask to join" in page
    assert "On behalf of <strong>Haki Trust</strong>" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            JOIN,
            {"organization": organization.pk, "motivation": "We shelter survivors."},
            follow=True,
        )

    membership = AllianceMembership.objects.get(organization=organization)
    assert membership.status == MembershipStatus.REQUESTED
    assert membership.requested_by == person
    assert membership.motivation == "We shelter survivors."
    content = response.content.decode()
    assert "Your request has been sent." in content
    assert "Requested" in content
    assert "Withdraw the request" in content
    sent = {message.to[0]: message.subject for message in mail.outbox}
    assert sent == {
        "coordinator@example.org": "[VPI Portal] Haki Trust asks to join the alliance",
        "amina@example.org": (
            f"[VPI Portal] Your request to join {world.kenya_alliance.name} was received"
        ),
    }
    assert "We shelter survivors." not in mail.outbox[0].body


def test_double_submitted_join_request_gets_a_clear_message_and_changes_nothing(
    world, applicant, django_capture_on_commit_callbacks
):
    person, organization = applicant
    client = signed_in(person)
    data = {"organization": organization.pk, "motivation": "We shelter survivors."}
    client.post(JOIN, data)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(JOIN, data, follow=True)

    assert "already has a request or membership" in response.content.decode()
    assert AllianceMembership.objects.filter(organization=organization).count() == 1
    assert mail.outbox == []


def test_join_request_needs_a_motivation(world, applicant):
    person, organization = applicant
    response = signed_in(person).post(JOIN, {"organization": organization.pk, "motivation": " "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not AllianceMembership.objects.filter(organization=organization).exists()


def test_oversized_motivation_is_refused_and_kept_in_the_form(world, applicant):
    person, organization = applicant
    response = signed_in(person).post(
        JOIN, {"organization": organization.pk, "motivation": "x" * 3001}
    )
    assert "at most 3000 characters" in response.content.decode()
    assert not AllianceMembership.objects.filter(organization=organization).exists()


def test_admin_of_several_organizations_chooses_which_asks(world, applicant):
    person, first = applicant
    second = OrganizationFactory(country=world.kenya, name="Coast Watch")
    OrganizationMemberFactory(user=person, organization=second, role=MemberRole.ADMIN)
    client = signed_in(person)
    page = client.get(PAGE).content.decode()
    assert '<select name="organization"' in page
    assert "Haki Trust" in page
    assert "Coast Watch" in page

    client.post(JOIN, {"organization": second.pk, "motivation": "Coastal smuggling."})

    assert AllianceMembership.objects.filter(organization=second).exists()
    assert not AllianceMembership.objects.filter(organization=first).exists()


@pytest.mark.parametrize(
    "status",
    [OrganizationStatus.PENDING, OrganizationStatus.REJECTED, OrganizationStatus.SUSPENDED],
)
def test_organization_that_is_not_verified_may_not_ask(world, applicant, status):
    person, organization = applicant
    organization.status = status
    organization.save()
    client = signed_in(person)
    assert "Ask to join" not in client.get(PAGE).content.decode()

    response = client.post(JOIN, {"organization": organization.pk, "motivation": "Please."})

    assert response.status_code == 403
    assert not AllianceMembership.objects.filter(organization=organization).exists()


def test_organization_of_another_country_may_not_ask_to_join_kenyas_alliance(world):
    person = UserFactory()
    organization = OrganizationFactory(country=world.pakistan)
    OrganizationMemberFactory(user=person, organization=organization, role=MemberRole.ADMIN)
    response = signed_in(person).post(
        JOIN, {"organization": organization.pk, "motivation": "Please."}
    )
    assert response.status_code == 403
    assert not AllianceMembership.objects.filter(organization=organization).exists()


def test_plain_member_may_not_ask_on_behalf_of_the_organization(world, applicant):
    _, organization = applicant
    member = UserFactory()
    OrganizationMemberFactory(user=member, organization=organization, role=MemberRole.MEMBER)
    client = signed_in(member)
    assert "Ask to join" not in client.get(PAGE).content.decode()
    assert (
        client.post(JOIN, {"organization": organization.pk, "motivation": "x"}).status_code == 403
    )
    assert not AllianceMembership.objects.filter(organization=organization).exists()


def test_admin_may_not_ask_for_someone_elses_organization(world, applicant):
    person, _ = applicant
    stranger = OrganizationFactory(country=world.kenya)
    response = signed_in(person).post(JOIN, {"organization": stranger.pk, "motivation": "x"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not AllianceMembership.objects.filter(organization=stranger).exists()


def test_join_page_explains_who_may_ask(world, client_for):
    response = client_for("registered").get(JOIN)
    assert response.status_code == 200
    assert "Admins of verified organizations of Kenya may ask to join" in response.content.decode()


def test_visitors_are_sent_to_sign_in_before_asking(world, client):
    response = client.post(JOIN, {"motivation": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- Withdrawing and asking again -----------------------------------------------------------


def test_admin_withdraws_a_request_after_confirming_and_coordinators_are_told(
    world, applicant, django_capture_on_commit_callbacks
):
    person, organization = applicant
    membership = AllianceMembershipFactory(
        alliance=world.kenya_alliance, organization=organization, status=MembershipStatus.REQUESTED
    )
    client = signed_in(person)
    url = f"/alliances/ke/memberships/{membership.pk}/withdraw/"
    confirm = client.get(url).content.decode()
    assert "Withdraw the request of Haki Trust?" in confirm
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.REQUESTED

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)

    membership.refresh_from_db()
    assert membership.status == MembershipStatus.WITHDRAWN
    assert "Haki Trust has withdrawn from the alliance." in response.content.decode()
    subject = f"[VPI Portal] Haki Trust in {world.kenya_alliance.name}: Withdrawn"
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("amina@example.org", subject),
        ("coordinator@example.org", subject),
    ]


def test_withdrawn_organization_may_ask_again(world, applicant):
    person, organization = applicant
    AllianceMembershipFactory(
        alliance=world.kenya_alliance, organization=organization, status=MembershipStatus.WITHDRAWN
    )
    client = signed_in(person)
    assert "Ask to join" in client.get(PAGE).content.decode()
    client.post(JOIN, {"organization": organization.pk, "motivation": "Again, please."})
    statuses = sorted(
        AllianceMembership.objects.filter(organization=organization).values_list(
            "status", flat=True
        )
    )
    assert statuses == [MembershipStatus.REQUESTED, MembershipStatus.WITHDRAWN]


def test_declined_organization_may_ask_again_and_sees_the_note(world, applicant):
    person, organization = applicant
    AllianceMembershipFactory(
        alliance=world.kenya_alliance,
        organization=organization,
        status=MembershipStatus.DECLINED,
        decision_note="Register your board first.",
    )
    client = signed_in(person)
    page = client.get(PAGE).content.decode()
    assert "Declined" in page
    assert "Register your board first." in page
    client.post(JOIN, {"organization": organization.pk, "motivation": "Board registered."})
    assert AllianceMembership.objects.filter(
        organization=organization, status=MembershipStatus.REQUESTED
    ).exists()


def test_database_allows_one_open_membership_and_any_number_of_closed_ones(world):
    membership = world.organization.alliance_memberships.get()
    again = {"alliance": world.kenya_alliance, "organization": world.organization}
    with pytest.raises(IntegrityError), transaction.atomic():
        AllianceMembership.objects.create(**again, status=MembershipStatus.REQUESTED)
    membership.status = MembershipStatus.REMOVED
    membership.save()
    AllianceMembership.objects.create(**again, status=MembershipStatus.DECLINED)
    AllianceMembership.objects.create(**again, status=MembershipStatus.WITHDRAWN)
    AllianceMembership.objects.create(**again, status=MembershipStatus.REQUESTED)
    assert AllianceMembership.objects.filter(**again).count() == 4


def test_member_organization_leaves_the_alliance(world, client_for):
    membership = world.organization.alliance_memberships.get()
    client = client_for("org_admin")
    url = f"/alliances/ke/memberships/{membership.pk}/withdraw/"
    assert "out of the alliance?" in client.get(url).content.decode()
    client.post(url)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.WITHDRAWN


@pytest.mark.parametrize("persona", ["registered", "coordinator", "focal_point"])
def test_only_the_organizations_admins_may_withdraw(world, client_for, persona):
    membership = world.organization.alliance_memberships.get()
    url = f"/alliances/ke/memberships/{membership.pk}/withdraw/"
    assert client_for(persona).get(url).status_code == 404
    assert client_for(persona).post(url).status_code == 404
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.APPROVED


def test_withdrawing_twice_says_it_is_already_withdrawn(world, client_for):
    membership = world.organization.alliance_memberships.get()
    client = client_for("org_admin")
    url = f"/alliances/ke/memberships/{membership.pk}/withdraw/"
    client.post(url)
    response = client.post(url, follow=True)
    assert "This request is already withdrawn." in response.content.decode()
    assert "This request is already withdrawn." in client.get(url, follow=True).content.decode()


def test_membership_of_another_alliance_is_a_404_under_kenyas_address(world, client_for):
    other = AllianceMembershipFactory(alliance=AllianceFactory(country=world.pakistan))
    assert (
        client_for("staff").get(f"/alliances/ke/memberships/{other.pk}/withdraw/").status_code
        == 404
    )
