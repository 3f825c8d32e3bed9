"""How alike two reports' texts are (内容雷同), for the DUPLICATION rule.

A text becomes a set of character shingles (5 characters by default; digits, punctuation and
spaces dropped first, so last year's text with this year's numbers is still the same text). Two
texts are compared by the exact Jaccard similarity of their shingle sets.

Comparing every report with every peer is quadratic, so the warehouse finds candidates first:
each report's MinHash signature (`minhash_permutations` hash functions over its shingles) is cut
into `lsh_bands` bands; two reports that agree on a whole band are candidates (locality-sensitive
hashing). With 128 hashes in 32 bands of 4, a pair with Jaccard 0.8 shares a band with
probability 1 − (1 − 0.8⁴)³² > 0.9999, one with 0.3 with probability 0.23, so candidates are few
and the exact Jaccard decides. MinHash is implemented here with numpy (a pandas dependency): a
few lines, deterministic across processes and versions, and no extra package.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

from nianbao.common.text import to_simplified
from nianbao.normalize.model import NarrativeBlock
from nianbao.vocabulary import VOCAB

_CONFIG = VOCAB.rules.duplication
SHINGLE_CHARS = _CONFIG.shingle_chars
PERMUTATIONS = _CONFIG.minhash_permutations
BANDS = _CONFIG.lsh_bands
MIN_CHARS = _CONFIG.min_chars
THRESHOLD = _CONFIG.threshold
# Only CJK and Latin letters carry the wording; digits change every year, punctuation is noise.
_NOT_WORDING = re.compile(r"[^\u3400-\u9fffA-Za-z]+")
_SENTENCE_MARKS = ("。", "；", ";")
_MIN_BLOCK_CHARS = 40
_MERSENNE = (1 << 61) - 1


def wording(text: str) -> str:
    """The words of a text: full width to half, 繁 to 简, digits, punctuation and spaces dropped."""
    return _NOT_WORDING.sub("", to_simplified(unicodedata.normalize("NFKC", text or "")))


def is_prose(block: NarrativeBlock) -> bool:
    """Sentences, not headings, signatures or the labels of a table whose markup was lost."""
    return any(m in block.text for m in _SENTENCE_MARKS) or len(wording(block.text)) >= _MIN_BLOCK_CHARS


def prose_blocks(narrative: Iterable[NarrativeBlock]) -> list[NarrativeBlock]:
    return [b for b in narrative if is_prose(b)]


def report_wording(narrative: Iterable[NarrativeBlock]) -> str:
    return "".join(wording(b.text) for b in prose_blocks(narrative))


def shingles(text: str, k: int = SHINGLE_CHARS) -> frozenset[int]:
    """32-bit hashes (CRC-32, stable across processes) of the k-character shingles of `text`."""
    if len(text) < k:
        return frozenset({zlib.crc32(text.encode("utf-8"))}) if text else frozenset()
    return frozenset(zlib.crc32(text[i: i + k].encode("utf-8")) for i in range(len(text) - k + 1))


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def containment(part: frozenset[int], whole: frozenset[int]) -> float:
    """Share of `part`'s shingles found in `whole`."""
    return len(part & whole) / len(part) if part else 0.0


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    # Fixed coefficients (a < 2^31, so a·x + b stays below 2^63 for 32-bit x): signatures are
    # comparable between runs, processes and machines.
    rng = np.random.Generator(np.random.PCG64(20190101))
    a = rng.integers(1, 1 << 31, size=PERMUTATIONS, dtype=np.uint64)
    b = rng.integers(0, 1 << 31, size=PERMUTATIONS, dtype=np.uint64)
    return a, b


def minhash(hashes: frozenset[int]) -> np.ndarray:
    """The MinHash signature of a shingle set: for each hash function h(x) = (a·x + b) mod (2^61 − 1),
    the smallest value over the set."""
    a, b = _permutations()
    x = np.fromiter(hashes, dtype=np.uint64, count=len(hashes))
    values = (np.outer(x, a) + b) % np.uint64(_MERSENNE)
    return values.min(axis=0)


def lsh_buckets(signature: np.ndarray, bands: int = BANDS) -> tuple[int, ...]:
    """One bucket per band of the signature (a signed 64-bit hash of the band's values)."""
    rows = len(signature) // bands
    out = []
    for band in range(bands):
        digest = hashlib.blake2b(signature[band * rows: (band + 1) * rows].tobytes(), digest_size=8).digest()
        out.append(int.from_bytes(digest, "big", signed=True))
    return tuple(out)


def narrative_buckets(narrative: Sequence[NarrativeBlock]) -> tuple[int, ...]:
    """The LSH buckets of a report's narrative; () when it is too short to be compared."""
    text = report_wording(narrative)
    if len(text) < MIN_CHARS:
        return ()
    return lsh_buckets(minhash(shingles(text)))
