"""Django's makemessages without fuzzy matching (scripts/messages runs it).

msgmerge's fuzzy matching fills a new entry with the translation of some similar-looking old one
and marks it fuzzy; for short interface strings the guesses are mostly wrong (“Connection:”
became “Consultation :”), and translators must first undo them. New strings arrive empty
instead. See docs/architecture.md, "Internationalisation".
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
