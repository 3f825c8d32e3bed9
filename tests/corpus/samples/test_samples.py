"""The bundled sample corpus (data/samples/) is reproducible and its expected values are honest.

No parser involved: this checks the yardstick itself. The rules are recomputed here from the
expected.json files and template.yaml, independently of tests/fixtures/make_samples.py.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
import yaml

from tests.paths import REPO

ROOT = REPO
SAMPLES = ROOT / "data" / "samples"
SCRIPT = REPO / "tests" / "fixtures" / "make_samples.py"
TEMPLATE = yaml.safe_load((ROOT / "src" / "spec_data" / "template.yaml").read_text(encoding="utf-8"))
SEED = "000_353fe64ea44b1a70.txt"

APPLICANTS = list(TEMPLATE["applications"]["applicants"])
SIX = [a for a in APPLICANTS if a != "total"]
ALL_ROWS = list(TEMPLATE["applications"]["rows"])
V2021_ONLY = ["other_no_correction", "other_fee_unpaid", "other_misc"]
ROWS = {
    "v2019": [r for r in ALL_ROWS if r not in V2021_ONLY],
    "v2021": [r for r in ALL_ROWS if r != "other_handling"],
}
SINGLE_OTHER_V2021 = ROWS["v2019"]  # a v2021 report keeping one （六）其他处理 row: same codes as v2019
TOP = ("received", "carried_in", "results_total", "carried_out")
PROCEEDINGS = list(TEMPLATE["appeals"]["proceedings"])
OUTCOMES = list(TEMPLATE["appeals"]["outcomes"])
SEVERITY = {r["id"]: r["severity"] for r in TEMPLATE["rules"]}


def active_keys(version: str, item_versions: dict[str, str]) -> list[tuple[str, str, str]]:
    keys = []
    for entry in TEMPLATE["active"][version]:
        item = entry["item"]
        src = entry
        if item_versions.get(item, version) != version:
            src = next(e for e in TEMPLATE["active"][item_versions[item]] if e["item"] == item)
        keys += [(item, row, metric) for row in src["rows"] for metric in src["metrics"]]
    return keys


def v2019_only_metrics() -> set[str]:
    m19 = {m for e in TEMPLATE["active"]["v2019"] for m in e["metrics"]}
    m21 = {m for e in TEMPLATE["active"]["v2021"] for m in e["metrics"]}
    return m19 - m21


def load_expected() -> dict[str, dict]:
    """Document file name -> its expected.json (hzq2024.pdf <-> hzq2024.expected.json)."""
    out = {}
    for path in sorted(SAMPLES.glob("*.expected.json")):
        exp = json.loads(path.read_text(encoding="utf-8"))
        assert path.name == Path(exp["file"]).stem + ".expected.json", path.name
        out[exp["file"]] = exp
    return out


EXPECTED = load_expected()
OK_DOCS = {n: e for n, e in EXPECTED.items() if e.get("expected_status", "ok") == "ok"}
BAD_DOCS = {n: e for n, e in EXPECTED.items() if e.get("expected_status", "ok") != "ok"}


def recompute_flags(exp: dict) -> set[tuple[str, str, str]]:
    """Error rules of template.yaml on one document; a blank (None) term makes an equation uncheckable."""
    flags = set()
    apps = exp["applications"]
    outcomes = [r for r in apps if r not in TOP]
    for c in APPLICANTS:
        a, b, x, y = (apps[r][c] for r in TOP)
        if None not in (a, b, x, y) and a + b != x + y:
            flags.add(("T3_STATED", c))
        terms = [apps[r][c] for r in outcomes]
        if x is not None and None not in terms and sum(terms) != x:
            flags.add(("T3_RESULTS_SUM", c))
    for row, vals in apps.items():
        parts = [vals[c] for c in SIX]
        if vals["total"] is not None and None not in parts and sum(parts) != vals["total"]:
            flags.add(("T3_ROW_TOTAL", row))
        for c in APPLICANTS:
            if vals[c] is not None and vals[c] < 0:
                flags.add(("T3_BOUNDS", f"{row}:{c}"))
    for proc, vals in exp["appeals"].items():
        parts = [vals[o] for o in OUTCOMES if o != "total"]
        if vals["total"] is not None and None not in parts and sum(parts) != vals["total"]:
            flags.add(("T4_TOTALS", proc))
    uses_v2019 = exp["version"] == "v2019" or any(e["metric"] in v2019_only_metrics() for e in exp["active"])
    if exp["year"] >= 2021 and uses_v2019:
        flags.add(("FMT_VERSION", "template_version"))
    return {(rule, SEVERITY[rule], subject) for rule, subject in flags}


def recompute_cross_year() -> dict[str, set[tuple[str, str, str]]]:
    """Warn rules between consecutive reports of one agency (T3_CROSS_YEAR, T2_*_CROSS_YEAR)."""
    flags: dict[str, set] = {n: set() for n in OK_DOCS}
    by_key = {(e["agency"], e["year"]): n for n, e in OK_DOCS.items()}
    for name, exp in OK_DOCS.items():
        prev_name = by_key.get((exp["agency"], exp["year"] - 1))
        if not prev_name:
            continue
        prev = OK_DOCS[prev_name]
        for c in APPLICANTS:
            now, before = exp["applications"]["carried_in"][c], prev["applications"]["carried_out"][c]
            if None not in (now, before) and now != before:
                flags[name].add(("T3_CROSS_YEAR", "warn", c))
        act = {(e["item"], e["row"], e["metric"]): e["value"] for e in exp["active"]}
        pact = {(e["item"], e["row"], e["metric"]): e["value"] for e in prev["active"]}
        for row in ("rules", "normative_documents"):
            terms = [pact.get(("art20_1", row, "in_force")), act.get(("art20_1", row, "issued")),
                     act.get(("art20_1", row, "repealed")), act.get(("art20_1", row, "in_force"))]
            if None not in terms and terms[0] + terms[1] - terms[2] != terms[3]:
                flags[name].add(("T2_STOCK_CROSS_YEAR", "warn", row))
        for (item, row, metric), value in act.items():
            if metric != "prior_year_items":
                continue
            terms = [pact.get((item, row, "prior_year_items")), pact.get((item, row, "change")), value]
            if None not in terms and terms[0] + terms[1] != terms[2]:
                flags[name].add(("T2_V2019_CROSS_YEAR", "warn", row))
    return flags


def recompute_declared(exp: dict) -> set[tuple[str, str, str]]:
    """The rules the arithmetic does not cover, from what the expected file declares (and checked
    against it): the publication deadline of 《条例》第四十九条, a figure the narrative quotes, text
    copied from the same agency's previous-year report."""
    flags = set()
    if exp.get("published_on"):
        due = f"{exp['year'] + 1}-03-31" if exp["category"] == "government" else f"{exp['year'] + 1}-01-31"
        assert exp["deadline"] == due, exp["file"]
        if exp["published_on"] > due:
            flags.add(("TIMELINESS", "error", "published_on"))
    for code, stated in exp.get("quoted_figures", {}).items():
        text = (SAMPLES / exp["file"]).read_text(encoding="utf-8")
        assert f"{stated}件" in text, exp["file"]  # the narrative really says it
        if stated != exp["applications"][code]["total"]:
            flags.add(("TEXT_TABLE", SEVERITY["TEXT_TABLE"], code))
    if exp.get("copied_from"):
        source = OK_DOCS[exp["copied_from"]]
        assert (source["agency"], source["year"]) == (exp["agency"], exp["year"] - 1), exp["file"]
        flags.add(("DUPLICATION", SEVERITY["DUPLICATION"], "previous_year"))
    return flags


