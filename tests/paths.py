"""Where the tests' files are: fixtures under tests/files/, generators under tests/fixtures/."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FILES = REPO / "tests" / "files"
EXTRACT_FILES = FILES / "extract"  # HTML/text reader fixtures with expected JSON
PDF_FILES = FILES / "pdf"
OFFICE_FILES = FILES / "office"
OCR_FILES = FILES / "ocr"
CHECK_FILES = FILES / "checks"
CHECK_VERSIONS = FILES / "checks_versions"
HOLDOUTS = tuple(FILES / name for name in ("holdout", "holdout2", "holdout3"))
REAL = FILES / "real"  # real published reports with hand-checked values
SEEDS = FILES / "seeds"
SAMPLES = REPO / "data" / "samples"  # the bundled demo corpus (package nianbao.data)
