"""The interface in the six languages of the ITU: catalogues, translated pages, right-to-left.

See docs/architecture.md, "Internationalisation". The French catalogue is complete (every entry
translated here); es, ru, zh_Hans and ar are filled in by their translators, so for them the
tests check structure (every source string present, the plural forms of the language) and that
pages are rendered through the catalogue in that language.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from channels.testing.websocket import WebsocketCommunicator
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from tests import factories
from tests.sockets import CONNECT_TIMEOUT
from vev.core import catalogues, plurals
from vev.core.i18n import interpolate_lazy
from vev.core.realtime.consumer import scope_language

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("fr", "es", "ru", "zh_Hans", "ar")
CSS = ROOT / "vev" / "static" / "vev" / "css" / "vev.css"


def po(language: str) -> Path:
    return catalogues.LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def msgfmt() -> str:
    found = shutil.which("msgfmt")
    if not found:
        if os.environ.get("CI"):
            pytest.fail("gettext (msgfmt) is not installed")
        pytest.skip("gettext (msgfmt) is not installed")
    return found


# --- catalogues -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalogue_compiles_with_its_plural_forms(language, tmp_path):
    result = subprocess.run(
        [
            msgfmt(),
            "--check",
            "--check-format",
            "-o",
            str(tmp_path / "django.mo"),
            str(po(language)),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    header = [p for p in catalogues.problems(po(language), language) if not p.startswith("line ")]
    assert header == []  # Language, Plural-Forms of the language, header not fuzzy
    entries = catalogues.parse(po(language))
    nplurals = int(re.search(r"nplurals=(\d+)", catalogues.PLURAL_FORMS[language]).group(1))
    assert all(len(e.msgstr) == nplurals for e in entries if e.msgid_plural is not None)


def test_the_french_catalogue_is_complete():
    assert catalogues.problems(po("fr"), "fr") == []


@pytest.mark.parametrize("language", ["es", "ru", "zh_Hans", "ar"])
def test_the_other_catalogues_hold_every_source_string(language):
    """The translators get every string, sorted, without source locations."""
    french = {e.key for e in catalogues.parse(po("fr")) if not e.is_header}
    entries = [e for e in catalogues.parse(po(language)) if not e.is_header]
    assert {e.key for e in entries} == french
    assert [e.key for e in entries] == sorted(
        (e.key for e in entries), key=lambda key: (key[1], key[0] or "")
    )
    assert "#:" not in po(language).read_text(encoding="utf-8")


def test_the_catalogues_are_up_to_date_with_the_source():
    """scripts/messages --check extracts the strings again (into a copy) and compares: a string
    added to a template or to the code without running scripts/messages fails here."""
    msgfmt()
    result = subprocess.run(
        [str(ROOT / "scripts" / "messages"), "--check", "fr"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "fr/LC_MESSAGES/django.po: complete" in result.stdout


def test_the_check_lists_what_is_missing(tmp_path):
    broken = tmp_path / "fr" / "LC_MESSAGES" / "django.po"
    broken.parent.mkdir(parents=True)
    text = po("fr").read_text(encoding="utf-8")
    text = text.replace('msgstr "Se connecter"', 'msgstr ""', 1)
    text = text.replace('msgid "Sign out"', '#, fuzzy\nmsgid "Sign out"', 1)
    text = text.replace(
        'msgstr "Mots\u00a0: {words} sur {max_words}',
        'msgstr "Mots\u00a0: {mots} sur {max_words}',
        1,
    )
    broken.write_text(text, encoding="utf-8")
    found = "\n".join(catalogues.problems(broken, "fr"))
    assert '"Sign in": not translated' in found
    assert '"Sign out": fuzzy' in found
    assert "placeholders differ" in found and "'{mots}'" in found
    assert catalogues.main(["--locale-dir", str(tmp_path), "fr"]) == 1


# --- translated pages -------------------------------------------------------------------------


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


def test_home_page_in_french_and_arabic(client, event):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr")
    assert html_tag(page) == '<html lang="fr" dir="ltr">'
    content = page.content.decode()
    assert "Sessions et séances" in content and "Se connecter" in content
    assert "Aller au contenu principal" in content
    assert "Sessions and meetings" not in content

    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ar")
    assert html_tag(page) == '<html lang="ar" dir="rtl">'
    with translation.override("ar"):
        assert translation.gettext("Sessions and meetings") in page.content.decode()


def test_event_page_in_french_with_french_dates(client, event):
    page = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    content = page.content.decode()
    assert html_tag(page) == '<html lang="fr" dir="ltr">'
    for text in ("Votre participation", "Programme", "Fuseau horaire de la manifestation"):
        assert text in content
    # "part of", sign in / create an account: one sentence with its links, in French order.
    assert "Connectez-vous</a> ou <a" in content
    # Dates in French (translated date format: weekday, day, abbreviated month).
    first = event.meetings.order_by("starts_at").first()
    with translation.override("fr"):
        day = date_format(first.starts_at.astimezone(ZoneInfo(event.time_zone)), "D j N Y")
    assert day in content and "." in day  # "lun 5 oct. 2026": French abbreviations


def test_event_page_in_arabic_is_right_to_left(client, event):
    page = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ar")
    assert html_tag(page) == '<html lang="ar" dir="rtl">'
    with translation.override("ar"):
        assert translation.gettext("Your participation") in page.content.decode()


def test_sign_in_page_in_french_and_arabic(client):
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="fr")
    assert html_tag(page) == '<html lang="fr" dir="ltr">'
    content = page.content.decode()
    assert "Mot de passe" in content  # allauth's own French catalogue
    assert "Créer un compte" in content  # vev's header
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="ar")
    assert html_tag(page) == '<html lang="ar" dir="rtl">'
    assert "كلمة المرور" in page.content.decode()  # "password", allauth's Arabic catalogue


def test_language_selector_sets_the_language(client, db):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("home"))  # no Accept-Language: the cookie decides
    assert html_tag(page) == '<html lang="fr" dir="ltr">'
    assert 'value="fr" lang="fr" selected' in page.content.decode()


def test_signed_in_pages_and_their_forms_in_french(client, role_users):
    user = role_users["secretariat"]
    client.force_login(user)
    page = client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="fr")
    content = page.content.decode()
    assert "Langue préférée" in content  # a model field's verbose name as the form label
    assert "Connecté en tant que" in content


# --- texts built in Python --------------------------------------------------------------------


def test_counted_nouns_follow_the_plural_rules_of_the_language():
    with translation.override("fr"):
        assert plurals.minutes(0) == "0 minute"  # French: 0 and 1 are singular
        assert plurals.minutes(1) == "1 minute"
        assert plurals.pages(2) == "2 pages"
        assert plurals.meeting_days(3) == "3 jours de séance"
    with translation.override("en"):
        assert plurals.minutes(0) == "0 minutes"


def test_form_help_texts_built_at_import_are_translated_when_shown():
    from vev.documents.forms import CommentForm, ContributionForm

    with translation.override("fr"):
        assert str(CommentForm().fields["text"].help_text) == (
            "Une demi-page au maximum\u00a0: 250 mots et 1500 caractères."
        )
        assert "2 pages au plus" in str(ContributionForm().fields["file"].help_text)
    with translation.override("en"):
        assert "250 words and 1500 characters" in str(CommentForm().fields["text"].help_text)
    assert str(interpolate_lazy("%(a)s-%(b)s", {"a": 1, "b": lambda: "x"})) == "1-x"


def test_websocket_language_follows_the_selector_then_the_profile_then_the_browser():
    scope = {"headers": [(b"accept-language", b"ru,en;q=0.5")], "cookies": {}}
    assert scope_language(scope) == "ru"
    assert scope_language({"headers": [(b"accept-language", b"zh-CN")]}) == "zh-hans"
    scope["cookies"] = {"django_language": "ar"}
    assert scope_language(scope) == "ar"
    assert scope_language({}) == "en"


@pytest.mark.django_db(transaction=True)
async def test_event_stream_answers_in_the_language_of_the_page():
    from channels.db import database_sync_to_async

    from vev.council.consumers import EventStreamConsumer

    event = await database_sync_to_async(factories.create_event)()
    users = await database_sync_to_async(factories.create_role_users)(event)
    communicator = WebsocketCommunicator(
        EventStreamConsumer.as_asgi(),
        f"/ws/events/{event.slug}/",
    )
    communicator.scope["cookies"] = {"django_language": "fr"}  # the page's language selector
    communicator.scope["user"] = users["councillor"]
    communicator.scope["url_route"] = {"kwargs": {"event": event.slug}}
    connected, _ = await communicator.connect(timeout=CONNECT_TIMEOUT)
    assert connected
    assert (await communicator.receive_json_from())["type"] == "stream.ready"
    await communicator.send_json_to({"command": "no.such.command", "id": "c1"})
    reply = await communicator.receive_json_from()
    assert reply["error"] == {
        "code": "unknown_command",
        "message": "Commande inconnue\u00a0: 'no.such.command'.",
    }
    await communicator.disconnect()


# --- right-to-left layout ---------------------------------------------------------------------


PHYSICAL = [
    re.compile(r"\b(margin|padding|border|inset)-(left|right)\b"),
    re.compile(r"(?<![-\w])(left|right)\s*:"),
    re.compile(r"\b(text-align|float|clear)\s*:\s*(left|right)\b"),
]


def _physical_properties(css: str) -> list[str]:
    found = []
    for number, line in enumerate(css.splitlines(), start=1):
        code = re.sub(r"/\*.*?\*/", "", line)
        if any(pattern.search(code) for pattern in PHYSICAL):
            found.append(f"{number}: {line.strip()}")
        for match in re.finditer(r"\b(margin|padding)\s*:\s*([^;}]+)", code):
            values = match.group(2).split()
            if len(values) == 4 and values[1] != values[3]:
                found.append(f"{number}: {match.group(0)} (left and right differ)")
    return found


def test_the_stylesheet_uses_logical_properties_only():
    assert _physical_properties(CSS.read_text()) == []
    assert _physical_properties("a { margin-left: 1rem; text-align: right }")  # the check works


@pytest.mark.parametrize(
    "template",
    [
        "planning/templates/planning/plan_pdf.html",
        "documents/templates/documents/exports/matrix_pdf.html",
    ],
)
def test_pdf_templates_are_right_to_left_ready(template):
    text = (ROOT / "vev" / template).read_text()
    assert _physical_properties(text.split("</style>")[0]) == []
    assert 'dir="{% if LANGUAGE_BIDI %}rtl{% else %}ltr{% endif %}"' in text
