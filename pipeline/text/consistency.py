"""Two CVs sent to one employer must tell one story: the contradictions between them.

Why: people apply to several roles at one company, and recruiters there compare. A title,
a role's dates or a number that differs between the CV sent in March and the one going out
now reads as invention, even when each version was faithful to the master CV on its own.

The claim check already pairs each line of one document with its best source in another and
names a changed number, title or dates; reading the CV sent earlier as that source gives
exactly the contradictions. What the check would call an addition (a bullet the earlier CV
did not carry, a stronger verb) is a different selection, not a contradiction, and is left out.
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.text.claims import ClaimFlag, check_claims

CONTRADICTION_KINDS = ("number", "date", "title")


def contradictions(new_md: str, sent_md: str) -> list[ClaimFlag]:
    """Lines of `new_md` that say something different from the matching line of `sent_md`."""
    if not (new_md or "").strip() or not (sent_md or "").strip():
        return []
    out = []
    for flag in check_claims(new_md, sent_md):
        if not flag.source or flag.kind not in CONTRADICTION_KINDS:
            continue
        if flag.kind == "number" and not flag.why.startswith("Says "):
            continue  # a number the earlier CV did not state at all: a different selection
        out.append(replace(flag, why=flag.why.replace("where your CV says", "where the CV you sent says")))
    return out
