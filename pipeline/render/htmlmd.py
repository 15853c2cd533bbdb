"""The CV's HTML back to markdown, so CV.md downloads reflect an in-browser edit.

markdownify does the conversion; its escaping is narrowed to what would change
the meaning under CommonMark (a user's "snake_case" or "2019 - 2021" stays
readable), and hard breaks use a backslash so stripping trailing spaces is safe.
"""

from __future__ import annotations

import re

from markdownify import ATX, MarkdownConverter

_LOOSE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_TAG_LIKE = re.compile(r"<(?=[A-Za-z/!?])")
# A marker at the very start of a text node (optionally after a newline): the text may begin a line there.
_LINE_START = re.compile(r"^((?:\s*\n[ \t]*)?)(?:(\d{1,9})([.)])|(#{1,6}|=+|[-+>]))(?=\s|$)")


class _CvConverter(MarkdownConverter):
    def escape(self, text: str, parent_tags: set[str]) -> str:  # type: ignore[override]
        """Escape only what markdown would read as syntax: emphasis, code, links, entities, a leading block marker."""
        if not text:
            return ""
        text = text.replace("\\", "\\\\").replace("*", r"\*").replace("`", r"\`")
        text = text.replace("[", r"\[").replace("]", r"\]")
        text = _TAG_LIKE.sub(r"\\<", text)
        text = _ENTITY_LIKE.sub(r"\\&", text)
        text = _LOOSE_UNDERSCORE.sub(r"\\_", text)
        return _LINE_START.sub(_escape_marker, text, count=1)


def _escape_marker(m: re.Match[str]) -> str:
    """Turn "1. x" into "1\\. x" and "- x" into "\\- x": displayed the same, no longer a list, heading or quote."""
    if m.group(2):
        return f"{m.group(1)}{m.group(2)}\\{m.group(3)}"
    return f"{m.group(1)}\\{m.group(4)}"


_OPTIONS = {
    "heading_style": ATX,
    "bullets": "-",
    "strong_em_symbol": "*",
    "newline_style": "backslash",
    "escape_misc": False,
    "autolinks": True,
}


def html_to_markdown(html: str) -> str:
    """Clean markdown for `html`: ATX headings, '-' bullets, no trailing spaces, at most one blank line in a row."""
    md = _CvConverter(**_OPTIONS).convert(html or "")
    lines = [line.rstrip() for line in md.replace("\r\n", "\n").split("\n")]
    md = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return md + "\n" if md else ""
