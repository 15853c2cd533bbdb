"""The offline analyst: every pipeline layer by deterministic text analysis (no API key, no network).

The general text tools it reads with (lexicon, words and sentences, CV and posting
reading, fit scoring) are `pipeline.text`, which profile and matching use too; this
package holds only the analyst's own logic. `OfflineAnalyst` is exported lazily, so
importing the package (as `pipeline.llm.models` does) costs nothing until it is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.llm.offline.analyst import OfflineAnalyst

__all__ = ["OfflineAnalyst"]


def __getattr__(name: str) -> Any:
    if name == "OfflineAnalyst":
        from pipeline.llm.offline.analyst import OfflineAnalyst

        return OfflineAnalyst
    raise AttributeError(name)
