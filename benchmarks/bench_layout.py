"""How many documents of a generated corpus read exactly: every expected value of every report
(sections 二, 三 and 四, agency, year, version) compared with what the pipeline stored.

    .venv/bin/python tests/fixtures/make_bench.py --out /tmp/bench --pdf 100 --html 100
    .venv/bin/python benchmarks/bench_layout.py /tmp/bench [--show 10]

Prints the exact count per format and version, the documents per second, and the first
differences of each document that is not exact.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.helpers.expected import differences


def group_of(path: Path) -> str:
    """bench_pdf_v2019_007.expected.json -> 'pdf v2019'."""
    parts = path.name.split("_")
    return f"{parts[1]} {parts[2]}" if len(parts) >= 4 and parts[0] == "bench" else "other"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--show", type=int, default=5, help="differences shown per inexact document")
    args = ap.parse_args()
    expected = sorted(args.corpus.glob("*.expected.json"))
    if not expected:
        raise SystemExit(f"{args.corpus}: no *.expected.json files (make them with tests/fixtures/make_bench.py)")
    exact: Counter[str] = Counter()
    total: Counter[str] = Counter()
    inexact: list[tuple[Path, list[str]]] = []
    start = time.monotonic()
    for k, path in enumerate(expected, start=1):
        group = group_of(path)
        total[group] += 1
        diffs = differences(path)
        if diffs:
            inexact.append((path, diffs))
        else:
            exact[group] += 1
        if k % 20 == 0:
            print(f"  {k}/{len(expected)} read", file=sys.stderr)
    seconds = time.monotonic() - start
    for group in sorted(total):
        print(f"{group:12} {exact[group]:4} of {total[group]:4} exact")
    print(f"{'all':12} {sum(exact.values()):4} of {len(expected):4} exact "
          f"({len(expected) / seconds:.1f} documents/s)")
    for path, diffs in inexact:
        print(f"\n{path.name}: {len(diffs)} differences")
        for line in diffs[:args.show]:
            print(f"  {line}")


if __name__ == "__main__":
    main()
