"""Regenerating the fixtures changes nothing: each deterministic generator, run into a temporary
folder, writes exactly the committed bytes (the samples and check fixtures have their own tests in
tests/corpus/samples and tests/corpus/checks). LibreOffice-made PDFs (holdout3) carry a creation
date, so for them only the expected JSON and the source DOCX are compared."""

import os
import subprocess
import sys

import pytest

from tests.paths import FILES, REPO

CASES = {
    "make_extract": "extract",
    "make_pdf": "pdf",
    "make_holdout": "holdout",
    "make_holdout2": "holdout2",
    "make_holdout3": "holdout3",
}
NOT_COMPARED = {"holdout3": (".pdf",)}


@pytest.mark.slow
@pytest.mark.parametrize("generator", sorted(CASES))
def test_regenerating_changes_nothing(generator, tmp_path):
    folder = CASES[generator]
    env = {**os.environ, "NIANBAO_FIXTURES_OUT": str(tmp_path)}
    subprocess.run([sys.executable, str(REPO / "tests" / "fixtures" / f"{generator}.py")], env=env,
                   check=True, capture_output=True, timeout=600)
    written = sorted(p.relative_to(tmp_path / folder) for p in (tmp_path / folder).rglob("*") if p.is_file())
    assert written, f"{generator} wrote nothing under {tmp_path / folder}"
    for rel in written:
        if rel.suffix in NOT_COMPARED.get(folder, ()):
            assert (FILES / folder / rel).exists(), f"{generator} wrote {rel}, which is not committed"
            continue
        assert (tmp_path / folder / rel).read_bytes() == (FILES / folder / rel).read_bytes(), (
            f"{generator}: {folder}/{rel} differs from the committed file; run `make fixtures` and commit")
