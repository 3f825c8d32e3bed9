"""Every cell of every sample, seed, real and hold-out document against its expected JSON."""

import pytest

from tests.corpus.expected import REPO, SHARED, differences, expected_files

SAMPLES = expected_files(REPO / "data" / "samples")
HOLDOUT = expected_files(*(REPO / "tests" / name / "files" for name in ("holdout", "holdout2", "holdout3")))
SEED = expected_files(SHARED / "seeds")


@pytest.mark.parametrize("expected", SEED, ids=lambda p: p.name)
def test_seed_exact(expected):
    assert differences(expected) == []


@pytest.mark.parametrize("expected", SAMPLES, ids=lambda p: p.name)
def test_sample_exact(expected):
    assert differences(expected) == []


@pytest.mark.parametrize("expected", HOLDOUT, ids=lambda p: p.name)
def test_holdout_exact(expected):
    """Layouts written independently of the parser and of the sample generator."""
    assert differences(expected) == []


def test_shared_corpus_is_next_to_the_repo():
    """CI lays shared/ beside the clone; without it the seed tests above would silently vanish."""
    assert SEED, f"no seed expected JSON under {SHARED / 'seeds'}"
