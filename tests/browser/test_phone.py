"""Phones and weak connections: the main journeys at 390×844, the weight of the main public
pages on a first visit, and screenshots of the key pages at phone and desktop sizes
(kept in var/test-artefacts/screens/ as artefacts of the test run)."""

import gzip
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import ARTEFACTS
from tests.browser.portal_pages import build_portal, sign_in

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SCREENS = ARTEFACTS / "screens"
BUDGET = 250 * 1024


def new_page(browser, live_server, viewport: dict, documents=None):
    """A fresh browser context; ``documents`` (the html_documents fixture) keeps its pages
    for the HTML validation."""
    context = browser.new_context(
        base_url=live_server.url, viewport=viewport, is_mobile=viewport == PHONE, has_touch=True
    )
    context.set_default_timeout(15_000)
    if documents is not None:
        documents.record(context)
    return context.new_page()


def fits_the_screen(page) -> None:
    """Nothing overflows sideways: a person never scrolls in two directions.

    Call it once the page has arrived (after an ``expect`` on its content): measuring while
    a navigation is still committing finds no document to measure.
    """
    page.wait_for_load_state()
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


def test_visitor_and_member_journeys_work_on_a_phone(browser, live_server, world, html_documents):
    portal = build_portal(world)
    page = new_page(browser, live_server, PHONE, html_documents)

    # A visitor opens the menu, finds Kenya and its roadmap.
    page.goto("/")
    fits_the_screen(page)
    menu = page.get_by_role("button", name="Toggle navigation")
    expect(menu).to_be_visible()
    menu.click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Countries").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Countries running a VPI")
    fits_the_screen(page)
    page.get_by_role("link", name="Kenya").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kenya")
    fits_the_screen(page)
    page.goto("/countries/ke/roadmap/")
    fits_the_screen(page)
    # The milestone table stacks: status and progress are on the screen, not past its edge.
    row = page.locator("tr[id^=milestone-]").first
    for cell in ("td[data-label=Status]", "td[data-label=Progress]"):
        box = row.locator(cell).bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"], f"{cell} is past the screen's edge"
    page.get_by_role("link", name="Adopt the anti-trafficking law").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Adopt the anti-trafficking law")
    fits_the_screen(page)

    # A registered person signs in and registers for the consultation.
    sign_in(page, world["registered"].email)
    page.goto("/events/")
    fits_the_screen(page)
    page.get_by_role("link", name="Consultation on the anti-smuggling bill").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Consultation on the anti-smuggling bill"
    )
    fits_the_screen(page)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered.")).to_be_visible()
    fits_the_screen(page)
    assert page.url.endswith(portal.event)
    page.context.close()


def transferred_bytes(response) -> int:
    """What a first visit transfers for one response in production.

    Static files are served by whitenoise, which sends browsers the gzip file it wrote at
    collectstatic time (level 9): they count at their gzip size, as the test server sends
    them uncompressed. Pages count at the size the server actually sent (no compression is
    assumed for HTML). Headers count too.
    """
    sizes = response.request.sizes()
    headers = sizes["responseHeadersSize"]
    if "/static/" in response.url and response.status == 200:
        return headers + len(gzip.compress(response.body(), compresslevel=9))
    return headers + sizes["responseBodySize"]


PUBLIC_PAGES = {
    "home": "/",
    "countries": "/countries/",
    "country": "/countries/ke/",
    "events": "/events/",
}


def test_main_public_pages_weigh_under_250_kb_on_a_first_visit(browser, live_server, world):
    portal = build_portal(world)
    report = []
    for url in PUBLIC_PAGES.values():
        page = new_page(browser, live_server, PHONE)  # a fresh context: nothing cached
        responses = []
        page.on("response", lambda response, seen=responses: seen.append(response))
        page.goto(url, wait_until="networkidle")
        total = sum(transferred_bytes(response) for response in responses)
        uncompressed = sum(len(response.body()) for response in responses)
        report.append(
            f"{url}\t{total / 1024:.1f} KB transferred ({uncompressed / 1024:.1f} KB "
            f"uncompressed)\t{len(responses)} requests"
        )
        for response in responses:
            report.append(f"  {response.url}\t{transferred_bytes(response) / 1024:.1f} KB")
        page.context.close()
        assert total < BUDGET, f"{url} transfers {total / 1024:.0f} KB on a first visit"
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / "page-weight.txt").write_text("\n".join(report) + "\n")
    assert portal.event


KEY_PAGES = {
    **PUBLIC_PAGES,
    "roadmap": "/countries/ke/roadmap/",
    "sign-in": "/accounts/login/",
}


def test_screenshots_of_the_key_pages_at_phone_and_desktop_sizes(
    browser, live_server, world, html_documents
):
    portal = build_portal(world)
    pages = {**KEY_PAGES, "milestone": portal.milestone, "event": portal.event}
    SCREENS.mkdir(parents=True, exist_ok=True)
    for size, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = new_page(browser, live_server, viewport, html_documents)
        for name, url in pages.items():
            page.goto(url)
            expect(page.get_by_role("heading", level=1)).to_have_count(1)
            fits_the_screen(page)
            path = Path(SCREENS / f"{name}-{size}.png")
            page.screenshot(path=path, full_page=True)
            assert path.stat().st_size > 0
        page.context.close()


def test_the_dashboard_charts_read_at_text_size_on_a_phone(
    browser, live_server, world, settings, html_documents
):
    settings.PORTAL_REQUIRE_TWO_FACTOR = False
    build_portal(world)
    page = new_page(browser, live_server, PHONE, html_documents)
    sign_in(page, world["staff"].email)
    page.goto("/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    fits_the_screen(page)
    label = page.locator("#country-chart-heading ~ ul li span").first
    expect(label).to_have_text("Kenya")
    size = label.evaluate("element => parseFloat(getComputedStyle(element).fontSize)")
    assert size >= 12, f"chart labels are {size}px on a phone"
    page.screenshot(path=SCREENS / "dashboard-phone.png", full_page=True)
    page.context.close()


def test_the_staff_navigation_holds_on_one_line_at_1280_px(
    browser, live_server, world, settings, html_documents
):
    settings.PORTAL_REQUIRE_TWO_FACTOR = False
    world["staff"].full_name = "Alexandra Staff-Member of the Unit"
    world["staff"].save()
    page = new_page(browser, live_server, DESKTOP, html_documents)
    sign_in(page, world["staff"].email)
    page.goto("/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    items = page.locator("#main-nav .nav-item")
    boxes = [items.nth(i).bounding_box() for i in range(items.count())]
    first = boxes[0]
    for box in boxes:
        # On one line, every item overlaps the first one's band.
        assert box["y"] < first["y"] + first["height"], "the navigation wraps onto two lines"
    height = page.locator("nav.navbar").bounding_box()["height"]
    assert height < 80, f"the navigation bar is {height}px high"
    # And within the window: nothing runs off to the side.
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    assert all(box["x"] + box["width"] <= DESKTOP["width"] for box in boxes)
    # The staff's tools are one menu away, and it opens without script.
    page.get_by_text("CSU staff").click()
    page.get_by_role("link", name="Audit log").click()
    expect(page).to_have_url(f"{live_server.url}/audit/")
    page.context.close()
