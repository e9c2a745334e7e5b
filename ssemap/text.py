"""Text as people type it and as we compare it: accent folding, name normalising, plain text."""

import re
import unicodedata

from django.utils.html import strip_tags

# Words that say nothing about which initiative a name means.
STOP_WORDS = {
    "a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "un", "une",
    "the", "of", "and", "association", "asso",
}  # fmt: skip


def fold(text):
    """Lower case without accents: 'Énergie' → 'energie'."""
    if text is None:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def normalise_name(name):
    """Folded, no punctuation, no stop words: ``"L'Épicerie"`` → ``"epicerie"``."""
    words = re.findall(r"[a-z0-9]+", fold(name or ""))
    return " ".join(w for w in words if w not in STOP_WORDS)


def plain_text(value, *, single_line=True):
    """The text without any HTML tags; single-line values also get their spaces collapsed."""
    value = strip_tags(value or "")
    if single_line:
        return " ".join(value.split())
    return "\n".join(line.rstrip() for line in value.strip().splitlines())


# Control characters no person types into a search box or a form: NUL (which PostgreSQL refuses
# in any text value) and the other C0/C1 controls. Tab, line feed and carriage return are text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_characters(value):
    """Whether ``value`` holds a control character that is not a tab or a line break."""
    return bool(_CONTROL.search(value or ""))


# Characters that open or close markup or an attribute; no web address or e-mail address a
# person gives us needs them, and a value carrying them is passed on by the exports.
_MARKUP = re.compile(r"[<>\"'`\\{}]")


def has_markup(value):
    """Whether ``value`` holds characters of HTML markup or attribute quoting."""
    return bool(_MARKUP.search(value or ""))
