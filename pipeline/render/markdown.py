"""Markdown to HTML that is safe to put in the page: raw HTML off, links checked, sanitized."""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "del",
    "ul", "ol", "li", "blockquote", "code", "pre", "a", "table", "thead", "tbody", "tr", "th", "td", "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}


@lru_cache(maxsize=1)
def _md() -> MarkdownIt:
    # "js-default" disables raw HTML and validates link schemes (no javascript:).
    return MarkdownIt("js-default", {"linkify": False, "typographer": False}).enable("table").enable("strikethrough")


def sanitize_html(html: str) -> str:
    """Allowlist sanitizing for any HTML that reaches the browser or the store."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def render_markdown(text: str) -> str:
    """Posting or CV markdown as inert HTML."""
    return sanitize_html(_md().render(text or ""))
