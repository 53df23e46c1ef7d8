"""64-bit simhash of a text over its distinct character trigrams, vectorised with numpy.

Character trigrams work for Chinese (no word boundaries) and English alike; each distinct
trigram counts once, so the frequent ones (的一个, " th") do not pull every text's hash the
same way. Two texts whose
simhashes differ in at most ``MAX_DISTANCE`` bits are near-duplicates. Splitting the 64 bits into
four 16-bit bands means such a pair shares at least one band exactly (pigeonhole), so the store
finds candidates with four index probes on ``simhash_bands``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

MAX_DISTANCE = 3
MIN_CHARS = 50
BANDS = 4
_POWERS = np.uint64(1) << np.arange(64, dtype=np.uint64)
_CELLS = 1 << 20
_PAD = np.uint64(0xFFFFFFFFFFFFFFFF)  # above any trigram (3 x 21 bits), sorts last
_BYTE_SLOTS = (np.arange(8, dtype=np.uint32) * 256)[None, :]
_BYTE_BITS = ((np.arange(256)[:, None] >> np.arange(8)[None, :]) & 1).astype(np.float32)


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


def _normal(text: str | None) -> str:
    return "".join(text.lower().split()) if text else ""


def simhashes(texts: Sequence[str | None]) -> list[int | None]:
    """``simhash`` of many texts at once, equal to it text by text. Texts are taken shortest first
    in groups of at most ``_CELLS`` padded trigrams, so one long text cannot inflate the padding
    of a whole batch."""
    normals = [_normal(text) for text in texts]
    order = sorted((i for i, n in enumerate(normals) if len(n) >= MIN_CHARS),
                   key=lambda i: len(normals[i]))  # fmt: skip
    result: list[int | None] = [None] * len(texts)
    group: list[int] = []
    for i in order:
        if group and (len(group) + 1) * len(normals[i]) > _CELLS:
            _hash_group(normals, group, result)
            group = []
        group.append(i)
    if group:
        _hash_group(normals, group, result)
    return result


def _hash_group(normals: list[str], group: list[int], result: list[int | None]) -> None:
    """Simhash of the texts ``group`` into ``result``: the distinct trigrams of each text are
    sorted in one padded 2-D array, and the bits counted with one ``bincount`` (a histogram of each
    byte of the hashes, times a bit table), so numpy's per-call cost is paid once per group."""
    codes = np.frombuffer("".join(normals[i] for i in group).encode("utf-32-le"), dtype=np.uint32)
    codes = codes.astype(np.uint64)
    lengths = np.array([len(normals[i]) - 2 for i in group])
    starts = np.concatenate(([0], np.cumsum(lengths + 2)[:-1]))
    with np.errstate(over="ignore"):
        grams = (codes[:-2] << np.uint64(42)) ^ (codes[1:-1] << np.uint64(21)) ^ codes[2:]
        columns = np.arange(lengths.max())
        inside = columns[None, :] < lengths[:, None]
        where = np.minimum(starts[:, None] + columns[None, :], len(grams) - 1)
        padded = np.where(inside, grams[where], _PAD)
        padded.sort(axis=1)
        first = np.ones_like(inside)
        first[:, 1:] = padded[:, 1:] != padded[:, :-1]
        first &= padded != _PAD
        hashes = _mix(padded[first])
    counts = first.sum(axis=1)
    index = hashes.view(np.uint8).reshape(-1, 8) + _BYTE_SLOTS
    index += np.repeat(np.arange(len(group), dtype=np.uint32) * 2048, counts)[:, None]
    histogram = np.bincount(index.ravel(), minlength=len(group) * 2048).reshape(-1, 8, 256)
    ones = (histogram.astype(np.float32) @ _BYTE_BITS).reshape(len(group), 64)
    values = ((ones * 2 > counts[:, None]) * _POWERS).sum(axis=1, dtype=np.uint64)
    for i, value in zip(group, values.tolist(), strict=True):
        result[i] = value - (1 << 64) if value >= 1 << 63 else value


def bands(value: int) -> list[tuple[int, int]]:
    """The (band, 16-bit value) pairs of a simhash, for the ``simhash_bands`` table."""
    unsigned = value & 0xFFFFFFFFFFFFFFFF
    return [(band, (unsigned >> (16 * band)) & 0xFFFF) for band in range(BANDS)]


def distance(a: int, b: int) -> int:
    """Hamming distance between two simhashes."""
    return ((a ^ b) & 0xFFFFFFFFFFFFFFFF).bit_count()
