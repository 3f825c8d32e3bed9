"""Every cell of every sample, seed, real and hold-out document against its expected JSON."""

import pytest

from tests.helpers.expected import differences, expected_files
from tests.paths import HOLDOUTS, REAL, SAMPLES, SEEDS

SAMPLE = expected_files(SAMPLES)
HOLDOUT = expected_files(*HOLDOUTS)
SEED = expected_files(SEEDS)


@pytest.mark.parametrize("expected", SEED, ids=lambda p: p.name)
def test_seed_exact(expected):
    assert differences(expected) == []


@pytest.mark.parametrize("expected", SAMPLE, ids=lambda p: p.name)
def test_sample_exact(expected):
    assert differences(expected) == []


@pytest.mark.parametrize("expected", HOLDOUT, ids=lambda p: p.name)
def test_holdout_exact(expected):
    """Layouts written independently of the parser and of the sample generator."""
    assert differences(expected) == []


def test_every_corpus_is_in_the_repo():
    """The parametrized tests above would silently vanish with their files."""
    assert SEED and SAMPLE and HOLDOUT and expected_files(REAL), "a corpus folder under tests/files is empty"
