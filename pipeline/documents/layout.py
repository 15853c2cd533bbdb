"""How one job's documents are printed: template, paper, ATS-safe text and the CV's page budget.

Chosen per job in the page and kept on the job (`Job.layout`), so the PDF, the Word file, the
ZIP pack and the ATS check all use the same choice. Anything stored or sent that is not an
allowed value falls back to the default: a layout is never an error."""

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
    def of(cls, data: dict[str, Any] | None) -> Layout:
        """A valid layout from stored or submitted values (unknown keys and values ignored)."""
        data = data or {}
        template = data.get("template")
        page_size = data.get("page_size")
        pages = data.get("cv_pages")
        return cls(
            template=template if template in TEMPLATES else DEFAULT_TEMPLATE,
            page_size=page_size if page_size in PAGE_SIZES else DEFAULT_PAGE_SIZE,
            ats_safe=data.get("ats_safe") is True,
            cv_pages=pages if pages in CV_PAGE_BUDGETS else DEFAULT_CV_PAGES,
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def key(self) -> str:
        """What an ATS check depends on besides the text, so a stored check is reused only when it applies."""
        return f"{self.template}/{self.page_size}/{'ats' if self.ats_safe else 'plain'}/{self.cv_pages}"
