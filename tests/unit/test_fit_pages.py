"""Fit to N pages: which bullets go first, what never goes, and how few renders it takes.

Pages come from a fake printer (40 non-empty lines a page), so the search can be checked
exactly: the number of cuts it settles on fits, and one cut fewer would not."""

from __future__ import annotations

import asyncio
import math
import time

import pytest

from pipeline.documents.fit import Cut, FitOutcome, drop_lines, fit_to_pages, rank_cuts
from pipeline.text.posting import PostingView, analyse

LINES_PER_PAGE = 40

POSTING = analyse(
    "Backend Engineer",
    "Acme",
    "",
    "## Requirements\n\n- 5+ years of Python\n- PostgreSQL\n- FastAPI or Django\n\n## Nice to have\n\n- Terraform\n- Kubernetes\n",
)

CV = """# Jane Doe

London · jane@example.com · +44 20 7946 0000
linkedin.com/in/jane-example

## Summary

Backend engineer who builds Python services on PostgreSQL.

## Experience

### Senior Engineer — Newco

*2021 – Present*

- Organised the office summer party for forty colleagues.
- Built the pricing API in Python and FastAPI on PostgreSQL.

### Engineer — Midco

*2018 – 2021*

- Organised the quarterly team lunches for the whole floor.
- Wrote all production infrastructure in Terraform.
- Tuned Postgres indexes for the orders table.
- Kept the holiday rota current.

### Junior Developer — Oldco

*2015 – 2018*

- Organised the quarterly team lunches for the whole hall.
- Built internal tools in Django.

## Skills

- **Languages:** Python, SQL
- **Cloud:** AWS, Terraform

## Languages

- English — native
"""


class FakePrinter:
    """pages = ceil(non-empty lines / 40); counts its calls."""

    def __init__(self, lines_per_page: int = LINES_PER_PAGE) -> None:
        self.lines_per_page = lines_per_page
        self.calls = 0

    def pages(self, markdown: str) -> int:
        return max(1, math.ceil(sum(1 for ln in markdown.splitlines() if ln.strip()) / self.lines_per_page))

    async def __call__(self, markdown: str) -> int:
        self.calls += 1
        return self.pages(markdown)


def fit(markdown: str, pages: int, posting: PostingView | None = POSTING, printer: FakePrinter | None = None) -> FitOutcome:
    return asyncio.run(fit_to_pages(markdown, pages=pages, posting=posting, count_pages=printer or FakePrinter()))


def long_cv(roles: int, bullets: int, *, newest: int | None = None) -> str:
    """`roles` roles of `bullets` one-line bullets (the newest role `newest`); every third names Python."""
    out = ["# Sam Long", "", "Leeds · sam@example.com", "", "## Summary", "", "Engineer.", "", "## Experience", ""]
    for r in range(roles):
        out += [f"### Engineer — Company {r}", "", f"*{2024 - r - 1} – {2024 - r}*", ""]
        for b in range(bullets if r or newest is None else newest):
            topic = "Built Python services on PostgreSQL" if b % 3 == 0 else "Organised the office events"
            out.append(f"- {topic} for team {r}-{b}.")
        out.append("")
    out += ["## Education", "", "BSc Computing, 2010", ""]
    return "\n".join(out)


# --- ranking -----------------------------------------------------------------


def test_least_relevant_first_must_haves_outweigh_nice_to_haves() -> None:
    cuts = rank_cuts(CV, POSTING)
    lines = [c.line for c in cuts]
    party = lines.index("- Organised the quarterly team lunches for the whole hall.")
    terraform = lines.index("- Wrote all production infrastructure in Terraform.")
    postgres = lines.index("- Tuned Postgres indexes for the orders table.")  # a synonym of the must-have PostgreSQL
    django = lines.index("- Built internal tools in Django.")  # one alternative of "FastAPI or Django"
    assert party < terraform < postgres
    assert terraform < django
    assert all(isinstance(c, Cut) for c in cuts)
    assert cuts == sorted(cuts, key=lambda c: c.score)
    assert next(c for c in cuts if c.line.endswith("Terraform.")).role == "### Engineer — Midco"


def test_older_roles_go_first_among_equals_then_longer_bullets() -> None:
    lines = [c.line for c in rank_cuts(CV, POSTING)]
    # equal relevance and length: the older role's bullet goes first
    assert lines.index("- Organised the quarterly team lunches for the whole hall.") < lines.index(
        "- Organised the quarterly team lunches for the whole floor."
    )
    # same role, same (no) relevance: the longer goes first
    assert lines.index("- Organised the quarterly team lunches for the whole floor.") < lines.index("- Kept the holiday rota current.")


