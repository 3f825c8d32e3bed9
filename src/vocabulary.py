"""nianbao's own words, as typed data: `spec_data/vocabulary/*.yaml`, one file per audience
(recognition, agencies, messages, crawl, rules, ui), loaded once into frozen dataclasses.

Each file is checked on load against the dataclass of its name: a missing key, an unknown key or a
value of the wrong type is a `VocabularyError` naming the file and the key. Beneath every package:
it imports only the standard library and yaml. Use `VOCAB.crawl.report_words`.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

Words = tuple[str, ...]
Labels = Mapping[str, str]

FILES = ("recognition", "agencies", "messages", "crawl", "rules", "ui")


class VocabularyError(ValueError):
    """A vocabulary file that does not match its dataclass: names the file and the key."""


# -- recognition.yaml ------------------------------------------------------------------------------
@dataclass(frozen=True)
class DateChars:
    year: str
    month: str
    day: str


@dataclass(frozen=True)
class PageNumberWords:
    ordinal: str
    page: str
    of_total: str


@dataclass(frozen=True)
class Recognition:
    active_item_labels: Labels
    active_content_header: str
    metric_noise: Words
    appeals_groups: Labels
    applications_header_words: Words
    label_variants: Labels
    title_markers: Words
    title_year_suffixes: Words
    title_brackets: Words
    pre2019_markers: Words
    null_markers: Words
    units: Words
    negative_words: Words
    positive_words: Words
    chinese_numerals: Mapping[str, int]
    date_labels: Words
    date_chars: DateChars
    date_digits: str
    date_digit_variants: Labels
    date_ten: str
    page_number_words: PageNumberWords
    continuation_marks: Words
    numbering_units: Words
    hundred: str


# -- agencies.yaml ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class IssuerWords:
    zone_bodies: Words
    zone_names: Words
    department_suffixes: Words
    whole_area_pattern: str


@dataclass(frozen=True)
class Agencies:
    suffixes: Words
    abbreviations: Labels
    categories: Mapping[str, Words]
    region_suffixes: Words
    central_markers: Words
    division_name_endings: Words
    division_placeholder_names: Words
    township_endings: Words
    township_government_words: Words
    branch_suffixes: Words
    region_after_prefixes: Words
    bare_level_words: Words
    government_report_bodies: Words
    issuer: IssuerWords


# -- messages.yaml ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Messages:
    checks: Labels
    version_names: Labels
    table_absent_reasons: Labels
    what: Labels
    deadline_kinds: Labels
    issuer_basis: Labels
    structure_notes: Labels
    null_reasons: Labels


# -- crawl.yaml ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class JpageSettings:
    per_page: Words
    total: Words
    group: Words
    unit: Words
    content_type: Words


@dataclass(frozen=True)
class JsonApiToken:
    """An anonymous token a JSON list API wants first (Epoint's getNoUserAccessToken)."""

    url: str
    path: str
    headers: Labels
    form: Labels = field(default_factory=lambda: types.MappingProxyType({}))
    when: Words = ()


@dataclass(frozen=True)
class JsonApiWords:
    """One JSON list API behind an application shell page (crawl.yaml explains each field)."""

    name: str
    marks: Words
    config: Words
    url: str
    first_page: int = 1
    records: Words = ("records",)
    total: str | None = None
    defaults: Labels = field(default_factory=lambda: types.MappingProxyType({}))
    form: Labels = field(default_factory=lambda: types.MappingProxyType({}))
    json: str | None = None
    title: Words = ("title",)
    link: Words = ("url",)
    date: Words = ("date",)
    attachments: Words = ()
    token: JsonApiToken | None = None


@dataclass(frozen=True)
class Crawl:
    report_words: Words
    exclude_words: Words
    next_page_words: Words
    date_meta: Words
    attachment_extensions: Words
    download_words: Words
    pager_functions: Words
    pager_count_vars: Words
    pager_current_vars: Words
    jpage_settings: JpageSettings
    json_apis: tuple[JsonApiWords, ...]
    column_words: Words
    disclosure_words: Words
    menu_name_keys: Words
    menu_url_keys: Words
    menu_script_words: Words
    menu_script_skip: Words


# -- rules.yaml ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DeadlineRule:
    month: int
    day: int
    basis: str


@dataclass(frozen=True)
class FigureWords:
    """A figure of 一、总体情况: the section 三 `row` or section 四 `proceedings` it restates."""

    patterns: Words
    zero_patterns: Words
    row: str | None = None
    proceedings: Words = ()


@dataclass(frozen=True)
class TextFigures:
    sentence_ends: str
    clause_ends: str
    other_body_words: Words
    skip_clause_words: Words
    figures: Mapping[str, FigureWords]
    labels: Labels
    units: Labels


@dataclass(frozen=True)
class StructureChecks:
    min_sections: int
    no_rules_levels: Words
    stale_year_patterns: Words
    stale_year_skip_words: Words
    cell_units: Words


@dataclass(frozen=True)
class Duplication:
    shingle_chars: int
    minhash_permutations: int
    lsh_bands: int
    min_chars: int
    threshold: float
    tables_min_nonzero: int


@dataclass(frozen=True)
class Rules:
    publication_deadlines: Mapping[str, DeadlineRule]
    text_figures: TextFigures
    structure_checks: StructureChecks
    duplication: Duplication


# -- ui.yaml ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TerminalLabels:
    """Words of the command-line views (nianbao ingest / show / review)."""

    agency: str
    year: str
    title: str
    template_version: str
    version: str
    current: str
    superseded: str
    document: str
    source: str
    status: str
    error: str
    count: str
    published_on: str
    signed_on: str
    documents: str
    reports: str
    flags: str
    no_flags: str
    rule: str
    severity: str
    subject: str
    message: str
    evidence: str
    blank_cells: str
    structure: str
    no_data: str
    review_status: str
    review_statuses: Labels
    report_id: str
    review_hint: str
    not_ok_documents: str
    summary: str
    read_this_run: str
    read_reasons: Labels
    skipped_unchanged: str
    seconds: str
    not_found: str
    did_you_mean: str
    statuses: Labels
    severities: Labels
    structure_kinds: Labels
    note: str
    applies: str
    applies_yes: str
    applies_no: str
    decided: str
    reviewer: str
    no_decisions: str


@dataclass(frozen=True)
class Score:
    """The league table's ranked score: `start` minus `points` per problem, never below `floor`."""

    start: int
    floor: int
    points: Mapping[str, int]
    names: Labels
    label: str
    rank: str


@dataclass(frozen=True)
class CompareLabels:
    """Words of `nianbao compare / history / export` and the HTML and Excel reports."""

    columns: Labels
    short_columns: Labels
    statuses: Labels
    on_time: Labels
    levels: Labels
    categories: Labels
    issuer_kinds: Labels
    yes: str
    no: str
    sheets: Labels
    structure_columns: Labels
    title: str
    history_title: str
    charts: Labels
    summary_cards: Labels
    summary_note: str
    score: Score
    filter_placeholder: str
    no_rows: str
    generated: str
    definitions: Labels


@dataclass(frozen=True)
class EvidenceWords:
    page: str
    table: str
    row: str
    col: str
    line: str
    separator: str
    list_separator: str
    more: str


@dataclass(frozen=True)
class SupervisorLabels:
    subjects: Labels
    subject_separator: str
    evidence: EvidenceWords
    rule_with_name: str


@dataclass(frozen=True)
class WebLabels:
    """Words of `nianbao web`: navigation, forms and messages."""

    app_title: str
    nav: Labels
    all: str
    apply: str
    reset: str
    missing_only: str
    problems_only: str
    rank_note: str
    formula_title: str
    no_registry: str
    agency_history: str
    charts: str
    chart_flags: str
    report: str
    source_url: str
    original: str
    original_missing: str
    flags: str
    no_flags: str
    show_cells: str
    rule: str
    subject: str
    evidence: str
    decision: str
    reviewer: str
    note: str
    confirm: str
    dismiss: str
    undo: str
    reviewer_required: str
    history: str
    no_history: str
    actions: Labels
    logged_at: str
    action: str
    missing_title: str
    deadline: str
    overdue_days: str
    not_due: str
    days: str
    no_missing: str
    reviews_title: str
    in_force: str
    export_csv: str
    export_xlsx: str
    no_decisions: str
    decision_columns: Labels
    warehouse: str
    bad_parameter: str
    locked: str
    locked_hint: str
    warehouse_error: str
    not_found: str
    forbidden: str
    cross_site: str
    csrf_failed: str
    bad_host: str
    token_required: str
    back: str


@dataclass(frozen=True)
class Ui:
    terminal: TerminalLabels
    compare: CompareLabels
    supervisor: SupervisorLabels
    web: WebLabels
    registry_csv_headers: Mapping[str, Words]
    crawl_columns: Labels


@dataclass(frozen=True)
class Vocabulary:
    recognition: Recognition
    agencies: Agencies
    messages: Messages
    crawl: Crawl
    rules: Rules
    ui: Ui


# -- loading ---------------------------------------------------------------------------------------
def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", None) or str(tp).replace("typing.", "").replace("collections.abc.", "")


def _convert(tp: Any, value: Any, where: str) -> Any:
    """`value` (from yaml) as `tp`, or a VocabularyError naming `where` (file: key.path)."""
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        return _build(tp, value, where)
    if origin is types.UnionType or origin is typing.Union:
        options = typing.get_args(tp)
        if value is None and type(None) in options:
            return None
        (inner,) = [o for o in options if o is not type(None)]
        return _convert(inner, value, where)
    if origin is tuple:
        inner = typing.get_args(tp)[0]
        if not isinstance(value, list):
            raise VocabularyError(f"{where}: expected a list, got {type(value).__name__} {value!r:.60}")
        return tuple(_convert(inner, v, f"{where}[{i}]") for i, v in enumerate(value))
    if origin is Mapping:
        key_type, value_type = typing.get_args(tp)
        if not isinstance(value, dict):
            raise VocabularyError(f"{where}: expected a mapping, got {type(value).__name__} {value!r:.60}")
        return types.MappingProxyType({_convert(key_type, k, f"{where} (key {k!r})"): _convert(value_type, v, f"{where}.{k}")
                                       for k, v in value.items()})
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if tp in (str, int, float):
        if not isinstance(value, tp) or isinstance(value, bool):
            raise VocabularyError(f"{where}: expected {tp.__name__}, got {type(value).__name__} {value!r:.60}")
        return value
    raise TypeError(f"{where}: unsupported vocabulary type {_type_name(tp)}")  # a bug in this module


def _build(cls: type, raw: Any, where: str) -> Any:
    if not isinstance(raw, dict):
        raise VocabularyError(f"{where}: expected a mapping of {cls.__name__} keys, got {type(raw).__name__}")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = [k for k in raw if k not in fields]
    if unknown:
        raise VocabularyError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(fields)})")
    missing = [name for name, f in fields.items() if name not in raw
               and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    if missing:
        raise VocabularyError(f"{where}: missing key {missing[0]!r}")
    sep = ": " if where.endswith(".yaml") else "."
    return cls(**{k: _convert(hints[k], v, f"{where}{sep}{k}") for k, v in raw.items()})


def _read(folder: Traversable | Path, name: str) -> Any:
    path = folder.joinpath(f"{name}.yaml")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise VocabularyError(f"{name}.yaml: file missing from {folder}") from exc
    except yaml.YAMLError as exc:
        raise VocabularyError(f"{name}.yaml: not valid YAML: {exc}") from exc


def load_vocabulary(folder: Traversable | Path | None = None) -> Vocabulary:
    """Every vocabulary file of `folder` (default: the package's spec_data/vocabulary), validated."""
    folder = folder if folder is not None else resources.files("nianbao").joinpath("spec_data", "vocabulary")
    hints = typing.get_type_hints(Vocabulary)
    return Vocabulary(**{name: _build(hints[name], _read(folder, name), f"{name}.yaml") for name in FILES})


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    return load_vocabulary()


VOCAB = vocabulary()
