"""The portal in English, Spanish, French and Portuguese: complete catalogs, the language
switch and the profile's language, emails, dates, and texts that staff translate."""

import datetime
import gettext
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from roadmaps.services import roadmap_start_revision
from stakeholders.models import MemberRole, OrganizationStatus
from stakeholders.services import organization_vet
from tests.countries.factories import CountryFactory, InitiativeFactory
from tests.events.factories import EventFactory
from tests.roadmaps.factories import AdoptedRoadmapFactory, MilestoneFactory, PriorityFactory
from tests.stakeholders.factories import (
    PASSWORD,
    OrganizationFactory,
    OrganizationMemberFactory,
    UserFactory,
)

ROOT = Path(settings.BASE_DIR)
LOCALES = ["es", "fr", "pt"]
# The folders makemessages skips: the virtual environment, generated files, and the tests
# (whose strings no one reads in the portal).
IGNORED = [".venv", "var", "tests", "locale"]


# --- The catalogs ------------------------------------------------------------------------


@dataclass
class Entry:
    context: str
    msgid: str
    plural: str
    msgstr: list[str]
    fuzzy: bool

    @property
    def key(self) -> tuple[str, str]:
        return self.context, self.msgid


def _unquote(lines: list[str]) -> str:
    return "".join(
        bytes(line.strip()[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode()
        for line in lines
    )


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (the header and obsolete entries left out)."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        fields: dict[str, list[str]] = {}
        current = None
        flags = ""
        for line in lines:
            if line.startswith("#,"):
                flags += line
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[current].append(line)
            else:
                current, _, rest = line.partition(" ")
                fields[current] = [rest]
        if "msgid" not in fields or not _unquote(fields["msgid"]):
            continue
        msgstr = [
            _unquote(value) for name, value in sorted(fields.items()) if name.startswith("msgstr")
        ]
        entries.append(
            Entry(
                context=_unquote(fields.get("msgctxt", [])),
                msgid=_unquote(fields["msgid"]),
                plural=_unquote(fields.get("msgid_plural", [])),
                msgstr=msgstr,
                fuzzy="fuzzy" in flags,
            )
        )
    return entries


def committed_po(locale: str) -> Path:
    return ROOT / "locale" / locale / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module")
def fresh_catalogs(tmp_path_factory) -> dict[str, list[Entry]]:
    """The strings the code marks for translation today, from makemessages run over a mirror
    of the project (links to its folders): the committed catalogs stay untouched."""
    if not shutil.which("xgettext"):
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (xgettext) is missing: install the gettext package")
        pytest.skip("GNU gettext (xgettext) is not installed")
    mirror = tmp_path_factory.mktemp("project")
    for entry in ROOT.iterdir():
        if entry.name not in {*IGNORED, ".git"}:
            (mirror / entry.name).symlink_to(entry)
    previous = os.getcwd()
    os.chdir(mirror)
    try:
        with override_settings(LOCALE_PATHS=[mirror / "locale"]):
            call_command(
                "makemessages",
                locale=LOCALES,
                ignore_patterns=IGNORED,
                symlinks=True,
                no_obsolete=True,
                verbosity=0,
            )
    finally:
        os.chdir(previous)
    return {
        locale: read_po(mirror / "locale" / locale / "LC_MESSAGES" / "django.po")
        for locale in LOCALES
    }


@pytest.mark.parametrize("locale", LOCALES)
def test_every_string_of_the_code_is_in_the_catalog(fresh_catalogs, locale):
    committed = {entry.key for entry in read_po(committed_po(locale))}
    missing = [entry.msgid for entry in fresh_catalogs[locale] if entry.key not in committed]
    assert not missing, (
        f"{len(missing)} strings are missing from locale/{locale}: run "
        f"`manage.py makemessages -l {locale} --ignore=.venv --ignore=var --ignore=tests` and "
        f"translate them. First ones: {missing[:5]}"
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_every_catalog_entry_is_translated_and_not_fuzzy(locale):
    entries = read_po(committed_po(locale))
    assert len(entries) > 500
    untranslated = [entry.msgid for entry in entries if not all(entry.msgstr)]
    fuzzy = [entry.msgid for entry in entries if entry.fuzzy]
    assert not untranslated, f"untranslated in {locale}: {untranslated[:5]}"
    assert not fuzzy, f"fuzzy in {locale}: {fuzzy[:5]}"


NAMED = re.compile(r"%\((\w+)\)[sdif]")


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_every_placeholder(locale):
    for entry in read_po(committed_po(locale)):
        expected = set(NAMED.findall(entry.msgid + entry.plural))
        for msgstr in entry.msgstr:
            # A singular form may leave the count out ("one organization"), nothing else.
            assert set(NAMED.findall(msgstr)) | {"counter"} >= expected - {"counter"}, (
                entry.msgid,
                msgstr,
            )
            assert set(NAMED.findall(msgstr)) <= expected, (entry.msgid, msgstr)


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalog_matches_the_po_file(locale):
    po = committed_po(locale)
    with po.with_suffix(".mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    for entry in read_po(po):
        key = f"{entry.context}\x04{entry.msgid}" if entry.context else entry.msgid
        if entry.plural:
            assert catalog._catalog.get((key, 0)) == entry.msgstr[0], entry.msgid
        else:
            assert catalog._catalog.get(key) == entry.msgstr[0], (
                f"locale/{locale}/LC_MESSAGES/django.mo is out of date: run compilemessages"
            )


# --- Choosing the language -----------------------------------------------------------------


def test_visitor_reads_the_portal_in_the_browsers_language(db):
    response = Client(headers={"accept-language": "pt-BR,pt;q=0.9,en;q=0.5"}).get("/")
    assert response.headers["Content-Language"] == "pt"
    content = response.content.decode()
    assert '<html class="no-js" lang="pt" dir="ltr">' in content
    assert "Governos e sociedade civil" in content


def test_every_page_offers_the_language_switch_and_the_accessibility_statement(db):
    content = Client().get("/").content.decode()
    assert f'action="{reverse("set_language")}"' in content
    for code in ("en", "es", "fr", "pt"):
        assert f'<option value="{code}"' in content
    assert f'href="{reverse("accessibility")}"' in content


def test_visitor_switches_to_french_and_the_choice_is_kept(db):
    client = Client()
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/countries/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert "Pays" in client.get("/countries/").content.decode()


def test_signed_in_person_switching_language_keeps_it_in_the_profile(db):
    person = UserFactory(preferred_language="en")
    client = Client()
    client.force_login(person)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    person.refresh_from_db()
    assert person.preferred_language == "es"
    # On another device, with an English browser, the portal opens in Spanish.
    other_device = Client(headers={"accept-language": "en"})
    other_device.force_login(person)
    response = other_device.get("/")
    assert response.headers["Content-Language"] == "es"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_sign_in_through_the_form_switches_to_the_profiles_language(db):
    person = UserFactory(email="amani@example.org", preferred_language="fr")
    client = Client(headers={"accept-language": "en"})
    client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    response = client.get("/")
    assert response.headers["Content-Language"] == "fr"
    assert "Se déconnecter" in response.content.decode()


def test_new_account_takes_the_language_of_the_browser(db):
    client = Client(headers={"accept-language": "es"})
    client.post(
        reverse("account_signup"),
        {
            "full_name": "Lucía Pérez",
            "email": "lucia@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    from stakeholders.models import User

    assert User.objects.get(email="lucia@example.org").preferred_language == "es"


# --- Emails, dates and numbers -------------------------------------------------------------


def test_email_reaches_a_french_speaker_in_french(db, staff, outbox_delivery):
    organization = OrganizationFactory(name="Réseau Kenya", status=OrganizationStatus.PENDING)
    admin = UserFactory(preferred_language="fr")
    OrganizationMemberFactory(organization=organization, user=admin, role=MemberRole.ADMIN)

    with outbox_delivery():
        organization_vet(organization=organization, actor=staff, decision="verified")

    (message,) = mail.outbox
    assert message.to == [admin.email]
    assert message.subject == "[Portail VPI] Réseau Kenya : Vérifiée"
    assert "a été vérifiée par le Groupe de la société civile de l'ONUDC" in message.body


STARTS = datetime.datetime(2031, 3, 4, 6, 0, tzinfo=datetime.UTC)  # 09:00 in Nairobi


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Tuesday 4 March 2031, 09:00"),
        ("es", "martes 4 de marzo de 2031, 09:00"),
        ("fr", "mardi 4 mars 2031 à 09:00"),
        ("pt", "terça-feira, 4 de março de 2031, 09:00"),
    ],
)
def test_event_dates_read_the_way_each_language_writes_them(db, language, expected):
    event = EventFactory(starts_at=STARTS, ends_at=STARTS + datetime.timedelta(hours=3))
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    content = client.get(event.get_absolute_url()).content.decode()
    assert expected.lower() in content.lower()


def test_numbers_follow_the_active_locale():
    from django.template import Context, Template

    template = Template("{{ value }}")
    with translation.override("fr"):
        assert template.render(Context({"value": 12.5})) == "12,5"
    with translation.override("en"):
        assert template.render(Context({"value": 12.5})) == "12.5"


# --- Texts in several languages ------------------------------------------------------------


def test_initiative_summary_in_the_readers_language_else_the_original(db):
    kenya = CountryFactory(code="KE")
    initiative = InitiativeFactory(country=kenya, summary="Working on trafficking in persons.")
    initiative.summary_fr = "Travail sur la traite des personnes."
    initiative.save()

    def page(language: str) -> str:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client.get("/countries/ke/").content.decode()

    assert "Travail sur la traite des personnes." in page("fr")
    assert "Working on trafficking in persons." in page("es")
    assert "Working on trafficking in persons." in page("en")


def test_priority_written_in_spanish_shows_in_spanish_to_an_english_reader(db):
    roadmap = AdoptedRoadmapFactory()
    with translation.override("es"):
        priority = PriorityFactory(roadmap=roadmap, title="Proteger a las víctimas")
    assert priority.title_en is None or priority.title_en == ""
    with translation.override("en"):
        priority.refresh_from_db()
        assert priority.title == "Proteger a las víctimas"


def test_event_description_translated_by_staff_in_the_admin(staff_client, db):
    event = EventFactory(title="Consultation", description="Draft priorities.")
    url = reverse("admin:events_event_change", args=[event.pk])
    form = staff_client.get(url).content.decode()
    for name in ("title_en", "title_es", "title_fr", "title_pt", "description_pt"):
        assert f'name="{name}"' in form
    event.description_pt = "Prioridades preliminares."
    event.save()
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pt"
    assert "Prioridades preliminares." in client.get(event.get_absolute_url()).content.decode()


def test_roadmap_revision_keeps_the_translations(db, staff):
    roadmap = AdoptedRoadmapFactory()
    priority = PriorityFactory(roadmap=roadmap, title="Protect victims")
    priority.title_fr = "Protéger les victimes"
    priority.save()
    milestone = MilestoneFactory(priority=priority, title="Adopt the law")
    milestone.title_es = "Adoptar la ley"
    milestone.save()

    revision = roadmap_start_revision(roadmap=roadmap, actor=staff)

    copy = revision.priorities.get()
    assert (copy.title_en, copy.title_fr) == ("Protect victims", "Protéger les victimes")
    assert copy.milestones.get().title_es == "Adoptar la ley"


# --- The accessibility statement ---------------------------------------------------------


def test_accessibility_statement_names_the_standard(db, settings):
    settings.PORTAL_CONTACT_EMAIL = "csu@example.org"
    content = Client().get("/accessibility/").content.decode()
    assert content.count("<h1") == 1
    assert "WCAG) 2.2 at level AA" in content
    assert 'href="mailto:csu@example.org"' in content
