"""The offline analyst: every pipeline layer by deterministic text analysis (no API key, no network).

`OfflineAnalyst` is exported lazily so that `pipeline.llm.postprocess`, which both model
paths use, can import the text helpers here without importing the analyst itself.
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
