"""Working groups through the pages: a focal point creates a group and names a government
expert, an NGO member asks to join and the facilitator decides, they discuss in a thread
with quotes, edits and moderation, and each step tells the people it concerns."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import AuditEntry
from groups.models import GroupMember, MemberStatus, Reply, Side, Thread, WorkingGroup
from tests.groups.factories import (
    GroupMemberFactory,
    ReplyFactory,
    ThreadFactory,
    WorkingGroupFactory,
)
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


def mails_to(person) -> list:
    return [message for message in mail.outbox if message.to == [person.email]]


def body(message) -> str:
    return " ".join(message.body.split())


@pytest.fixture
def group(world):
    return WorkingGroupFactory(
        initiative=world.kenya_initiative,
        facilitator=world["focal_point"],
        title="Referral of victims",
    )


def test_a_focal_point_creates_a_group_and_names_a_government_expert(
    world, client_for, outbox_delivery
):
    client = client_for("focal_point")
    listing = client.get(reverse("groups:list", args=["ke"])).content.decode()
    assert "New working group" in listing
    facilitator = UserFactory(email="facilitator@example.org", full_name="Faith Facilitator")
    with outbox_delivery():
        response = client.post(
            reverse("groups:create", args=["ke"]),
            {
                "title": "Smuggling of migrants at sea",
                "purpose": "Agree a rescue and referral protocol.",
                "visibility": "registered",
                "facilitator_email": "facilitator@example.org",
            },
            follow=True,
        )
    content = response.content.decode()
    assert "The working group is created." in content
    group = WorkingGroup.objects.get(title="Smuggling of migrants at sea")
    assert group.facilitator == facilitator
    (told,) = mails_to(facilitator)
    assert (
        "You are the facilitator of the working group “Smuggling of migrants at sea” in Kenya"
        in (body(told))
    )
    expert = UserFactory(email="expert@example.org", full_name="Eli Expert")
    with outbox_delivery():
        client.post(
            reverse("groups:add_expert", args=[group.pk]),
            {"expert-email": "expert@example.org", "expert-agency": "Coast guard"},
        )
    membership = GroupMember.objects.get(group=group, user=expert)
    assert (membership.side, membership.status) == (Side.GOVERNMENT, MemberStatus.ACTIVE)
    (named,) = mails_to(expert)
    assert (
        named.subject
        == "[VPI Portal] You are a member of the working group Smuggling of migrants at sea"
    )
    assert AuditEntry.objects.filter(action="group.member_added").exists()


def test_an_ngo_member_asks_to_join_and_the_facilitator_approves(
    world, client_for, group, outbox_delivery
):
    member = client_for("org_admin")
    page = member.get(group.get_absolute_url()).content.decode()
    assert "Ask to join" in page
    with outbox_delivery():
        response = member.post(
            reverse("groups:join", args=[group.pk]),
            {"organization": world.organization.pk, "note": "We run the shelters."},
            follow=True,
        )
    assert "Your request is sent" in response.content.decode()
    (asked,) = mails_to(world["focal_point"])
    assert "Someone asks to join the working group “Referral of victims”" in body(asked)
    membership = GroupMember.objects.get(group=group, user=world["org_admin"])
    assert membership.status == MemberStatus.REQUESTED
    facilitator = client_for("focal_point")
    members_page = facilitator.get(reverse("groups:members", args=[group.pk])).content.decode()
    assert "We run the shelters." in members_page
    mail.outbox.clear()
    with outbox_delivery():
        facilitator.post(reverse("groups:decide", args=[membership.pk]), {"decision": "approve"})
    membership.refresh_from_db()
    assert membership.status == MemberStatus.ACTIVE
    (decided,) = mails_to(world["org_admin"])
    assert decided.subject == "[VPI Portal] You joined the working group Referral of victims"
    assert AuditEntry.objects.filter(action="group.member_approved").exists()
    # A second decision changes nothing and says so.
    response = facilitator.post(
        reverse("groups:decide", args=[membership.pk]), {"decision": "decline"}, follow=True
    )
    assert "already been decided" in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == MemberStatus.ACTIVE


def test_people_outside_the_alliance_cannot_ask_to_join(world, client_for, group):
    response = client_for("registered").get(reverse("groups:join", args=[group.pk]))
    assert response.status_code == 403
    assert (
        "Ask to join" not in client_for("registered").get(group.get_absolute_url()).content.decode()
    )


def test_an_invited_person_accepts_and_joins(world, client_for, group, outbox_delivery):
    with outbox_delivery():
        client_for("focal_point").post(
            reverse("groups:invite", args=[group.pk]), {"invite-email": world["org_admin"].email}
        )
    (invited,) = mails_to(world["org_admin"])
    assert "You are invited to join the working group “Referral of victims” in Kenya" in body(
        invited
    )
    client = client_for("org_admin")
    assert (
        "You are invited to join this group."
        in client.get(group.get_absolute_url()).content.decode()
    )
    client.post(reverse("groups:invitation", args=[group.pk]), {"accept": "1"})
    membership = GroupMember.objects.get(group=group, user=world["org_admin"])
    assert (membership.status, membership.organization) == (MemberStatus.ACTIVE, world.organization)


def test_an_invitation_needs_a_person_of_the_alliance(world, client_for, group):
    response = client_for("focal_point").post(
        reverse("groups:invite", args=[group.pk]), {"invite-email": world["registered"].email}
    )
    assert response.status_code == 400
    assert "not in an organization of the country" in response.content.decode()
    assert not GroupMember.objects.filter(group=group).exists()


def test_a_thread_with_replies_quotes_edits_and_new_counts(
    world, client_for, group, outbox_delivery
):
    GroupMemberFactory(
        group=group,
        user=world["org_admin"],
        side=Side.CIVIL_SOCIETY,
        organization=world.organization,
    )
    facilitator = client_for("focal_point")
    with outbox_delivery():
        response = facilitator.post(
            reverse("groups:thread_create", args=[group.pk]),
            {"title": "Border referrals", "context": "Who refers a victim found at the border?"},
            follow=True,
        )
    assert "The thread is open" in response.content.decode()
    thread = Thread.objects.get(title="Border referrals")
    (started,) = mails_to(world["org_admin"])
    assert started.subject == "[VPI Portal] New thread: Border referrals"
    member = client_for("org_admin")
    group_page = member.get(group.get_absolute_url()).content.decode()
    assert "Border referrals" in group_page
    mail.outbox.clear()
    with outbox_delivery():
        member.post(
            reverse("groups:reply", args=[thread.pk]), {"body": "The shelters can take them."}
        )
    first = Reply.objects.get(thread=thread)
    (replied,) = mails_to(world["focal_point"])
    assert "There is a new reply in the thread “Border referrals”" in body(replied)
    # The facilitator has a new reply waiting.
    assert "1 new" in facilitator.get(group.get_absolute_url()).content.decode()
    quoting = facilitator.get(f"{thread.get_absolute_url()}?quote={first.pk}").content.decode()
    assert "Quoting:" in quoting
    facilitator.post(
        reverse("groups:reply", args=[thread.pk]), {"body": "Agreed for adults.", "quote": first.pk}
    )
    second = Reply.objects.exclude(pk=first.pk).get()
    assert second.quote == first
    assert "1 new" not in facilitator.get(group.get_absolute_url()).content.decode()
    edit_page = member.get(reverse("groups:reply_edit", args=[first.pk])).content.decode()
    assert "Attachment" not in edit_page  # an edit changes the text only
    member.post(
        reverse("groups:reply_edit", args=[first.pk]), {"body": "The shelters can take adults."}
    )
    first.refresh_from_db()
    assert first.body == "The shelters can take adults."
    history = member.get(reverse("groups:reply_history", args=[first.pk])).content.decode()
    assert "The shelters can take them." in history
    # No one edits another's reply.
    assert facilitator.get(reverse("groups:reply_edit", args=[first.pk])).status_code == 404


def test_an_empty_reply_changes_nothing_and_says_why(world, client_for, group):
    thread = ThreadFactory(group=group)
    response = client_for("focal_point").post(
        reverse("groups:reply", args=[thread.pk]), {"body": "  "}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Reply.objects.exists()


def test_a_non_member_may_not_post_or_read_the_discussion(world, client_for, group):
    thread = ThreadFactory(group=group, title="Internal thread")
    outsider = client_for("org_admin")
    assert "Internal thread" not in outsider.get(group.get_absolute_url()).content.decode()
    assert outsider.get(thread.get_absolute_url()).status_code == 404
    response = outsider.post(reverse("groups:reply", args=[thread.pk]), {"body": "Let me in."})
    assert response.status_code == 404
    assert not Reply.objects.exists()


def test_the_facilitator_hides_a_reply_with_a_reason_its_author_reads(world, client_for, group):
    GroupMemberFactory(
        group=group,
        user=world["org_admin"],
        side=Side.CIVIL_SOCIETY,
        organization=world.organization,
    )
    expert = GroupMemberFactory(group=group, side=Side.GOVERNMENT).user
    reply = ReplyFactory(
        thread=ThreadFactory(group=group), author=world["org_admin"], body="Names the victim."
    )
    facilitator = client_for("focal_point")
    response = facilitator.post(reverse("groups:reply_hide", args=[reply.pk]), {"reason": ""})
    assert "This field is required." in response.content.decode()
    facilitator.post(
        reverse("groups:reply_hide", args=[reply.pk]), {"reason": "It names a victim."}
    )
    reply.refresh_from_db()
    assert reply.hidden_at is not None
    assert AuditEntry.objects.filter(action="group.reply_hidden").exists()
    author_view = client_for("org_admin").get(reply.thread.get_absolute_url()).content.decode()
    assert "It names a victim." in author_view
    assert "Names the victim." in author_view
    from django.test import Client

    other = Client()
    other.force_login(expert)
    other_view = other.get(reply.thread.get_absolute_url()).content.decode()
    assert "Hidden by the moderation." in other_view
    assert "Names the victim." not in other_view
    assert "It names a victim." not in other_view


def test_under_the_chatham_house_rule_non_members_read_sides_not_names(world, client_for, group):
    group.chatham_house = True
    group.save()
    expert = GroupMemberFactory(
        group=group, side=Side.GOVERNMENT, user__full_name="Gina Govexpert"
    ).user
    ReplyFactory(thread=ThreadFactory(group=group), author=expert, body="We agree in principle.")
    staff_view = client_for("staff").get(Thread.objects.get().get_absolute_url()).content.decode()
    assert "Gina Govexpert" in staff_view
    # CSU staff may read names; the other focal point of the initiative, not a member, may not.
    from tests.stakeholders.factories import InitiativeRoleFactory

    second_focal = UserFactory(full_name="Sam Secondfocal")
    InitiativeRoleFactory(
        user=second_focal, initiative=world.kenya_initiative, role="alternate_focal_point"
    )
    from django.test import Client

    reader = Client()
    reader.force_login(second_focal)
    page = reader.get(Thread.objects.get().get_absolute_url()).content.decode()
    assert "We agree in principle." in page
    assert "A government expert" in page
    assert "Gina Govexpert" not in page
    assert "Gina Govexpert" not in reader.get(group.get_absolute_url()).content.decode()


def test_visibility_decides_who_sees_the_group(world, client_for):
    public = WorkingGroupFactory(
        initiative=world.kenya_initiative, visibility="public", title="Open group"
    )
    registered = WorkingGroupFactory(
        initiative=world.kenya_initiative, visibility="registered", title="Signed-in group"
    )
    closed = WorkingGroupFactory(
        initiative=world.kenya_initiative, visibility="members", title="Closed group"
    )
    visitor = client_for("visitor").get(reverse("groups:list", args=["ke"])).content.decode()
    assert "Open group" in visitor
    assert "Signed-in group" not in visitor
    assert "Closed group" not in visitor
    signed_in = client_for("registered").get(reverse("groups:list", args=["ke"])).content.decode()
    assert "Signed-in group" in signed_in
    assert "Closed group" not in signed_in
    assert client_for("registered").get(closed.get_absolute_url()).status_code == 404
    assert client_for("visitor").get(registered.get_absolute_url()).status_code == 404
    assert client_for("visitor").get(public.get_absolute_url()).status_code == 200
    country = client_for("visitor").get("/countries/ke/").content.decode()
    assert "Open group" in country


def test_a_member_leaves_after_confirming(world, client_for, group):
    membership = GroupMemberFactory(
        group=group,
        user=world["org_admin"],
        side=Side.CIVIL_SOCIETY,
        organization=world.organization,
    )
    client = client_for("org_admin")
    confirm = client.get(reverse("groups:leave", args=[group.pk])).content.decode()
    assert "What you wrote stays in the threads." in confirm
    membership.refresh_from_db()
    assert membership.status == MemberStatus.ACTIVE
    client.post(reverse("groups:leave", args=[group.pk]))
    membership.refresh_from_db()
    assert membership.status == MemberStatus.LEFT


def test_my_work_shows_requests_invitations_and_new_replies(world, client_for, group):
    GroupMemberFactory(
        group=group,
        user=UserFactory(),
        side=Side.CIVIL_SOCIETY,
        organization=world.organization,
        status=MemberStatus.REQUESTED,
    )
    thread = ThreadFactory(group=group, title="Border referrals")
    ReplyFactory(thread=thread)
    page = client_for("focal_point").get("/my-work/").content.decode()
    assert "Requests to join your working groups" in page
    assert "New in your working groups" in page
    assert "Border referrals" in page
    GroupMemberFactory(
        group=group,
        user=world["org_admin"],
        side=Side.CIVIL_SOCIETY,
        organization=world.organization,
        status=MemberStatus.INVITED,
    )
    assert (
        "Invitations to working groups" in client_for("org_admin").get("/my-work/").content.decode()
    )


def test_a_persons_export_holds_their_groups_and_replies_and_deletion_keeps_the_words(world):
    from privacy.services import account_delete, account_delete_blockers, personal_data_export

    group = WorkingGroupFactory(initiative=world.kenya_initiative)
    person = UserFactory()
    GroupMemberFactory(group=group, user=person, side=Side.GOVERNMENT)
    reply = ReplyFactory(thread=ThreadFactory(group=group), author=person, body="My words.")
    data = personal_data_export(user=person)
    assert data["working_groups"][0]["group"] == group.title
    assert data["group_replies"][0]["reply"] == "My words."
    blockers = account_delete_blockers(user=group.facilitator)
    assert any("You facilitate the working group" in reason for reason in blockers)
    account_delete(user=person, actor=person)
    reply.refresh_from_db()
    assert (reply.author, reply.body) == (None, "My words.")


def test_a_reply_carries_a_checked_file_that_only_readers_download(
    world, client_for, group, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.roadmaps.factories import PDF_BYTES

    settings.MEDIA_ROOT = tmp_path / "media"
    GroupMemberFactory(
        group=group,
        user=world["org_admin"],
        side=Side.CIVIL_SOCIETY,
        organization=world.organization,
    )
    thread = ThreadFactory(group=group)
    member = client_for("org_admin")
    member.post(
        reverse("groups:reply", args=[thread.pk]),
        {"body": "Our shelter list.", "attachment": SimpleUploadedFile("shelters.pdf", PDF_BYTES)},
    )
    reply = Reply.objects.get()
    assert (reply.attachment_name, reply.attachment_size) == ("shelters.pdf", len(PDF_BYTES))
    assert "Download shelters.pdf" in member.get(thread.get_absolute_url()).content.decode()
    url = reverse("groups:reply_attachment", args=[reply.pk])
    download = client_for("focal_point").get(url)
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert client_for("coordinator").get(url).status_code == 404
    assert client_for("visitor").get(url).status_code == 404


def test_a_huge_attachment_is_refused_with_a_clear_error_and_nothing_is_kept(
    world, client_for, group, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.roadmaps.factories import PDF_BYTES

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ROADMAPS_MAX_UPLOAD_SIZE = 1000
    thread = ThreadFactory(group=group)
    huge = PDF_BYTES + b"%" * 5000
    response = client_for("focal_point").post(
        reverse("groups:reply", args=[thread.pk]),
        {"body": "A big file.", "attachment": SimpleUploadedFile("big.pdf", huge)},
    )
    assert response.status_code == 400
    assert "files may be at most" in response.content.decode()
    assert "A big file." in response.content.decode()  # the text is kept in the form
    assert not Reply.objects.exists()
    assert not list(tmp_path.rglob("*.pdf"))


def test_my_groups_lists_the_groups_with_what_is_new(world, client_for, group):
    GroupMemberFactory(
        group=group,
        user=world["org_admin"],
        side=Side.CIVIL_SOCIETY,
        organization=world.organization,
    )
    ReplyFactory(thread=ThreadFactory(group=group))
    WorkingGroupFactory(initiative=world.kenya_initiative, title="Not mine", visibility="public")
    page = client_for("org_admin").get(reverse("groups:mine")).content.decode()
    assert "Referral of victims" in page
    assert "1 thread with news" in page
    assert "Not mine" not in page
    assert (
        "You are in no working group yet."
        in client_for("registered").get(reverse("groups:mine")).content.decode()
    )
