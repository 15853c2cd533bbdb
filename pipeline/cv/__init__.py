"""CV editing use-cases: what the editor does, as plain functions over a session."""

from pipeline.cv.editing import (
    OpenedCv,
    VersionInfo,
    cv_source,
    open_cv,
    open_master_cv,
    restore_cv,
    save_cv,
    view_version,
)

__all__ = ["OpenedCv", "VersionInfo", "cv_source", "open_cv", "open_master_cv", "restore_cv", "save_cv", "view_version"]
