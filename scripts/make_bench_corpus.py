#!/usr/bin/env python3
"""Generate the reading benchmark corpus: reports in both template versions (v2019, v2021) as PDFs
printed by LibreOffice from Word documents and as HTML pages, each with its expected values.

    .venv/bin/python scripts/make_bench_corpus.py --out /tmp/bench --pdf 100 --html 100
    .venv/bin/python benchmarks/bench_layout.py /tmp/bench     # how many read exactly

The numbers, labels and narrative come from scripts/make_samples.py, the Word layout from
scripts/make_office_fixtures.py (nothing is imported from nianbao: the corpus is an independent
yardstick). Every document differs in what moves tables over page breaks — narrative length, table
type size, row height, narrow label columns, header rows repeated or not — so section 三 and 四
start and end at many places on the page. Deterministic for a given --seed; the corpus is not
committed (generate it where it is needed).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_office_fixtures as mo  # the Word writer
import make_samples as ms  # numbers, labels, narrative

COUNTIES = [("河南省漯河市舞阳县", "舞阳县"), ("江苏省淮安市洪泽区", "洪泽区"), ("四川省绵阳市平武县", "平武县"),
            ("湖北省恩施土家族苗族自治州来凤县", "来凤县"), ("浙江省温州市苍南县", "苍南县"),
            ("浙江省杭州市西湖区", "西湖区"), ("山东省潍坊市临朐县", "临朐县"), ("广西壮族自治区桂林市阳朔县", "阳朔县"),
            ("湖南省岳阳市平江县", "平江县"), ("陕西省汉中市城固县", "城固县")]
DEPARTMENTS = [("教育局", "教育", "我局"), ("卫生健康委员会", "卫生健康", "我委"), ("自然资源局", "自然资源", "我局"),
               ("市场监督管理局", "市场监督管理", "我局"), ("交通运输局", "交通运输", "我局"),
               ("人力资源和社会保障局", "人力资源和社会保障", "我局"), ("民政局", "民政", "我局"),
               ("住房和城乡建设局", "住房和城乡建设", "我局"), ("人民政府", "government", "我县")]
YEARS = {"v2019": (2019, 2020), "v2021": (2021, 2022, 2023)}


def make_doc(k: int, fmt: str, version: str, seed: int) -> ms.Doc:
    """The k-th document of one format and version: an agency, a year and numbers of its own."""
    rng = random.Random(f"{seed}|{fmt}|{version}|{k}")
    region, county = rng.choice(COUNTIES)
    dept, category, we = rng.choice(DEPARTMENTS)
    agency = county + dept
    year = rng.choice(YEARS[version])
    ext = "docx" if fmt == "pdf" else "html"
    name = f"bench_{fmt}_{version}_{k:03d}.{ext}"
    profile = {"natural": (rng.randint(0, 15), rng.randint(16, 80)), "org": rng.randint(0, 2),
               "licensing": (rng.randint(0, 300), rng.randint(301, 3000)), "penalties": (0, rng.randint(0, 300)),
               "coercion": (0, rng.randint(0, 12)), "fees": 0, "appeals": rng.randint(0, 2)}
    labels = ms.L(paren=rng.choice(["full", "full", "half"]), num=rng.choice(["dot", "dot", "dun"]))
    return ms.Doc(name=name, fmt="html", agency=agency, region=region, category=category, year=year,
                  version=version, kind="gov" if dept == "人民政府" else "dept", we=we,
                  title=f"{agency}{year}年政府信息公开工作年度报告", signed=f"{year + 1}-01-{rng.randint(10, 28):02d}",
                  summary="benchmark document", labels=labels, profile=profile)


def make_look(k: int, seed: int) -> mo.Look:
    """How the k-th Word document is set: what decides where its tables meet page breaks."""
    rng = random.Random(f"{seed}|look|{k}")
    n_extra = rng.randint(0, len(mo.EXTRA_PARAGRAPHS))
    return mo.Look(narrow_labels=rng.random() < 0.35, table_size=rng.choice([18, 18, 21]),
                   row_height=rng.choice([0, 0, 360, 420, 520]), header_repeat=rng.random() < 0.6,
                   numbered_headings=rng.random() < 0.2, extra_paragraphs=tuple(mo.EXTRA_PARAGRAPHS[:n_extra]))


def expected(doc: ms.Doc, file_name: str) -> tuple[dict, list]:
    ms.finish_numbers(doc, None)
    apps, appeals, active = ms.expected_values(doc)
    exp = ms.expected_json(doc, apps, appeals, active)
    exp["file"] = file_name
    return exp, ms.build_blocks(doc, apps, appeals)


def generate(out: Path, n_pdf: int, n_html: int, seed: int) -> list[str]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    versions = ("v2019", "v2021")
    for k in range(n_html):
        version = versions[k % 2]
        doc = make_doc(k, "html", version, seed)
        exp, blocks = expected(doc, doc.name)
        (out / doc.name).write_bytes(ms.render(doc, blocks))
        (out / ms.expected_name(doc.name)).write_bytes(ms.dump_json(exp))
        written.append(doc.name)
    if not n_pdf:
        return written
    soffice = mo.soffice_binary()
    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
        sources = Path(tmp) / "docx"
        sources.mkdir()
        for k in range(n_pdf):
            version = versions[k % 2]
            doc = make_doc(k, "pdf", version, seed)
            pdf_name = Path(doc.name).with_suffix(".pdf").name
            exp, blocks = expected(doc, pdf_name)
            look = mo.variant_look(make_look(k, seed), "pdf")
            (sources / doc.name).write_bytes(mo.Builder(mo.Fixture(doc, look)).build(blocks))
            (out / ms.expected_name(pdf_name)).write_bytes(ms.dump_json(exp))
            written.append(pdf_name)
        # One LibreOffice run converts them all (starting it costs more than a conversion).
        profile = Path(tmp) / "profile"
        docs = sorted(str(p) for p in sources.glob("*.docx"))
        for start in range(0, len(docs), 25):
            subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                            "--convert-to", "pdf", "--outdir", str(out), *docs[start:start + 25]],
                           check=True, capture_output=True, timeout=1800)
        missing = [name for name in written if name.endswith(".pdf") and not (out / name).exists()]
        if missing:
            raise SystemExit(f"LibreOffice did not write {len(missing)} PDFs: {missing[:5]}")
    shutil.rmtree(out / ".~lock", ignore_errors=True)
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--pdf", type=int, default=100, help="LibreOffice PDFs (half v2019, half v2021)")
    ap.add_argument("--html", type=int, default=100, help="HTML pages (half v2019, half v2021)")
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    os.environ.setdefault("SAL_USE_VCLPLUGIN", "svp")
    names = generate(args.out, args.pdf, args.html, args.seed)
    print(f"wrote {len(names)} documents (and their expected values) to {args.out}")


if __name__ == "__main__":
    main()
