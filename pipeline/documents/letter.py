"""The parts of a cover letter around its body: sender block, date, recipient and subject.

The body (greeting, paragraphs, closing and signature) is what the user edits; the head is
built from the profile and the job at export time, so the PDF and the Word file agree."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LetterHead:
    sender_name: str = ""
    sender_lines: tuple[str, ...] = ()  # contact details, one per line (address, e-mail, phone, links)
    date: str = ""  # already formatted for the letter's language, e.g. "4 December 2026"
    recipient_lines: tuple[str, ...] = ()  # company, team, location
    subject: str = ""  # e.g. "Application for Staff Engineer"