def test_generator_is_deterministic_and_matches_the_committed_corpus(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_samples", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_samples"] = module  # dataclasses need the module registered
    try:
        spec.loader.exec_module(module)
        written = module.generate(tmp_path)
    finally:
        sys.modules.pop("make_samples", None)
    assert len(written) == len(set(written)) > 20
    for name in written:
        assert (SAMPLES / name).exists(), f"{name} is generated but missing from data/samples (re-run the script)"
        assert (tmp_path / name).read_bytes() == (SAMPLES / name).read_bytes(), f"{name} differs: re-run the script"
    committed = {p.name for p in SAMPLES.iterdir() if p.is_file()}
    assert committed <= set(written), f"stale files in data/samples: {sorted(committed - set(written))}"


def test_every_document_has_an_expected_file_and_vice_versa() -> None:
    docs = {p.name for p in SAMPLES.iterdir() if p.is_file() and not p.name.endswith(".expected.json")}
    docs.discard("README.md")
    assert docs == set(EXPECTED)


def test_bad_documents_only_state_a_status() -> None:
    assert {e["expected_status"] for e in BAD_DOCS.values()} == {"failed", "not_a_report"}
    for exp in BAD_DOCS.values():
        assert set(exp) == {"file", "expected_status", "notes"} and exp["notes"]


