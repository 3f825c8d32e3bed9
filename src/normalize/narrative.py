"""What the running text of a report says: the figures 一、总体情况 states about requests and
appeals (for TEXT_TABLE), sentences that speak of last year's end as now, and the text the
duplication check compares. The words and patterns are data: rules.yaml `text_figures`,
`structure_checks`, `duplication`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nianbao.common.text import to_simplified
from nianbao.extract.model import Provenance
from nianbao.normalize.model import NarrativeBlock
from nianbao.vocabulary import VOCAB

_FIGURES = VOCAB.rules.text_figures
_STRUCTURE = VOCAB.rules.structure_checks
_SENTENCE_SPLIT = re.compile("[" + re.escape(_FIGURES.sentence_ends) + "]")
_CLAUSE_SPLIT = re.compile("[" + re.escape(_FIGURES.clause_ends) + "]")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")
# A line of at least this many characters that stops mid-sentence was wrapped, not a heading.
_MIN_WRAPPED_LINE = 20


@dataclass(frozen=True)
class _FigureSpec:
    code: str
    row: str | None  # section 三 row (总计 column), or None for section 四
    proceedings: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    zero_patterns: tuple[re.Pattern[str], ...]


def _figure_specs() -> tuple[_FigureSpec, ...]:
    return tuple(
        _FigureSpec(
            code=code, row=spec.row, proceedings=spec.proceedings,
            patterns=tuple(re.compile(p) for p in spec.patterns),
            zero_patterns=tuple(re.compile(p) for p in spec.zero_patterns),
        )
        for code, spec in _FIGURES.figures.items()
    )


FIGURE_SPECS = _figure_specs()


@dataclass(frozen=True)
class StatedFigure:
    """A figure the narrative states: `code` (received, carried_in, results_total, carried_out,
    review, litigation), its value, the clause that states it, and where that text is."""

    code: str
    value: int
    quote: str
    provenance: Provenance | None


def normalize_text(text: str) -> str:
    """Full-width digits and letters to half width, 繁 to 简, runs of spaces removed; line
    breaks are kept (a plain-text copy may break a sentence anywhere, so they join)."""
    text = unicodedata.normalize("NFKC", text or "")
    text = to_simplified(text)
    return _SPACES.sub("", text)


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_SPLIT.split(text) if s.strip()]


def _joined_overview(blocks: Sequence[NarrativeBlock]) -> list[tuple[str, Provenance | None]]:
    """Sentences of the overview with the block each starts in. A plain-text copy wraps one
    sentence over several lines (blocks), so a long unfinished line runs on into the next block;
    a short one ((二)依申请公开) is a heading and ends where it ends."""
    out: list[tuple[str, Provenance | None]] = []
    pending = ""
    pending_prov: Provenance | None = None
    for block in blocks:
        text = normalize_text(block.text).replace("\n", "")
        if pending and len(pending) < _MIN_WRAPPED_LINE:
            out.append((pending, pending_prov))
            pending = ""
        if not pending:
            pending_prov = block.provenance
        parts = _SENTENCE_SPLIT.split(pending + text)
        # Every part but the last ended with a sentence end; the last may continue in the next block.
        for i, part in enumerate(parts[:-1]):
            if part.strip():
                out.append((part, pending_prov if i == 0 else block.provenance))
        pending = parts[-1]
        if len(parts) > 1:
            pending_prov = block.provenance
    if pending.strip():
        out.append((pending, pending_prov))
    return out


def _has_any(text: str, words: Iterable[str]) -> bool:
    return any(w in text for w in words)


def _other_year(clause: str, year: int | None) -> bool:
    return any(int(y) != year for y in _YEAR.findall(clause))


def stated_figures(blocks: Sequence[NarrativeBlock], year: int | None) -> dict[str, StatedFigure]:
    """Each figure the overview states unambiguously about the reporting body and year. A figure
    stated twice with different values is left out: the text is ambiguous, so it is not checked."""
    found: dict[str, list[StatedFigure]] = {}
    for sentence, provenance in _joined_overview(blocks):
        if _has_any(sentence, _FIGURES.other_body_words):
            continue
        # A clause without a year speaks of the year the sentence named last (2021年收到30件，办结30件).
        said_year = None
        for clause in _CLAUSE_SPLIT.split(sentence):
            years = [int(y) for y in _YEAR.findall(clause)]
            said_year = years[-1] if years else said_year
            if not clause or _has_any(clause, _FIGURES.skip_clause_words) or _other_year(clause, year):
                continue
            if not years and said_year is not None and said_year != year:
                continue
            for spec in FIGURE_SPECS:
                for pattern in spec.patterns:
                    for m in pattern.finditer(clause):
                        found.setdefault(spec.code, []).append(
                            StatedFigure(spec.code, int(m.group("n")), clause, provenance))
                if any(p.search(clause) for p in spec.zero_patterns):
                    found.setdefault(spec.code, []).append(StatedFigure(spec.code, 0, clause, provenance))
    out: dict[str, StatedFigure] = {}
    for code, figures in found.items():
        if len({f.value for f in figures}) == 1:
            out[code] = figures[0]
    return out


@dataclass(frozen=True)
class StaleYearText:
    quote: str
    section: str
    provenance: Provenance | None


def stale_year_sentences(blocks: Sequence[NarrativeBlock], year: int) -> list[StaleYearText]:
    """Sentences that speak of the end of year - 1 as now (截至2021年底… in a 2022 report): text
    carried over from last year's report. A sentence that compares, or names the report year
    too, is not one."""
    prev = year - 1
    patterns = [p.format(prev=prev, year=year) for p in _STRUCTURE.stale_year_patterns]
    skip = [w.format(prev=prev, year=year) for w in _STRUCTURE.stale_year_skip_words]
    out = []
    for block in blocks:
        for sentence in sentences(block.text.replace("\n", "")):
            text = normalize_text(sentence)
            if _has_any(text, patterns) and not _has_any(text, skip):
                out.append(StaleYearText(sentence.strip(), block.section, block.provenance))
    return out
