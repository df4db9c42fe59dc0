"""Every page the browser suite visits, for every persona and in every language, at a
phone's width: nothing scrolls sideways, and the title names the page apart from the portal.
The pages are also kept for the HTML validation (the html_documents fixture)."""

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

from tests.browser.portal_pages import build_portal, pages_for, sign_in
from tests.browser.test_phone import PHONE, new_page
from tests.conftest import PERSONA_NAMES

LANGUAGES = [code for code, _name in settings.LANGUAGES]
# What scrolls sideways must take the keyboard's focus and be named (WCAG 2.1.1).
UNREACHABLE_SCROLL_REGIONS = """() => [...document.querySelectorAll("body *")]
    .filter((el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX)
        && el.scrollWidth > el.clientWidth)
    .filter((el) => el.tabIndex < 0 || el.getAttribute("role") !== "region"
        || !(el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")))
    .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`)"""
# The innermost elements that reach past the phone's width: where to look for the culprit.
WIDEST = """() => [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > 390
        && el.closest(".table-responsive") === null
        && ![...el.children].some((child) => child.getBoundingClientRect().right > 390))
    .slice(0, 3)
    .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`
        + ` (${Math.round(el.getBoundingClientRect().right)}px)`
        + `: ${el.textContent.trim().slice(0, 40)}`)
    .join("; ")"""


def portal_name(language: str) -> str:
    with translation.override(language):
        return translation.gettext("VPI Portal")


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_every_page_fits_a_phone_and_has_its_own_title_in_every_language(
    browser, live_server, world, html_documents, persona
):
    portal = build_portal(world)
    page = new_page(browser, live_server, PHONE, html_documents)
    if persona != "visitor":
        sign_in(page, world[persona].email)
    problems = []
    for language in LANGUAGES:
        if persona == "visitor":
            page.context.add_cookies(
                [
                    {
                        "name": settings.LANGUAGE_COOKIE_NAME,
                        "value": language,
                        "url": live_server.url,
                    }
                ]
            )
        else:
            # A signed-in person reads the portal in their profile's language.
            type(world[persona]).objects.filter(pk=world[persona].pk).update(
                preferred_language=language
            )
        for url in pages_for(persona, portal):
            response = page.goto(url)
            assert response is not None
            assert response.ok, f"{persona} could not open {url}: {response.status}"
            expect(page.locator("html")).to_have_attribute("lang", language)
            expect(page.get_by_role("heading", level=1)).to_have_count(1)
            page.wait_for_load_state()
            # A phone browser widens its layout viewport to what overflows: innerWidth is
            # compared with the phone's width too.
            scroll_width, inner_width = page.evaluate(
                "() => [document.documentElement.scrollWidth, window.innerWidth]"
            )
            if not scroll_width == inner_width == PHONE["width"]:
                problems.append(
                    f"{language} {url}: {scroll_width}px wide at {inner_width}px, "
                    f"past the edge: {page.evaluate(WIDEST)}"
                )
            for region in page.evaluate(UNREACHABLE_SCROLL_REGIONS):
                problems.append(f"{language} {url}: no keyboard access to the scrolling {region}")
            title = page.title()
            name = portal_name(language)
            head, separator, tail = title.rpartition(" · ")
            if not (separator and head.strip() and tail == name):
                problems.append(f"{language} {url}: title {title!r}")
    page.context.close()
    assert not problems, "\n".join(problems)