def test_without_a_posting_recency_then_length_decide() -> None:
    cuts = rank_cuts(CV, None)
    assert {c.score for c in cuts} == {0.0}
    assert [c.role for c in cuts][:2] == ["### Junior Developer — Oldco"] * 2
    assert cuts[0].line == "- Organised the quarterly team lunches for the whole hall."


def test_never_the_name_contact_headings_summary_lists_or_the_most_recent_role() -> None:
    lines = [c.line for c in rank_cuts(CV, POSTING)]
    protected = [ln for ln in CV.splitlines() if ln.strip() and ln not in lines]
    for kept in (
        "# Jane Doe",
        "London · jane@example.com · +44 20 7946 0000",
        "linkedin.com/in/jane-example",
        "Backend engineer who builds Python services on PostgreSQL.",
        "### Senior Engineer — Newco",
        "- Organised the office summer party for forty colleagues.",  # newest role, even when irrelevant
        "- Built the pricing API in Python and FastAPI on PostgreSQL.",
        "- **Languages:** Python, SQL",
        "- English — native",
    ):
        assert kept in protected
    assert not any(ln.startswith("#") for ln in lines)
    assert sorted(lines) == sorted(
        [
            "- Organised the quarterly team lunches for the whole floor.",
            "- Wrote all production infrastructure in Terraform.",
            "- Tuned Postgres indexes for the orders table.",
            "- Kept the holiday rota current.",
            "- Organised the quarterly team lunches for the whole hall.",
            "- Built internal tools in Django.",
        ]
    )


def test_bullets_outside_the_experience_section_can_go_but_a_cv_without_bullets_has_none() -> None:
    cv = "# A B\n\na@example.com\n\n## Experience\n\n### Now — X\n\n- Only bullet.\n\n## Certifications\n\n- First aid (2019)\n"
    assert [(c.line, c.section, c.role) for c in rank_cuts(cv, None)] == [("- First aid (2019)", "Certifications", "")]
    assert rank_cuts("# A B\n\nJust a paragraph.\n", POSTING) == []
    assert rank_cuts("", POSTING) == []


def test_other_cv_shapes_name_header_bold_roles_and_crlf() -> None:
    named = "## Jane Doe\r\n\r\n- jane@example.com\r\n- +44 1\r\n\r\n## Experience\r\n\r\n### A — X\r\n\r\n- New.\r\n\r\n### B — Y\r\n\r\n- Old.\r\n"
    assert [c.line for c in rank_cuts(named, None)] == ["- Old."]  # contact bullets under a "## Name" stay
    bold = "Jane Doe\n- jane@example.com\n\nEXPERIENCE\n\n**A — X**\n*2020 – Present*\n- New.\n\n**B — Y**\n*2018 – 2020*\n- Old one.\n- Old two, longer.\n"
    assert [(c.line, c.role) for c in rank_cuts(bold, None)] == [("- Old two, longer.", "**B — Y**"), ("- Old one.", "**B — Y**")]


def test_a_nested_list_goes_with_its_bullet() -> None:
    cv = "# A B\n\n## Experience\n\n### Now — X\n\n- Kept.\n\n### Then — Y\n\n- Parent bullet\n  - child one\n  - child two\n- Sibling.\n"
    lines = [c.line for c in rank_cuts(cv, None)]
    assert "- Parent bullet\n  - child one\n  - child two" in lines
    assert "- Sibling." in lines and len(lines) == 2
    assert drop_lines(cv, ["- Parent bullet\n  - child one\n  - child two"]).endswith("### Then — Y\n\n- Sibling.\n")


# --- removing ----------------------------------------------------------------


def test_drop_lines_removes_exactly_those_lines_and_keeps_every_other_byte() -> None:
    cv = CV.replace("\n", "\r\n").replace("## Summary", "## Summary   ") + "\r\n\r\n<!-- end -->"
    gone = ["- Kept the holiday rota current.", "- Built internal tools in Django."]
    out = drop_lines(cv, gone)
    expected = "".join(ln for ln in cv.splitlines(keepends=True) if ln.rstrip("\r\n") not in gone)
    assert out == expected
    assert drop_lines(cv, []) == cv


def test_drop_lines_takes_a_repeated_bullet_from_the_bottom_so_the_newest_role_keeps_it() -> None:
    cv = "# A\n\n## Experience\n\n### New — X\n\n- Same words.\n\n### Old — Y\n\n- Same words.\n- Other.\n"
    assert drop_lines(cv, ["- Same words."]) == "# A\n\n## Experience\n\n### New — X\n\n- Same words.\n\n### Old — Y\n\n- Other.\n"


def test_drop_lines_refuses_what_is_not_a_bullet_of_the_cv() -> None:
    with pytest.raises(ValueError, match="Not a bullet of this CV"):
        drop_lines(CV, ["- Never written."])
    with pytest.raises(ValueError, match="Only bullets"):
        drop_lines(CV, ["## Summary"])


