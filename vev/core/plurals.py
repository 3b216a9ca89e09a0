"""Counted nouns for messages (“1 minute”, “95 minutes”) in each language's plural forms.

A sentence with several numbers cannot be one ``ngettext``: Russian has three plural forms and
Arabic six, chosen by each number separately. Build each counted noun here and pass it to the
sentence as a named placeholder::

    _("%(item)s needs %(duration)s") % {"item": label, "duration": plurals.minutes(95)}

See docs/architecture.md, "Internationalisation".
"""

from __future__ import annotations

from django.utils.translation import ngettext


def minutes(n: int) -> str:
    return ngettext("%(n)s minute", "%(n)s minutes", n) % {"n": n}


def hours(n: int) -> str:
    return ngettext("%(n)s hour", "%(n)s hours", n) % {"n": n}


def days(n: int) -> str:
    return ngettext("%(n)s day", "%(n)s days", n) % {"n": n}


def meeting_days(n: int) -> str:
    return ngettext("%(n)s meeting day", "%(n)s meeting days", n) % {"n": n}


def pages(n: int) -> str:
    return ngettext("%(n)s page", "%(n)s pages", n) % {"n": n}


def words(n: int) -> str:
    return ngettext("%(n)s word", "%(n)s words", n) % {"n": n}


def characters(n: int) -> str:
    return ngettext("%(n)s character", "%(n)s characters", n) % {"n": n}
