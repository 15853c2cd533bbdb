"""Find matches: rank the stored jobs against chosen titles and the active profile."""

from pipeline.matching.batch import (
    batch_progress,
    batch_snapshot,
    combined_results,
    latest_batch_snapshot,
    latest_match_batch,
    rank_title,
    run_match_batch,
    start_match_batch,
    suggested_titles,
)
from pipeline.matching.resume import resume_unfinished
from pipeline.matching.scoring import MatchError

__all__ = [
    "MatchError",
    "batch_progress",
    "batch_snapshot",
    "combined_results",
    "latest_batch_snapshot",
    "latest_match_batch",
    "rank_title",
    "resume_unfinished",
    "run_match_batch",
    "start_match_batch",
    "suggested_titles",
]
