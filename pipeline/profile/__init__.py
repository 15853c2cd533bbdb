"""The user's master CV from an uploaded file: text extraction, structure, suggested job titles.

Engine only (no UI, no database); `pipeline.store.profiles` persists the result."""

from pipeline.profile.extract import ProfileError, extract_text
from pipeline.profile.parse import ParsedUpload, parse_offline, parse_upload
from pipeline.profile.structure import ProfileData, structure_offline, to_markdown
from pipeline.profile.titles import TitleError, add_title, move_title, remove_title, suggest_titles_offline, validate_titles

__all__ = [
    "ParsedUpload", "ProfileData", "ProfileError", "TitleError", "add_title", "extract_text", "move_title", "parse_offline",
    "parse_upload", "remove_title", "structure_offline", "suggest_titles_offline", "to_markdown", "validate_titles",
]  # fmt: skip
