"""A CV trimmed to fit a model's context window: the least relevant bullets for one posting go first.

Why: a long master CV (and a long posting) can exceed a small local model's context window;
the server then refuses the call outright. The tailored documents need the CV's most relevant
lines, not all of them, so the fit and writing layers retry once with the bullets that matter
least for this posting removed: the same ranking the page-budget fitting uses
(pipeline/documents/fit.py), so "least relevant" means what it means everywhere else. The
name, contact lines, headings, summary, skills and the most recent role are never removed.
"""

from __future__ import annotations

from pipeline.graph.schemas import Posting

MARGIN = 0.1  # cut this much of the prompt beyond what the server says is over, for tokenizer error
UNKNOWN_CUT = 0.4  # of the CV's characters, when the server does not say by how much


def cut_target(prompt_chars: int, cv_chars: int, limit: int | None, requested: int | None) -> int:
    """Characters to remove from the CV: the prompt's excess (from the server's token counts) plus a margin."""
    if limit and requested and requested > limit:
        return int(prompt_chars * (1 - limit / requested) + prompt_chars * MARGIN) + 1
    return int(cv_chars * UNKNOWN_CUT) + 1


def trim_cv(cv_markdown: str, posting: Posting, cut_chars: int) -> tuple[str, list[str]]:
    """The CV without its least relevant bullets for `posting`, removing at least `cut_chars`
    characters when it can (every removable bullet when it cannot); and the removed bullets."""
    from pipeline.documents.fit import drop_lines, rank_cuts
    from pipeline.text.posting import analyse

    view = analyse(posting.title, posting.company, posting.location, posting.description)
    dropped: list[str] = []
    removed = 0
    for cut in rank_cuts(cv_markdown, view):
        if removed >= cut_chars:
            break
        dropped.append(cut.line)
        removed += len(cut.line) + 1
    return (drop_lines(cv_markdown, dropped) if dropped else cv_markdown), dropped
