"""Every email the portal writes, as its recipient reads it: text parts and subjects are
plain text (nothing HTML-escaped in them), the HTML part escapes and carries its subject as
title, text lines fit in 78 characters, and the subject prefix is in the reader's language."""

import datetime
import re
from html import escape
from pathlib import Path

import pytest
from django.conf import settings

from consultations.models import Consultation
from countries.models import Country, Initiative
from events.models import Event, Registration
from groups.models import Proposal, Thread, WorkingGroup
from notifications.services import render_email, wrap_text
from roadmaps.models import Assessment, Endorsement, Milestone, Roadmap
from stakeholders.models import (
    Alliance,
    AllianceMembership,
    InitiativeRole,
    Organization,
    User,
)

TITLE = "Kenya's self-assessment <draft> & plan"
ESCAPED = escape(TITLE)  # Kenya&#x27;s self-assessment &lt;draft&gt; &amp; plan
WHEN = datetime.datetime(2031, 3, 4, 6, 0, tzinfo=datetime.UTC)
URL = "http://127.0.0.1:8000/countries/ke/roadmap/milestones/12345/?tab=updates&page=2#u-678"
PREFIX = {"en": "[VPI Portal] ", "es": "[Portal VPI] "}
ONE_URL = re.compile(r"^\s*<?https?://\S+$")
# What a placeholder that rendered as nothing leaves behind: "Hello from !", "on .".
EMPTY_PLACEHOLDER = re.compile(r" [.!,;)]|\( |“”|«»|\"\"")


def email_templates() -> list[str]:
    """Every kind of email rendered through render_email, the digest aside (its own
    tests render it from real news)."""
    folders = [Path(settings.BASE_DIR) / "templates" / "emails"]
    folders += sorted(Path(settings.BASE_DIR).glob("*/templates/emails"))
    names = {
        path.name.removesuffix("_subject.txt")
        for folder in folders
        for path in folder.glob("*_subject.txt")
    }
    return sorted(name for name in names if not name.startswith("digest"))


def sample_context() -> dict:
    """One context that every email template can draw on, with the awkward title in
    every text a person or a government writes."""
    kenya = Country(code="KE")
    initiative = Initiative(country=kenya, title=TITLE)
    event = Event(
        initiative=initiative,
        title=TITLE,
        starts_at=WHEN,
        ends_at=WHEN + datetime.timedelta(hours=3),
        time_zone="Africa/Nairobi",
        status="postponed",
        status_message=TITLE,
        registration_closes_at=WHEN - datetime.timedelta(days=2),
    )
    organization = Organization(name=TITLE, country=kenya, status="verified", status_reason=TITLE)
    group = WorkingGroup(initiative=initiative, title=TITLE)
    return {
        "event": event,
        "registration": Registration(event=event, status="registered"),
        "initiative": initiative,
        "assignment": InitiativeRole(
            initiative=initiative, role="focal_point", shown_publicly=True
        ),
        "organization": organization,
        "alliance": Alliance(country=kenya, name=TITLE),
        "membership": AllianceMembership(status="approved", decision_note=TITLE),
        "milestone": Milestone(title=TITLE, due_on=WHEN.date(), progress=40),
        "consultation": Consultation(initiative=initiative, title=TITLE, deadline=WHEN),
        "roadmap": Roadmap(
            initiative=initiative, title=TITLE, version=2, consultation_closes_on=WHEN.date()
        ),
        "assessment": Assessment(verdict="disputes"),
        "group": group,
        "thread": Thread(group=group, title=TITLE),
        "proposal": Proposal(question=TITLE, closes_at=WHEN, result="passed"),
        "approved": False,
        "objections": 1,
        "endorsement": Endorsement(objection=True, note=TITLE, response=TITLE),
        "changed": ["the start", "the venue"],
        "time_changed": True,
        "place_changed": True,
        "reason": TITLE,
        "was": "waitlisted",
        "action_items": 2,
        "country": TITLE,
        "inviter": TITLE,
        "person": TITLE,
        "role": "Admin",
        "expires_at": WHEN,
        "days": 9,
        "hours": 160,
        "kind": "overdue",
        "url": URL,
    }


def recipient(language: str) -> User:
    return User(
        pk=41,
        email="grace@example.org",
        full_name="Grace O'Neil <Grace>",
        preferred_language=language,
        time_zone="Africa/Nairobi",
    )


def long_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if len(line) > 78 and not ONE_URL.match(line)]


@pytest.fixture(scope="module")
def rendered() -> dict[tuple[str, str], dict[str, str]]:
    context = sample_context()
    return {
        (template, language): render_email(
            recipient=recipient(language), template=template, context=context
        )
        for template in email_templates()
        for language in PREFIX
    }


def test_the_sample_covers_every_kind_of_email():
    templates = email_templates()
    assert len(templates) >= 25
    assert {"event_reminder", "invitation", "roadmaps_update_posted"} <= set(templates)


@pytest.mark.parametrize("template", email_templates())
@pytest.mark.parametrize("language", list(PREFIX))
def test_text_and_subject_are_plain_text(rendered, template, language):
    email = rendered[template, language]
    for part in (email["subject"], email["body_text"]):
        for entity in ("&#x27;", "&#39;", "&lt;", "&gt;", "&amp;", "&quot;"):
            assert entity not in part, (template, part)
    assert "Grace O'Neil <Grace>" in email["body_text"]
    assert URL in email["body_text"] or TITLE in email["body_text"]
    if "Kenya" in email["subject"]:
        assert TITLE in email["subject"]


@pytest.mark.parametrize("template", email_templates())
@pytest.mark.parametrize("language", list(PREFIX))
def test_html_part_escapes_and_is_titled_with_its_subject_in_its_language(
    rendered, template, language
):
    email = rendered[template, language]
    html = email["body_html"]
    assert f'<html lang="{language}">' in html
    assert f"<title>{escape(email['subject'])}</title>" in html
    assert "<draft>" not in html
    assert "Grace O&#x27;Neil &lt;Grace&gt;" in html
    if "Kenya" in html.split("</title>", 1)[1]:
        assert ESCAPED in html


@pytest.mark.parametrize("template", email_templates())
@pytest.mark.parametrize("language", list(PREFIX))
def test_text_lines_fit_in_78_characters(rendered, template, language):
    text = rendered[template, language]["body_text"]
    assert not long_lines(text), (template, long_lines(text))
    assert not EMPTY_PLACEHOLDER.search(text), (template, text)


@pytest.mark.parametrize("template", email_templates())
@pytest.mark.parametrize("language", list(PREFIX))
def test_subject_starts_with_the_portal_name_in_the_readers_language(rendered, template, language):
    assert rendered[template, language]["subject"].startswith(PREFIX[language])


@pytest.mark.parametrize("template", email_templates())
def test_every_subject_names_what_it_is_about(rendered, template):
    """An inbox of subjects reads as a list of what happened to what: the event, the
    milestone, the consultation, the organization or the country is named."""
    subject = rendered[template, "en"]["subject"]
    assert TITLE[:40] in subject, subject


def test_wrapping_keeps_links_whole_and_short_lines_as_they_are():
    link = "https://vpi.example.org/accounts/confirm-email/" + "k" * 60 + "/"
    text = wrap_text(
        f"To confirm that this address is yours, open this link: {link}\n-- \n- {'word ' * 30}"
    )
    lines = text.splitlines()
    assert link in lines
    assert "-- " in lines
    assert all(len(line) <= 78 for line in lines if line != link)
    assert lines[-1].startswith("  word")  # a list item's continuation is indented
