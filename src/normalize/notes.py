"""Structure notes said in Chinese: one sentence per note, from its kind and params, with the words
of the spec files (vocabulary/messages.yaml `structure_notes`, the official section/row/column labels)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from nianbao.normalize.model import NoteParam, StructureNote
from nianbao.spec import SPEC
from nianbao.vocabulary import VOCAB

_TEXTS: Mapping[str, str] = VOCAB.messages.structure_notes
_KIND_LABELS: Mapping[str, str] = VOCAB.ui.terminal.structure_kinds


def _row(code: str) -> str:
    return SPEC.row_label(code) if code in SPEC.application_rows else code


# Params holding codes, and the official label of each code.
_LABELS: dict[str, Callable[[str], str]] = {
    "row": _row,
    "sections": lambda code: f"「{SPEC.sections.get(code, code)}」",
    "applicants": lambda code: SPEC.applicants.get(code, code),
    "v2019": lambda code: SPEC.active_item_labels.get(code, code),
    "v2021": lambda code: SPEC.active_item_labels.get(code, code),
}


def _words(params: Mapping[str, NoteParam]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in params.items():
        label = _LABELS.get(name, str)
        if isinstance(value, (list, tuple)):
            out[name] = _TEXTS["list_separator"].join(label(str(v)) for v in value)
        else:
            out[name] = label(str(value))
    return out


def structure_note_text(note: StructureNote | Any) -> str:
    """The note as a Chinese sentence. A note whose params do not fit its kind's sentence (one
    stored by an older version) is said by its kind alone."""
    params = note.params or {}
    kind = str(note.kind)
    key = f"{kind}_{params['read']}" if "read" in params else kind
    words = _words({k: v for k, v in params.items() if k != "read"})
    if kind == "repeated_report":
        words["first"] = _TEXTS["repeated_report_first"].format(**words) if "first_agency" in words else ""
    try:
        return _TEXTS[key].format(**words)
    except (KeyError, IndexError):
        return _KIND_LABELS.get(kind) or _TEXTS.get(f"{kind}_kind") or kind


_NULL_TEXTS: Mapping[str, str] = VOCAB.messages.null_reasons


def null_reason_text(value: Any, *, with_raw: bool = True) -> str | None:
    """Why a cell (an ApplicationValue, ActiveValue or AppealValue) is NULL, in Chinese, with what
    is printed in it; None for a cell with a number, or whose reason this version does not know."""
    if value.value is not None or value.null_reason is None or str(value.null_reason) not in _NULL_TEXTS:
        return None
    text = _NULL_TEXTS[str(value.null_reason)]
    raw = (value.raw or "").strip()
    return text + _NULL_TEXTS["raw"].format(raw=raw) if raw and with_raw else text
