from django.urls import reverse


def assert_sent_to_sign_in(response) -> None:
    """The request was answered as for someone signed out: to the sign-in page."""
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert response.wsgi_request.user.is_anonymous
