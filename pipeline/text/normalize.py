"""Text folding shared by search and duplicate detection.

Not the lexicon's `fold` (`pipeline.text.lexicon`), which keeps one character per input
character so match offsets line up; this one uses full case folding ('ß' -> 'ss').
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """Case- and accent-insensitive form: 'École' -> 'ecole'; other scripts are kept."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> str:
    """Folded text with punctuation collapsed to single spaces."""
    return " ".join(_NON_WORD.sub(" ", fold(text)).split())


def search_text(*parts: str) -> str:
    """What the table's search scans: one folded column instead of four."""
    return "\n".join(fold(p) for p in parts if p)
