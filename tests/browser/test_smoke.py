import re

from playwright.sync_api import expect

from countries.models import Visibility


def test_visitor_goes_from_the_home_page_to_kenyas_initiative(
    page, country_factory, initiative_factory
):
    initiative_factory(
        country=country_factory(code="KE"),
        title="Voluntary Pilot Initiative in Kenya",
        summary="Government and civil society working on trafficking in persons.",
    )
    initiative_factory(country=country_factory(code="MX"))
    initiative_factory(country=country_factory(code="NG"), visibility=Visibility.MEMBERS)

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_role("heading", name="2 countries run a VPI")).to_be_visible()
    expect(page.get_by_role("link", name="Nigeria")).to_have_count(0)

    page.get_by_role("link", name="Kenya").click()

    expect(page).to_have_url(re.compile(r"/countries/ke/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kenya")
    expect(page.get_by_text("Voluntary Pilot Initiative in Kenya")).to_be_visible()
    expect(page.get_by_text("working on trafficking in persons")).to_be_visible()
