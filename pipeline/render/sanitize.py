"""Sanitizing HTML edited in the browser (contenteditable) before it is stored.

nh3 (ammonia) does the actual cleaning with an allowlist; a pre-scan of the
input with the standard library's HTML parser says, in plain words, what the
allowlist is about to drop, so the UI can tell the user instead of silently
losing their paste. Safety never depends on the scan: only on nh3.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3

# The websocket carrying the editor's HTML tops out around 1 MB; refuse well below it.
MAX_EDITOR_BYTES = 400_000
# A CV nests a few levels; html5ever takes quadratic time on thousands of nested blocks (seconds of CPU).
MAX_NESTING = 256

# A superset of what render_markdown emits (so an untouched CV survives a save
# unchanged) plus what a CV needs. `div` is allowed only transiently: browsers
# insert it on Enter, and it is turned into `p` (or unwrapped) after cleaning.
ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s", "del",
    "ul", "ol", "li", "a", "blockquote", "span", "code", "pre",
    "table", "thead", "tbody", "tr", "th", "td",
}
_TRANSIENT = {"div"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"  # same as render_markdown, so stored links compare equal
# Dropped with everything inside them: executable, invisible or not text a CV wants.
DROP_CONTENT = {"script", "style", "template", "noscript", "svg", "math", "iframe", "object", "embed", "textarea", "select"}

_FORM = {"form", "input", "button", "select", "textarea", "option", "optgroup", "label", "fieldset", "datalist", "output"}
_FRAMES = {"iframe", "object", "embed", "frame", "frameset", "applet", "portal"}
_MEDIA = {"img", "picture", "source", "video", "audio", "image", "track"}
_BLOCK_RE = re.compile(r"<(?:p|h[1-6]|ul|ol|li|blockquote|pre|table|hr)\b")
_DIV_RE = re.compile(r"<div>((?:(?!<div>|</div>).)*)</div>", re.DOTALL)
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param", "keygen"}
_SELF_CLOSING_SIBLINGS = {"p", "li", "dt", "dd", "option", "tr", "td", "th"}
_TAG_NAME = re.compile(r"[a-z][a-z0-9-]{0,30}")
_ATTR_NAME = re.compile(r"[a-z][a-z0-9_:.-]{0,40}")
_URL_JUNK = re.compile(r"[\x00-\x20\x7f]+")


@dataclass
class CleanResult:
    html: str
    removed: list[str] = field(default_factory=list)


def check_size(html: str) -> None:
    """Refuse an edit too large to travel back to the browser safely."""
    size = len(html.encode("utf-8"))
    if size > MAX_EDITOR_BYTES:
        raise ValueError(
            f"The CV is too large to save ({size // 1000} KB; the limit is {MAX_EDITOR_BYTES // 1000} KB). "
            "Large pastes (often embedded images) are refused: paste plain text or remove the pasted block."
        )


def clean_editor_html(html: str) -> CleanResult:
    """Allowlist-clean the editor's HTML and list what was dropped, in words a user understands."""
    html = html or ""
    check_size(html)
    scan = _Scan()
    try:
        scan.feed(html)
        scan.close()
    except Exception:  # noqa: BLE001 - the report is best effort; the cleaning below is not
        scan.counts["unreadable markup"] += 1
    if "<!--" in html and not scan.counts["comment"]:
        scan.counts["comment"] += 1  # an unterminated comment, which html.parser passes over as text
    if scan.max_depth > MAX_NESTING:
        raise ValueError(f"The CV's HTML is nested too deeply to save (more than {MAX_NESTING} levels). Paste it as plain text instead.")
    cleaned = _nh3(html, ALLOWED_TAGS | _TRANSIENT)
    cleaned = _blockify_divs(cleaned)
    return CleanResult(html=cleaned, removed=scan.report())


