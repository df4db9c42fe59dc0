"""The browser gives its time zone at sign-up: a person in Nairobi reads Nairobi times."""

from playwright.sync_api import expect

from stakeholders.models import User


def test_signing_up_in_nairobi_sets_nairobi_time(browser, live_server, html_documents):
    context = browser.new_context(base_url=live_server.url, timezone_id="Africa/Nairobi")
    html_documents.record(context)
    page = context.new_page()
    page.goto("/accounts/signup/")
    expect(page.locator("input[name=time_zone]")).to_have_value("Africa/Nairobi")
    page.get_by_label("Full name").fill("Wanjiru Example")
    page.get_by_label("Email").fill("wanjiru@example.org")
    page.locator("input[name=password1]").fill("a-long-and-unusual-passphrase")
    page.locator("input[name=password2]").fill("a-long-and-unusual-passphrase")
    page.locator("form").filter(has=page.locator("input[name=password1]")).locator(
        "button[type=submit]"
    ).click()
    page.wait_for_load_state()
    assert User.objects.get(email="wanjiru@example.org").time_zone == "Africa/Nairobi"
    context.close()
