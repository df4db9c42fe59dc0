"""A session's end does not lose work: a form sent after its session ended is kept for the
same person to send again after signing in, and pages warn before the end."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from roadmaps.models import Comment
from tests.stakeholders.factories import PASSWORD
from tests.support.scenes import build_scene

pytestmark = pytest.mark.django_db


def sign_in(client: Client, person) -> None:
    response = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302


def away(client: Client, seconds: int) -> None:
    session = client.session
    session["seen_at"] = int(time.time()) - seconds
    session.save()


@pytest.fixture
def scene(world):
    return build_scene(world, own=True)


def comment_url(scene) -> str:
    return reverse("roadmaps:milestone_comment", kwargs={"pk": scene.milestone.pk})


def test_a_comment_sent_after_the_session_ended_is_offered_again_after_signing_in(
    world, scene, settings
):
    person = world["org_admin"]
    client = Client()
    sign_in(client, person)
    away(client, settings.SESSION_IDLE_TIMEOUT + 10)
    text = "The shelter budget line is missing from milestone 3."
    response = client.post(
        comment_url(scene),
        {"body": text, "password": "never kept"},
    )
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=%2Faccounts%2Fsession%2Fresume%2F"
    assert not Comment.objects.filter(body=text).exists()

    sign_in(client, person)
    offer = client.get(reverse("stakeholders:resume_form"))
    page = offer.content.decode()
    assert offer.status_code == 200
    assert text in page
    assert f'<form method="post" action="{comment_url(scene)}">' in page
    assert "never kept" not in page
    # Sent again with the fresh session's token, it is saved.
    data = {"body": text}
    assert client.post(comment_url(scene), data).status_code == 302
    assert Comment.objects.filter(body=text, author=person).exists()
    # Offered once.
    assert client.get(reverse("stakeholders:resume_form")).url == "/"


def test_another_person_signing_in_on_the_same_browser_does_not_see_it(world, scene, settings):
    client = Client()
    sign_in(client, world["org_admin"])
    away(client, settings.SESSION_IDLE_TIMEOUT + 10)
    client.post(comment_url(scene), {"body": "Private words."})
    sign_in(client, world["registered"])
    response = client.get(reverse("stakeholders:resume_form"))
    assert response.status_code == 302
    assert "Private words." not in client.get("/").content.decode()


def test_pages_carry_the_warning_with_each_persons_limit(world, client_for, settings):
    assert "session-warning" not in client_for("visitor").get("/").content.decode()
    ordinary = client_for("registered").get("/").content.decode()
    assert f'data-idle-seconds="{settings.SESSION_IDLE_TIMEOUT}"' in ordinary
    privileged = client_for("staff").get("/").content.decode()
    assert f'data-idle-seconds="{settings.SESSION_IDLE_TIMEOUT_PRIVILEGED}"' in privileged


def test_staying_signed_in_counts_as_a_request(world, client_for, settings):
    client = client_for("registered")
    away(client, settings.SESSION_IDLE_TIMEOUT - 60)
    response = client.post(reverse("stakeholders:session_keepalive"))
    assert response.status_code == 200
    assert response.content.decode() == str(settings.SESSION_IDLE_TIMEOUT)
    assert int(time.time()) - client.session["seen_at"] < 5
    away(client, settings.SESSION_IDLE_TIMEOUT + 10)
    ended = client.post(reverse("stakeholders:session_keepalive"))
    assert ended.status_code == 302
    assert ended.url.startswith("/accounts/login/")


def test_signing_out_after_the_end_keeps_nothing(world, settings):
    client = Client()
    sign_in(client, world["org_admin"])
    away(client, settings.SESSION_IDLE_TIMEOUT + 10)
    response = client.post(reverse("account_logout"))
    assert "resume" not in response.url
    assert "kept_form" not in client.session
