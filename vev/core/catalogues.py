"""Read and check vev's translation catalogues (``vev/locale/<lang>/LC_MESSAGES/*.po``).

``scripts/messages --check`` runs :func:`main`; the tests use :func:`parse` and :func:`problems`.
No Django needed: this reads the files as gettext writes them.

A catalogue is in order when every entry is translated, none is fuzzy, the header names the
language and its plural forms, and each translation keeps the placeholders of its source:
``%(name)s`` (checked by ``msgfmt --check-format`` too), ``{name}`` (the templates that the
JavaScript modules fill in) and the HTML tags. See docs/architecture.md, "Internationalisation".
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

#: Plural forms each language must declare (Django's own catalogues use the same).
PLURAL_FORMS = {
    "fr": "nplurals=2; plural=(n > 1);",
    "es": "nplurals=3; plural=n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;",
    "ru": (
        "nplurals=4; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<12 || n%100>14) ? 1 : n%10==0 || (n%10>=5 && n%10<=9) || "
        "(n%100>=11 && n%100<=14)? 2 : 3);"
    ),
    "zh_Hans": "nplurals=1; plural=0;",
    "ar": (
        "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
        "n%100>=11 && n%100<=99 ? 4 : 5;"
    ),
}
LANGUAGES = tuple(PLURAL_FORMS)

_BRACES = re.compile(r"\{[a-z_]+\}")
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b")


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    def label(self) -> str:
        context = f" [{self.msgctxt}]" if self.msgctxt else ""
        text = self.msgid.replace("\n", "\\n")
        text = text if len(text) <= 90 else text[:87] + "…"
        return f'"{text}"{context}'


def _unquote(text: str) -> str:
    return ast.literal_eval(text) if text.startswith('"') else text


def parse(path: Path) -> list[Entry]:
    """The entries of a .po file, header first; obsolete (``#~``) entries are kept, marked."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int | None] | None = None
    started = False

    def finish() -> None:
        nonlocal entry, target, started
        if started:
            entries.append(entry)
        entry, target, started = Entry(), None, False

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            finish()
            continue
        if line.startswith("#,") and not obsolete:
            if started:
                finish()
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#") and not obsolete:
            if started:
                finish()
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"{path}:{number}: text outside an entry")
            value = _unquote(line)
        elif keyword in ("msgctxt", "msgid", "msgid_plural") or keyword.startswith("msgstr"):
            if keyword in ("msgctxt", "msgid") and started and target and target[0] != "msgctxt":
                finish()
            if not started:
                entry.line, started = number, True
            entry.obsolete = entry.obsolete or obsolete
            index = None
            if keyword.startswith("msgstr["):
                index = int(keyword[7:-1])
            target = (keyword.split("[")[0], index)
            value = _unquote(rest.strip())
            if target[0] == "msgstr":
                entry.msgstr.append("")
            elif target[0] == "msgctxt":
                entry.msgctxt = ""
            elif target[0] == "msgid_plural":
                entry.msgid_plural = ""
        else:
            raise ValueError(f"{path}:{number}: cannot read {raw!r}")
        name, _index = target
        if name == "msgid":
            entry.msgid += value
        elif name == "msgctxt":
            entry.msgctxt = (entry.msgctxt or "") + value
        elif name == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + value
        else:
            entry.msgstr[-1] += value
    finish()
    return entries


def header_fields(entries: list[Entry]) -> dict[str, str]:
    header = next((e for e in entries if e.is_header), None)
    if header is None or not header.msgstr:
        return {}
    fields = {}
    for line in header.msgstr[0].splitlines():
        name, _, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return fields


def _placeholder_problems(entry: Entry) -> list[str]:
    """``{name}`` placeholders and HTML tags the translation must keep (``%(name)s`` formats
    are checked by ``msgfmt --check-format``, which knows that a plural form may omit the
    count)."""
    found = []
    for index, text in enumerate(entry.msgstr):
        if not text:
            continue
        source = entry.msgid if index == 0 or entry.msgid_plural is None else entry.msgid_plural
        where = f" in msgstr[{index}]" if entry.msgid_plural is not None else ""
        wanted, got = set(_BRACES.findall(source)), set(_BRACES.findall(text))
        if wanted != got:
            found.append(f"placeholders differ{where}: {sorted(wanted)} != {sorted(got)}")
        if Counter(_TAG.findall(source)) != Counter(_TAG.findall(text)):
            found.append(f"HTML tags differ from the source{where}")
    return found


