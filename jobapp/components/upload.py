"""A drop zone whose hidden file input has a name (axe: every form field needs a label).

Why a helper: rx.upload.root builds the input itself and takes no props for it, so the label
goes on the input component it created (react-dropzone's props are spread after it and set none)."""

from __future__ import annotations

from typing import Any

import reflex as rx


def drop_zone(*children: rx.Component, label: str, **props: Any) -> rx.Component:
    root = rx.upload.root(*children, **props)
    zone = root.children[0]
    file_input = zone.children[0]
    if file_input.tag != "input":  # a Reflex upgrade changed the tree: fail at build time, not silently
        raise RuntimeError(f"rx.upload.root's zone starts with {file_input.tag!r}, not the file input")
    file_input.custom_attrs["aria-label"] = label
    return root
