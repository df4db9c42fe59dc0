"""Two minutes before a session ends without a request, the page says so and offers to stay
signed in; typing on the page keeps the session alive without asking."""

import time

from playwright.sync_api import expect

from tests.browser.portal_pages import sign_in
from tests.stakeholders.factories import UserFactory


def test_the_warning_comes_and_staying_signed_in_keeps_the_session(page, settings, db):
    settings.SESSION_IDLE_TIMEOUT = 123  # the warning shows three seconds after a page loads
    person = UserFactory(email="reader@example.org")
    sign_in(page, person.email)
    page.goto("/accounts/profile/")
    warning = page.get_by_role("alertdialog")
    expect(warning).to_be_hidden()
    expect(warning).to_be_visible(timeout=8_000)
    expect(warning).to_contain_text("your session ends in two minutes")
    expect(page.get_by_role("button", name="Stay signed in")).to_be_focused()
    page.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()
    # Typing counts as being there: when the time comes, the session is kept without asking.
    page.get_by_label("Full name").fill("Reader Example")
    time.sleep(4)
    expect(warning).to_be_hidden()


def test_a_session_that_ended_says_so(page, settings, db):
    settings.SESSION_IDLE_TIMEOUT = 121
    person = UserFactory(email="away@example.org")
    sign_in(page, person.email)
    page.goto("/accounts/profile/")
    expect(page.get_by_role("alertdialog")).to_be_visible(timeout=8_000)
    settings.SESSION_IDLE_TIMEOUT = 0  # the server's clock runs out
    page.get_by_role("button", name="Stay signed in").click()
    expect(page.get_by_role("alertdialog")).to_contain_text("Your session has ended")
