import datetime
import re

from icalendar import Calendar
from playwright.sync_api import expect

from events.models import Registration, RegistrationStatus
from tests.events.factories import EventFactory
from tests.stakeholders.factories import PASSWORD, UserFactory

STARTS = datetime.datetime(2031, 3, 4, 6, 0, tzinfo=datetime.UTC)  # 09:00 in Nairobi


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form").filter(has=page.locator("input[name=password]")).locator(
        "button[type=submit]"
    ).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in")
    ).to_be_visible()


def register(page, event) -> None:
    page.goto(event.get_absolute_url())
    page.locator("form[action$='/register/'] button[type=submit]").click()


def test_member_registers_downloads_the_calendar_and_the_waiting_list_moves_up(
    page, settings, initiative_factory, country_factory
):
    settings.PORTAL_REQUIRE_TWO_FACTOR = False
    initiative = initiative_factory(country=country_factory(code="KE"))
    event = EventFactory(
        initiative=initiative,
        title="Consultation on the anti-smuggling bill",
        starts_at=STARTS,
        ends_at=STARTS + datetime.timedelta(hours=3),
        time_zone="Africa/Nairobi",
        capacity=2,
        online_link="https://meet.example.org/anti-smuggling-bill",
    )
    amani, baraka, chiku = (
        UserFactory(email=f"{name}@example.org", full_name=name.title())
        for name in ("amani", "baraka", "chiku")
    )

    # A member registers, sees the online link and downloads the calendar file.
    sign_in(page, amani.email)
    page.goto("/events/")
    page.get_by_role("link", name="Consultation on the anti-smuggling bill").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(event.title)
    expect(page.get_by_text("Tuesday 4 March 2031, 09:00 – 12:00")).to_be_visible()
    expect(page.get_by_role("link", name=event.online_link)).to_have_count(0)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered.")).to_be_visible()
    expect(page.get_by_role("link", name=event.online_link)).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to my calendar (.ics)").click()
    path = download_info.value.path()
    calendar = Calendar.from_ical(open(path, "rb").read())  # noqa: SIM115
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent.get("summary")) == event.title
    assert vevent.decoded("dtstart").astimezone(datetime.UTC) == STARTS
    assert vevent.decoded("dtend").astimezone(datetime.UTC) == STARTS + datetime.timedelta(hours=3)
    sign_out(page)

    # The second person takes the last seat; the third is put on the waiting list.
    sign_in(page, baraka.email)
    register(page, event)
    expect(page.get_by_text("You are registered.")).to_be_visible()
    sign_out(page)

    sign_in(page, chiku.email)
    page.goto(event.get_absolute_url())
    expect(page.get_by_text("0 seats left")).to_be_visible()
    page.get_by_role("button", name="Join the waiting list").click()
    expect(page.get_by_text("you are on the waiting list, number 1")).to_be_visible()
    expect(page.get_by_role("link", name=event.online_link)).to_have_count(0)
    sign_out(page)

    # The first member cancels; the waitlisted person gets the seat.
    sign_in(page, amani.email)
    page.goto(event.get_absolute_url())
    page.get_by_role("link", name="Cancel my registration").click()
    page.get_by_role("button", name="Yes, cancel my registration").click()
    expect(page.get_by_text("Your registration has been cancelled.")).to_be_visible()
    sign_out(page)

    assert Registration.objects.get(user=chiku).status == RegistrationStatus.REGISTERED
    sign_in(page, chiku.email)
    page.goto("/events/mine/")
    expect(page.get_by_text("Consultation on the anti-smuggling bill")).to_be_visible()
    page.get_by_role("link", name="Consultation on the anti-smuggling bill").click()
    expect(page).to_have_url(re.compile(rf"/events/{event.pk}/$"))
    expect(page.get_by_text("Your registration: Registered")).to_be_visible()
    expect(page.get_by_role("link", name=event.online_link)).to_be_visible()
