"""HTML back to markdown: render -> html_to_markdown -> render gives the same HTML for CV-shaped markdown."""

from __future__ import annotations

import random

import pytest

from pipeline.render.htmlmd import html_to_markdown
from pipeline.render.markdown import render_markdown
from pipeline.render.sanitize import clean_editor_html

CASES = [
    "# Jane Doe\n",
    "# Jane Doe\n\nSenior engineer · Berlin · jane@example.com\n",
    "## Experience\n\n### Acme — Staff Engineer (2019 - 2023)\n\n- Led **payments** migration\n- Cut *p95* by 40%\n",
    "- one\n- two\n  - nested a\n  - nested b\n- three\n",
    "1. first\n2. second\n10. tenth\n",
    "3. starts at three\n4. four\n",
    "- a\n\n- loose b\n\n  with a paragraph\n",
    "[GitHub](https://github.com/jane) · [mail](mailto:jane@example.com) · <https://jane.dev>\n",
    '[titled](https://x.example "Profile")\n',
    "Hard break\\\nnext line\n",
    "Soft\nbreak stays in one paragraph\n",
    "**Python** - 5 years, *Go* - 2 years\n",
    "snake_case and __init__ and 5\\* rating and \\_under\\_\n",
    "\\- not a list\n\n1\\. not a list\n\n\\# not a heading\n\n\\> not a quote\n",
    "AT&T, a < b, a > b, [brackets], C++ and C#\n",
    "Text with `inline code` and ~~struck~~ words\n",
    "> A quote\n> over lines\n",
    "---\n\nAfter a rule\n",
    "| Skill | Years |\n|---|---|\n| Go | 5 |\n| SQL | 10 |\n",
    "## **Bold** heading with *emphasis*\n",
    "- **Lead engineer**, *Acme* ([site](https://acme.example)) — 2019\n",
    "Emoji ✓ and “smart quotes” — and dashes – here\n",
    "&copy; \\&copy; \\\\ backslash\n",
]


@pytest.mark.parametrize("md", CASES, ids=[f"c{i}" for i in range(len(CASES))])
def test_round_trip(md):
    html = render_markdown(md)
    assert render_markdown(html_to_markdown(html)) == html


def test_round_trip_is_stable():
    """Converting twice changes nothing more: the markdown is a fixed point after one trip."""
    for md in CASES:
        once = html_to_markdown(render_markdown(md))
        assert html_to_markdown(render_markdown(once)) == once


WORDS = ["led", "built", "cut", "payments", "migration", "Python", "SQL", "Kubernetes", "latency", "team", "engineers", "data", "40%", "p95", "AWS"]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(2, 9))]
    i = rng.randrange(len(words))
    words[i] = rng.choice([f"**{words[i]}**", f"*{words[i]}*", f"[{words[i]}](https://ex.example/{i})", words[i]])
    return " ".join(words)


def _cv(rng: random.Random) -> str:
    parts = [f"# {_sentence(rng)}", _sentence(rng)]
    for _ in range(rng.randint(1, 4)):
        parts.append(f"{rng.choice(['##', '###'])} {_sentence(rng)}")
        kind = rng.random()
        if kind < 0.6:
            parts.append("\n".join(f"- {_sentence(rng)}" for _ in range(rng.randint(1, 5))))
        elif kind < 0.8:
            parts.append("\n".join(f"{n}. {_sentence(rng)}" for n in range(1, rng.randint(2, 5))))
        else:
            parts.append(_sentence(rng))
    return "\n\n".join(parts) + "\n"


@pytest.mark.parametrize("seed", range(60))
def test_round_trip_generated_cvs(seed):
    md = _cv(random.Random(seed))
    html = render_markdown(md)
    assert render_markdown(html_to_markdown(html)) == html


def test_output_is_clean_markdown():
    md = html_to_markdown(
        "<h1>Jane</h1>\n\n\n\n<h2>Skills</h2><ul><li>Python</li><li>SQL</li></ul><p>a<br>b</p><p>   </p><p>end  </p>"
    )
    assert md == "# Jane\n\n## Skills\n\n- Python\n- SQL\n\na\\\nb\n\nend\n"
    assert "\n\n\n" not in md and not any(line != line.rstrip() for line in md.splitlines())


def test_editor_html_to_markdown():
    """What a browser sends after an edit (divs, b/i, nbsp) becomes ordinary markdown."""
    html = clean_editor_html("<h2>Skills</h2><div><b>Python</b>&nbsp;and <i>SQL</i></div><div>snake_case</div>").html
    assert html_to_markdown(html) == "## Skills\n\n**Python**\u00a0and *SQL*\n\nsnake_case\n"
    assert html_to_markdown("") == ""
    assert html_to_markdown("<u>underlined</u> <span>plain</span>") == "underlined plain\n"
