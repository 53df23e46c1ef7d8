"""64-bit simhash of a text over its distinct character trigrams, vectorised with numpy.

Character trigrams work for Chinese (no word boundaries) and English alike; each distinct
trigram counts once, so the frequent ones (的一个, " th") do not pull every text's hash the
same way. Two texts whose
simhashes differ in at most ``MAX_DISTANCE`` bits are near-duplicates. Splitting the 64 bits into
four 16-bit bands means such a pair shares at least one band exactly (pigeonhole), so the store
finds candidates with four index probes on ``simhash_bands``.
"""

from __future__ import annotations

import numpy as np

MAX_DISTANCE = 3
MIN_CHARS = 50
BANDS = 4
_POWERS = np.uint64(1) << np.arange(64, dtype=np.uint64)


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads every input bit over all 64 output bits."""
    h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def simhash(text: str | None) -> int | None:
    """The simhash of ``text`` as a signed 64-bit int (SQLite's INTEGER), None when too short."""
    if not text:
        return None
    normal = "".join(text.lower().split())
    if len(normal) < MIN_CHARS:
        return None
    codes = np.frombuffer(normal.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    with np.errstate(over="ignore"):
        grams = (codes[:-2] << np.uint64(42)) ^ (codes[1:-1] << np.uint64(21)) ^ codes[2:]
        grams.sort()
        distinct = grams[np.concatenate(([True], grams[1:] != grams[:-1]))]
        hashes = _mix(distinct)
    bits = np.unpackbits(hashes.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    ones = np.ones(len(bits), np.float32) @ bits.astype(np.float32)
    value = int(_POWERS[ones * 2 > len(bits)].sum())
    return value - (1 << 64) if value >= 1 << 63 else value


def bands(value: int) -> list[tuple[int, int]]:
    """The (band, 16-bit value) pairs of a simhash, for the ``simhash_bands`` table."""
    unsigned = value & 0xFFFFFFFFFFFFFFFF
    return [(band, (unsigned >> (16 * band)) & 0xFFFF) for band in range(BANDS)]


def distance(a: int, b: int) -> int:
    """Hamming distance between two simhashes."""
    return ((a ^ b) & 0xFFFFFFFFFFFFFFFF).bit_count()