def _nh3(html: str, tags: set[str]) -> str:
    return nh3.clean(
        html,
        tags=tags,
        clean_content_tags=DROP_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def _blockify_divs(html: str) -> str:
    """`<div>line</div>` (what Enter inserts) becomes a paragraph; a div wrapping blocks is unwrapped.

    Works on nh3's normalized output, where a bare `<div>` can only be a tag; the
    final nh3 pass (without div) keeps the result inside the allowlist whatever happens."""
    if "<div>" not in html:
        return html

    def one(m: re.Match[str]) -> str:
        inner = m.group(1)
        return inner if _BLOCK_RE.search(inner) or not inner.strip() and "<br>" not in inner else f"<p>{inner}</p>"

    for _ in range(MAX_NESTING + 2):
        html, n = _DIV_RE.subn(one, html)
        if not n:
            break
    return _nh3(html, ALLOWED_TAGS)


class _Scan(HTMLParser):
    """Counts what the allowlist will drop. html.parser is more lenient than html5ever, which is fine for a report."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.counts: Counter[str] = Counter()
        self.unknown: set[str] = set()
        self.other_attrs: set[str] = set()
        self._skip = 0  # depth inside a dropped-with-content element (its inner tags are not reported separately)
        self._open: list[str] = []  # a lenient element stack, to measure nesting depth
        self.max_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, closes=False)
        if tag in _VOID or self.max_depth > MAX_NESTING:  # past the limit the edit is refused: stop tracking
            return
        if tag in _SELF_CLOSING_SIBLINGS and self._open and self._open[-1] == tag:
            self._open.pop()  # <li>a<li>b: the second li closes the first
        self._open.append(tag)
        self.max_depth = max(self.max_depth, len(self._open))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, closes=True)

    def handle_endtag(self, tag: str) -> None:
        for k in range(len(self._open) - 1, -1, -1):
            if self._open[k] == tag:
                del self._open[k:]
                break
        if tag in ("svg", "math", "template", "noscript") and self._skip:
            self._skip -= 1

    def handle_comment(self, data: str) -> None:
        self.counts["comment"] += 1

    def handle_decl(self, decl: str) -> None:
        self.counts["unknown"] += 1
        self.unknown.add("doctype")

    def handle_pi(self, data: str) -> None:
        self.counts["comment"] += 1

    def unknown_decl(self, data: str) -> None:  # CDATA and friends
        self.counts["comment"] += 1

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], *, closes: bool) -> None:
        c = self.counts
        if tag == "script":
            c["script"] += 1
        elif tag == "style":
            c["style block"] += 1
        elif tag in ("svg", "math"):
            c[tag] += 1
            if not closes:
                self._skip += 1
            return
        elif self._skip:
            return
        elif tag in _MEDIA:
            c["image" if tag in ("img", "picture", "image") else "media"] += 1
        elif tag in _FRAMES:
            c["frame"] += 1
        elif tag in _FORM:
            c["form"] += 1
        elif tag in ("template", "noscript"):
            c["unknown"] += 1
            self.unknown.add(tag)
            if not closes:
                self._skip += 1
        elif tag not in ALLOWED_TAGS and tag not in _TRANSIENT:
            c["unknown"] += 1
            self.unknown.add(tag if _TAG_NAME.fullmatch(tag) else "malformed tag")
        if tag not in ALLOWED_TAGS and tag not in _TRANSIENT:
            attrs = [(k, v) for k, v in attrs if k.startswith("on") or k == "style"]  # only the notable ones
        allowed = ALLOWED_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name.startswith("on"):
                c["event handler"] += 1
            elif name == "style":
                c["inline style"] += 1
            elif name == "href" and tag == "a":
                if _unsafe_url(value or ""):
                    c["unsafe link"] += 1
            elif name not in allowed and name != "rel":
                self.other_attrs.add(name if _ATTR_NAME.fullmatch(name) else "malformed attribute")

    def report(self) -> list[str]:
        c, out = self.counts, []
        for key, one, many in (
            ("script", "1 script", "{n} scripts"),
            ("style block", "1 style block", "{n} style blocks"),
            ("image", "1 image", "{n} images"),
            ("media", "1 audio/video element", "{n} audio/video elements"),
            ("frame", "1 embedded frame or object", "{n} embedded frames or objects"),
            ("form", "1 form element", "{n} form elements"),
            ("svg", "1 SVG graphic", "{n} SVG graphics"),
            ("math", "1 MathML formula", "{n} MathML formulas"),
            ("unsafe link", "unsafe link", "{n} unsafe links"),
        ):
            if c[key]:
                out.append(one if c[key] == 1 else many.format(n=c[key]))
        if c["event handler"]:
            out.append("event handlers")
        if c["inline style"]:
            out.append("inline styles")
        if c["comment"]:
            out.append("comments")
        if self.unknown:
            out.append("unsupported tags (" + ", ".join(sorted(self.unknown)[:6]) + ")")
        if self.other_attrs:
            out.append("unsupported attributes (" + ", ".join(sorted(self.other_attrs)[:6]) + ")")
        if c["unreadable markup"]:
            out.append("unreadable markup")
        return out


def _unsafe_url(value: str) -> bool:
    """True when a link uses a scheme other than http, https or mailto (javascript:, data:, vbscript:...)."""
    v = _URL_JUNK.sub("", value).lower()
    m = re.match(r"^([a-z][a-z0-9+.\-]*):", v)
    return bool(m) and m.group(1) not in URL_SCHEMES