@pytest.mark.parametrize("name", sorted(OK_DOCS))
def test_codes_are_complete(name: str) -> None:
    exp = OK_DOCS[name]
    version = exp["version"]
    assert version in ("v2019", "v2021")
    rows = list(exp["applications"])
    allowed = [ROWS[version]] + ([SINGLE_OTHER_V2021] if version == "v2021" else [])
    assert rows in allowed, f"{name}: rows {rows}"
    for row, vals in exp["applications"].items():
        assert list(vals) == APPLICANTS, (name, row)
        assert all(v is None or type(v) is int for v in vals.values()), (name, row)
    assert list(exp["appeals"]) == PROCEEDINGS
    for proc, vals in exp["appeals"].items():
        assert list(vals) == OUTCOMES, (name, proc)
        assert all(v is None or type(v) is int for v in vals.values()), (name, proc)
    keys = [(e["item"], e["row"], e["metric"]) for e in exp["active"]]
    assert keys == active_keys(version, exp.get("active_versions", {})), name
    for e in exp["active"]:
        assert e["value"] is None or type(e["value"]) in (int, float), (name, e)
        assert e.get("unit") in (None, "元", "万元"), (name, e)
    assert isinstance(exp["agency"], str) and exp["region"] and exp["category"]


@pytest.mark.parametrize("name", sorted(n for n in OK_DOCS if n != SEED))
def test_arithmetic_matches_expected_flags(name: str) -> None:
    exp = OK_DOCS[name]
    listed = {(f["rule"], f["severity"], f["subject"]) for f in exp["expected_flags"]}
    assert all(sev in ("error", "warn") for _, sev, _ in listed)
    computed = recompute_flags(exp) | recompute_cross_year()[name] | recompute_declared(exp)
    assert computed == listed


def test_corpus_covers_both_versions_and_consecutive_years() -> None:
    versions = {(e["version"], e["year"]) for e in OK_DOCS.values()}
    assert {v for v, _ in versions} == {"v2019", "v2021"}
    pairs = [n for n, e in OK_DOCS.items()
             if any(o["agency"] == e["agency"] and o["year"] == e["year"] - 1 for o in OK_DOCS.values())]
    assert len(pairs) >= 2
    rules = {f["rule"] for e in OK_DOCS.values() for f in e["expected_flags"]}
    # Every kind of rule, so the league table, the flags and the web app show each (a warning among them).
    assert {"T3_STATED", "T3_ROW_TOTAL", "T3_RESULTS_SUM", "T3_BOUNDS", "T4_TOTALS", "FMT_VERSION", "TIMELINESS",
            "TEXT_TABLE", "DUPLICATION", "T3_CROSS_YEAR"} <= rules
    assert "warn" in {f["severity"] for e in OK_DOCS.values() for f in e["expected_flags"]}


def test_traditional_document_is_converted() -> None:
    text = (SAMPLES / "cangnan_zjj_2022_hant.html").read_text(encoding="utf-8")
    for simplified in ("数量", "结转", "处理", "总计", "办理", "县"):
        assert simplified not in text
    for traditional in ("數量", "結轉", "處理", "總計"):
        assert traditional in text
