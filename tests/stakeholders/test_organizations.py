"""Registering an organization, its page, its edits and "My organizations"."""

import pytest
from django.core import mail

from audit.models import AuditEntry
from stakeholders.models import (
    MemberRole,
    MembershipStatus,
    Organization,
    OrganizationMember,
    OrganizationStatus,
    OrganizationVisibility,
    Theme,
)
from tests.stakeholders.factories import (
    AllianceMembershipFactory,
    OrganizationFactory,
    OrganizationMemberFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


PERSONAS = [
    "visitor",
    "registered",
    "org_admin",
    "coordinator",
    "focal_point",
    "other_focal_point",
    "staff",
]


def registration(in_country, **overrides):
    themes = Theme.objects.filter(slug__in=["trafficking-in-persons", "victim-assistance"])
    return {
        "name": "Haki na Usalama",
        "acronym": "HNU",
        "kind": "ngo",
        "country": in_country.pk,
        "city": "Mombasa",
        "website": "https://haki.example.org",
        "description": "Legal aid for survivors of trafficking on the coast.",
        "themes": [theme.pk for theme in themes],
        "contact_email": "info@haki.example.org",
        "visibility": "public",
        **overrides,
    }


def page(response) -> str:
    return response.content.decode()


# --- Registration ------------------------------------------------------------------------------


def test_registering_makes_a_pending_organization_with_its_creator_as_admin(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for("registered")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/organizations/new/", registration(world.kenya), follow=True)

    organization = Organization.objects.get(name="Haki na Usalama")
    assert organization.status == OrganizationStatus.PENDING
    assert organization.country == world.kenya
    assert organization.created_by == world["registered"]
    assert sorted(organization.themes.values_list("slug", flat=True)) == [
        "trafficking-in-persons",
        "victim-assistance",
    ]
    member = OrganizationMember.objects.get(organization=organization)
    assert (member.user, member.role) == (world["registered"], MemberRole.ADMIN)

    content = page(response)
    assert response.redirect_chain[-1][0] == organization.get_absolute_url()
    assert "CSU staff will review it" in content
    assert "Waiting for review." in content
    assert "info@haki.example.org" in content  # its admin sees the contact email

    assert [message.to for message in mail.outbox] == [[world["staff"].email]]
    assert "Organization to review: Haki na Usalama" in mail.outbox[0].subject
    assert AuditEntry.objects.filter(
        action="organization.registered", target_id=str(organization.pk)
    ).exists()


def test_registration_form_offers_only_the_portals_countries(world, client_for):
    content = page(client_for("registered").get("/organizations/new/"))
    assert "Kenya" in content
    assert "Pakistan" in content
    assert "Mexico" not in content
    assert content.count("<h1") == 1


def test_a_visitor_is_asked_to_sign_in_before_registering(client, world):
    response = client.get("/organizations/new/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/organizations/new/")


@pytest.mark.parametrize(
    ("overrides", "field_error"),
    [
        ({"website": "not a website"}, "Enter a valid URL."),
        ({"website": "javascript:alert(1)"}, "Enter a valid URL."),
        (
            {"description": "x" * 5001},
            "Ensure this value has at most 5000 characters (it has 5001).",
        ),
        ({"name": ""}, "This field is required."),
        ({"contact_email": "nobody"}, "Enter a valid email address."),
        ({"country": "999999"}, "Select a valid choice."),
        ({"kind": "government"}, "Select a valid choice."),
    ],
)
def test_bad_registration_input_is_refused_with_a_field_error_and_nothing_saved(
    world, client_for, overrides, field_error
):
    before = Organization.objects.count()
    response = client_for("registered").post(
        "/organizations/new/", registration(world.kenya, **overrides)
    )
    content = page(response)
    assert response.status_code == 200
    assert field_error in content
    assert "Legal aid for survivors" in content or "x" * 100 in content  # input kept
    assert Organization.objects.count() == before
    assert not AuditEntry.objects.filter(action="organization.registered").exists()


@pytest.mark.parametrize(
    ("status", "visibility"),
    [
        (OrganizationStatus.VERIFIED, OrganizationVisibility.ALLIANCE),
        (OrganizationStatus.PENDING, OrganizationVisibility.PUBLIC),
        (OrganizationStatus.REJECTED, OrganizationVisibility.PUBLIC),
        (OrganizationStatus.VERIFIED, OrganizationVisibility.PUBLIC),
    ],
)
def test_a_name_already_taken_is_answered_as_any_new_name_and_flagged_to_vetting(
    world, client_for, staff_client, status, visibility
):
    """Refusing a taken name would confirm to anyone who guessed it that a hidden, pending
    or rejected organization exists: the registration is taken as any other, pending, and
    CSU vetting sees the likely duplicate."""
    OrganizationFactory(
        name="Haki na Usalama", country=world.kenya, status=status, visibility=visibility
    )
    fresh = client_for("registered").post(
        "/organizations/new/", registration(world.kenya, name="Ujasiri Kwa Wote")
    )
    taken = client_for("registered").post(
        "/organizations/new/", registration(world.kenya, name="HAKI NA USALAMA")
    )
    assert fresh.status_code == taken.status_code == 302
    assert "already" not in page(client_for("registered").get(taken["Location"]))
    duplicate = Organization.objects.get(name="HAKI NA USALAMA")
    assert duplicate.status == OrganizationStatus.PENDING
    queue = page(staff_client.get("/vetting/"))
    assert "Possible duplicate of 1 organization" in queue
    detail = page(staff_client.get(f"/vetting/{duplicate.slug}/"))
    assert "Possible duplicate." in detail
    assert "Haki na Usalama" in detail


def test_the_same_name_may_be_registered_in_another_country(world, client_for):
    OrganizationFactory(name="Haki na Usalama", country=world.kenya)
    response = client_for("registered").post("/organizations/new/", registration(world.pakistan))
    assert response.status_code == 302
    assert Organization.objects.filter(name="Haki na Usalama").count() == 2


# --- The organization's page --------------------------------------------------------------------


def organization_in_each_visibility(world):
    """A public, a registered-only and an alliance-only organization, verified, members of
    the Kenyan alliance; and a pending one."""
    made = {}
    for visibility in OrganizationVisibility.values:
        made[visibility] = AllianceMembershipFactory(
            alliance=world.kenya_alliance,
            organization=OrganizationFactory(
                country=world.kenya, visibility=visibility, name=f"Org {visibility}"
            ),
        ).organization
    made["pending"] = OrganizationFactory(
        country=world.kenya, status=OrganizationStatus.PENDING, name="Org pending"
    )
    return made


# Who may see which organization (the design's "see an organization" row).
VISIBILITY_MATRIX = {
    "public": dict.fromkeys(PERSONAS, True),
    "registered": {**dict.fromkeys(PERSONAS, True), "visitor": False},
    "alliance": {
        "visitor": False,
        "registered": False,
        "org_admin": True,  # their organization is an approved member of the same alliance
        "coordinator": True,
        "focal_point": False,
        "other_focal_point": False,
        "staff": True,
    },
    "pending": {**dict.fromkeys(PERSONAS, False), "staff": True},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", list(VISIBILITY_MATRIX))
def test_organization_page_is_shown_only_to_those_its_visibility_allows(
    world, client_for, persona, kind
):
    organization = organization_in_each_visibility(world)[kind]
    response = client_for(persona).get(organization.get_absolute_url())
    if VISIBILITY_MATRIX[kind][persona]:
        assert response.status_code == 200
        assert organization.name in page(response)
    else:
        assert response.status_code == 404
        assert organization.name not in page(response)


def test_an_alliance_only_organization_is_hidden_from_a_verified_org_outside_the_alliance(
    world, client_for
):
    hidden = organization_in_each_visibility(world)["alliance"]
    outsider = OrganizationMemberFactory(
        organization=OrganizationFactory(country=world.pakistan), role=MemberRole.ADMIN
    ).user
    client = client_for("visitor")
    client.force_login(outsider)
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_organization_page_shows_profile_themes_and_approved_alliance_membership(world, client_for):
    organization = world.organization
    organization.themes.set(Theme.objects.filter(slug="firearms"))
    content = page(client_for("visitor").get(organization.get_absolute_url()))
    assert content.count("<h1") == 1
    assert organization.name in content
    assert organization.description.split()[0] in content
    assert "Firearms" in content
    assert world.kenya_alliance.name in content
    # Private details stay private for a visitor.
    assert organization.contact_email not in content
    assert "Oscar OrgAdmin" not in content
    assert "Edit the profile" not in content


def test_a_declined_alliance_membership_is_not_shown_as_membership(world, client_for):
    organization = OrganizationFactory(country=world.kenya)
    AllianceMembershipFactory(
        alliance=world.kenya_alliance,
        organization=organization,
        status=MembershipStatus.DECLINED,
    )
    content = page(client_for("registered").get(organization.get_absolute_url()))
    assert "Not a member of a National Civil Society Alliance yet." in content


@pytest.mark.parametrize(
    ("persona", "sees_contact"),
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
def test_contact_email_is_shown_only_to_those_allowed(world, client_for, persona, sees_contact):
    content = page(client_for(persona).get(world.organization.get_absolute_url()))
    assert (world.organization.contact_email in content) is sees_contact


@pytest.mark.parametrize(
    ("status", "reason", "banner"),
    [
        (OrganizationStatus.PENDING, "", "Waiting for review."),
        (
            OrganizationStatus.MORE_INFO,
            "Please add your registration number.",
            "CSU staff need more information.",
        ),
        (OrganizationStatus.REJECTED, "Not a civil society organization.", "could not verify"),
        (OrganizationStatus.SUSPENDED, "Under review after a complaint.", "is suspended"),
    ],
)
def test_members_see_a_status_banner_with_the_reason(world, client_for, status, reason, banner):
    organization = world.organization
    organization.status, organization.status_reason = status, reason
    organization.save()
    content = page(client_for("org_admin").get(organization.get_absolute_url()))
    assert banner in content
    assert reason in content


def test_a_verified_organization_shows_no_banner(world, client_for):
    content = page(client_for("org_admin").get(world.organization.get_absolute_url()))
    assert "Waiting for review." not in content
    assert "Verified" in content


def test_an_unknown_organization_is_a_404(client, db):
    assert client.get("/organizations/nothing-here/").status_code == 404


# --- Editing ----------------------------------------------------------------------------------


def edit_data(organization, **overrides):
    return {
        "name": organization.name,
        "acronym": organization.acronym,
        "kind": organization.kind,
        "country": organization.country_id,
        "city": organization.city,
        "website": organization.website,
        "description": organization.description,
        "themes": [],
        "contact_email": organization.contact_email,
        "visibility": organization.visibility,
        **overrides,
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("visitor", 302),
        ("registered", 403),
        ("org_admin", 200),
        ("coordinator", 403),
        ("focal_point", 403),
        ("other_focal_point", 403),
        ("staff", 200),
    ],
)
def test_only_admins_and_staff_may_edit(world, client_for, persona, expected):
    url = f"/organizations/{world.organization.slug}/edit/"
    assert client_for(persona).get(url).status_code == expected
    client_for(persona).post(
        url, edit_data(world.organization, description="Changed by " + persona)
    )
    world.organization.refresh_from_db()
    assert (world.organization.description == "Changed by " + persona) is (expected == 200)


def test_editing_a_hidden_organization_is_a_404_not_a_403(world, client_for):
    hidden = OrganizationFactory(status=OrganizationStatus.PENDING, country=world.kenya)
    assert client_for("registered").get(f"/organizations/{hidden.slug}/edit/").status_code == 404


def test_an_admin_edits_the_profile(world, client_for):
    response = client_for("org_admin").post(
        f"/organizations/{world.organization.slug}/edit/",
        edit_data(world.organization, city="Kisumu", acronym="NEW"),
        follow=True,
    )
    world.organization.refresh_from_db()
    assert world.organization.city == "Kisumu"
    assert "The profile is saved." in page(response)
    assert AuditEntry.objects.filter(action="organization.updated").exists()


def test_an_edit_to_a_name_already_used_in_the_country_is_saved_like_any_other(world, client_for):
    OrganizationFactory(
        name="Taken Name", country=world.kenya, visibility=OrganizationVisibility.ALLIANCE
    )
    response = client_for("org_admin").post(
        f"/organizations/{world.organization.slug}/edit/",
        edit_data(world.organization, name="taken name"),
    )
    assert response.status_code == 302
    world.organization.refresh_from_db()
    assert world.organization.name == "taken name"


def test_keeping_its_own_name_is_not_a_duplicate(world, client_for):
    response = client_for("org_admin").post(
        f"/organizations/{world.organization.slug}/edit/", edit_data(world.organization)
    )
    assert response.status_code == 302


def test_an_organization_asked_for_more_information_returns_to_review_when_edited(
    world, client_for, django_capture_on_commit_callbacks
):
    organization = world.organization
    organization.status = OrganizationStatus.MORE_INFO
    organization.status_reason = "Add your registration number."
    organization.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("org_admin").post(
            f"/organizations/{organization.slug}/edit/",
            edit_data(organization, description="Registration number 12345."),
            follow=True,
        )
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.PENDING
    assert "gone back to CSU staff for review" in page(response)
    assert [message.to for message in mail.outbox] == [[world["staff"].email]]


# --- My organizations -------------------------------------------------------------------------


def test_my_organizations_lists_each_with_role_and_status(world, client_for):
    pending = OrganizationFactory(
        name="Still Pending", country=world.kenya, status=OrganizationStatus.PENDING
    )
    OrganizationMemberFactory(user=world["org_admin"], organization=pending)
    content = page(client_for("org_admin").get("/organizations/mine/"))
    assert world.organization.name in content
    assert "Still Pending" in content
    assert "Pending review" in content
    assert "Admin" in content
    assert "Register an organization" in content
    assert content.count("<h1") == 1


def test_my_organizations_has_an_empty_state(world, client_for):
    content = page(client_for("registered").get("/organizations/mine/"))
    assert "You do not belong to an organization yet." in content


def test_the_navbar_links_to_my_organizations_for_signed_in_people_only(world, client_for):
    assert "/organizations/mine/" in page(client_for("registered").get("/"))
    assert "/organizations/mine/" not in page(client_for("visitor").get("/"))


def test_my_organizations_needs_a_signed_in_person(client, db):
    assert client.get("/organizations/mine/").status_code == 302