# --- fitting -----------------------------------------------------------------


def test_a_cv_that_already_fits_is_unchanged_after_one_render() -> None:
    printer = FakePrinter()
    out = fit(CV, 2, printer=printer)
    assert (out.fits, out.markdown, out.removed, out.pages_before, out.pages) == (True, CV, [], 1, 1)
    assert out.renders == printer.calls == 1
    assert out.message == "Already fits 2 pages."


def test_fitting_removes_the_least_relevant_and_keeps_the_newest_role() -> None:
    printer = FakePrinter(lines_per_page=20)
    assert printer.pages(CV) == 2
    out = fit(CV, 1, printer=printer)
    assert out.fits and out.pages == 1 and out.pages_before == 2
    ranked = [c.line for c in rank_cuts(CV, POSTING)]
    assert out.removed == ranked[: len(out.removed)]
    assert out.markdown == drop_lines(CV, out.removed)
    assert "- Organised the office summer party for forty colleagues." in out.markdown
    assert "- Built internal tools in Django." in out.markdown  # a must-have alternative stays while party lines go
    assert out.message == f"Fitted to 1 page by removing {len(out.removed)} bullet{'s' if len(out.removed) != 1 else ''}."
    assert out.renders == printer.calls


def test_a_cv_that_cannot_fit_says_so_and_lists_everything_it_would_remove() -> None:
    cv = long_cv(roles=1, bullets=60) + "\n" + long_cv(roles=3, bullets=2).split("## Experience", 1)[1]
    printer = FakePrinter()
    out = fit(cv, 1, printer=printer)
    ranked = [c.line for c in rank_cuts(cv, POSTING)]
    assert not out.fits
    assert out.markdown == cv and out.removed == []
    assert out.would_remove == ranked and ranked
    assert out.pages_before == printer.pages(cv) and out.pages == printer.pages(drop_lines(cv, ranked)) > 1
    assert out.message == (
        f"Cannot fit 1 page even without the {len(ranked)} removable bullets: shorten the summary or the most recent role by hand."
    )
    assert out.renders == printer.calls <= 3


def test_a_long_cv_with_nothing_removable_cannot_fit() -> None:
    cv = "# A\n\n## Summary\n\n" + "\n\n".join(f"Paragraph {i}." for i in range(60))
    out = fit(cv, 1)
    assert not out.fits and out.would_remove == [] and out.renders == 1
    assert out.message == "Cannot fit 1 page and it has no bullet that may be removed: shorten the summary or the most recent role by hand."


@pytest.mark.parametrize(("roles", "bullets", "pages"), [(6, 8, 1), (10, 10, 2), (20, 6, 2), (8, 12, 1), (12, 9, 2)])
def test_the_search_finds_the_fewest_cuts(roles: int, bullets: int, pages: int) -> None:
    cv = long_cv(roles, bullets)
    printer = FakePrinter()
    out = fit(cv, pages, printer=printer)
    assert out.fits and out.pages <= pages
    ranked = [c.line for c in rank_cuts(cv, POSTING)]
    k = len(out.removed)
    assert out.removed == ranked[:k]
    assert printer.pages(drop_lines(cv, ranked[:k])) <= pages
    assert printer.pages(drop_lines(cv, ranked[: k - 1])) > pages  # one cut fewer would not fit
    assert out.renders == printer.calls <= 2 + math.ceil(math.log2(len(ranked))) + 2


def test_five_hundred_bullets_stay_fast_and_take_few_renders() -> None:
    cv = long_cv(roles=11, bullets=50, newest=5)
    printer = FakePrinter()
    assert printer.pages(cv) >= 13
    started = time.perf_counter()
    out = fit(cv, 2, printer=printer)
    took = time.perf_counter() - started
    assert out.fits and out.pages <= 2
    ranked = rank_cuts(cv, POSTING)
    assert len(ranked) == 500  # the newest role's five stay
    assert printer.pages(drop_lines(cv, [c.line for c in ranked[: len(out.removed) - 1]])) > 2
    assert out.renders == printer.calls <= 12
    assert took < 5, f"fitting 500 bullets took {took:.1f} s"
    assert all("Organised" in line for line in out.removed[:330])  # the office events go before any Python bullet


@pytest.mark.parametrize("pages", [0, 3, 10])
def test_only_one_or_two_pages_for_a_cv(pages: int) -> None:
    with pytest.raises(ValueError, match="1 or 2 pages"):
        fit(CV, pages)


@pytest.mark.parametrize("cv", ["", "   \n\n  "])
def test_an_empty_cv_is_refused(cv: str) -> None:
    with pytest.raises(ValueError, match="The CV is empty"):
        fit(cv, 1)
