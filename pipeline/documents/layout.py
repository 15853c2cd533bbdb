"""How one job's documents are printed: template, paper, ATS-safe text and the CV's page budget.

Chosen per job in the page and kept on the job (`Job.layout`), so the PDF, the Word file, the
ZIP pack and the ATS check all use the same choice. A job with no stored choice gets the owner's
defaults (Settings → Run defaults: page budget and ATS-safe text; `defaults` below). Anything
stored or sent that is not an allowed value falls back to the default: a layout is never an error."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from pipeline.render.templates import DEFAULT_PAGE_SIZE, DEFAULT_TEMPLATE, PAGE_SIZES, TEMPLATES

CV_PAGE_BUDGETS = (1, 2)
DEFAULT_CV_PAGES = 2
LETTER_PAGES = 1  # a cover letter is one page


@dataclass(frozen=True)
class Layout:
    template: str = DEFAULT_TEMPLATE
    page_size: str = DEFAULT_PAGE_SIZE
    ats_safe: bool = False
    cv_pages: int = DEFAULT_CV_PAGES

    @classmethod
    def of(cls, data: dict[str, Any] | None, *, defaults: Layout | None = None) -> Layout:
        """A valid layout from stored or submitted values (unknown keys and values ignored); what is
        missing or not allowed comes from `defaults` (the built-in layout when None)."""
        data, base = data or {}, defaults or cls()
        template = data.get("template")
        page_size = data.get("page_size")
        pages = data.get("cv_pages")
        ats = data.get("ats_safe")
        return cls(
            template=template if template in TEMPLATES else base.template,
            page_size=page_size if page_size in PAGE_SIZES else base.page_size,
            ats_safe=ats if isinstance(ats, bool) else base.ats_safe,
            cv_pages=pages if pages in CV_PAGE_BUDGETS else base.cv_pages,
        )

    @classmethod
    def defaults(cls, *, cv_pages: int | None = None, ats_safe: bool | None = None) -> Layout:
        """The built-in layout with an owner's saved page budget and ATS-safe text."""
        return cls.of({"cv_pages": cv_pages, "ats_safe": ats_safe})

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def key(self) -> str:
        """What an ATS check depends on besides the text, so a stored check is reused only when it applies."""
        return f"{self.template}/{self.page_size}/{'ats' if self.ats_safe else 'plain'}/{self.cv_pages}"