def problems(path: Path, language: str | None = None) -> list[str]:
    """Everything that keeps the catalogue at ``path`` from being complete and correct."""
    language = language or path.parent.parent.name
    entries = parse(path)
    found: list[str] = []
    header = next((e for e in entries if e.is_header), None)
    fields = header_fields(entries)
    if header is None:
        found.append("no header entry")
    else:
        if header.fuzzy:
            found.append("the header is marked fuzzy (msgfmt would drop it and its plural forms)")
        if fields.get("Language") != language:
            found.append(f"header Language is {fields.get('Language')!r}, not {language!r}")
        wanted = PLURAL_FORMS.get(language)
        if wanted and fields.get("Plural-Forms", "").replace(" ", "") != wanted.replace(" ", ""):
            found.append(f"header Plural-Forms should be {wanted!r}")
    declared = re.search(r"nplurals=(\d+)", fields.get("Plural-Forms", ""))
    nplurals = int(declared.group(1)) if declared else 2
    for entry in entries:
        if entry.is_header:
            continue
        where = f"line {entry.line}: {entry.label()}"
        if entry.obsolete:
            found.append(f"{where}: obsolete (run scripts/messages)")
            continue
        if entry.fuzzy:
            found.append(f"{where}: fuzzy")
        if not entry.translated:
            found.append(f"{where}: not translated")
            continue
        if entry.msgid_plural is not None and len(entry.msgstr) != nplurals:
            found.append(f"{where}: {len(entry.msgstr)} plural forms, not {nplurals}")
        found.extend(f"{where}: {problem}" for problem in _placeholder_problems(entry))
    return found


def catalogues(locale_dir: Path = LOCALE_DIR, languages: tuple[str, ...] = LANGUAGES):
    for language in languages:
        for path in sorted((locale_dir / language / "LC_MESSAGES").glob("*.po")):
            yield language, path


def stale(committed: Path, fresh: Path) -> list[str]:
    """Source strings missing from ``committed`` and entries no longer in the source, against
    ``fresh`` (the same catalogue just extracted from the code)."""
    have = {e.key for e in parse(committed) if not e.is_header and not e.obsolete}
    want = {e.key: e for e in parse(fresh) if not e.is_header and not e.obsolete}
    found = [f"missing: {want[key].label()}" for key in sorted(set(want) - have, key=str)]
    found += [
        f'no longer in the source: "{key[1][:90]}"' for key in sorted(have - set(want), key=str)
    ]
    return found


def say(text: str) -> None:
    sys.stdout.write(text + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/messages --check",
        description="Check vev's translation catalogues; exit 1 if anything is missing.",
    )
    parser.add_argument("languages", nargs="*", default=list(LANGUAGES), metavar="LANGUAGE")
    parser.add_argument("--locale-dir", type=Path, default=LOCALE_DIR)
    parser.add_argument("--fresh", type=Path, help="a locale directory extracted just now")
    parser.add_argument(
        "--summary", action="store_true", help="one line per catalogue, without the details"
    )
    args = parser.parse_args(argv)
    if unknown := sorted(set(args.languages) - set(LANGUAGES)):
        parser.error(f"unknown language {', '.join(unknown)} (one of {', '.join(LANGUAGES)})")
    failed = False
    for language in args.languages:
        committed = {path.name: path for _, path in catalogues(args.locale_dir, (language,))}
        fresh = {}
        if args.fresh:
            fresh = {path.name: path for _, path in catalogues(args.fresh, (language,))}
        for name in sorted(set(committed) | set(fresh)):
            shown = f"{language}/LC_MESSAGES/{name}"
            if name not in committed:
                say(f"{shown}: missing (run scripts/messages)")
                failed = True
                continue
            path = committed[name]
            found = stale(path, fresh[name]) if name in fresh else []
            if args.fresh and name not in fresh:
                found.append("no source string uses this domain any more (remove the file)")
            found += problems(path, language)
            count = sum(1 for e in parse(path) if not e.is_header and not e.obsolete)
            if found:
                failed = True
                say(f"{shown}: {len(found)} problem(s), {count} messages")
                for problem in [] if args.summary else found:
                    say(f"  {problem}")
            else:
                say(f"{shown}: complete, {count} messages")
        if not committed and not fresh:
            say(f"{language}: no catalogue (run scripts/messages)")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
