"""Column sums of the heads' integer weight rows, added as one big integer per feature.

A comment has ~90 features, ~35 of them in the model, each with a row of 16 int16 weights.
Summing those rows column by column (zip and sum over tuples) was a fifth of the time per
comment. Here every row is packed into one Python integer, its weights offset by 2**15 into
40-bit lanes (sum of (w_j + 2**15) << 40 j); a comment's rows then add up in C (`sum` over
the packed integers) and the lanes are read back once. Integer sums are exact, so the
results are the same numbers as before.

A model has ~120k rows and 2,000 comments use ~16k of them, so `Rows` makes a row's integer
on first use (from lanes laid out once at load); until then the row's value in the table is
minus the end of its bytes, and packed rows are positive.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice

LANE = 40  # a lane's sum < 2**40: room for 16 million features of weight 32767
_BYTES = LANE // 8
_OFFSET = 1 << 15
_MASK = (1 << LANE) - 1
# Flipping the top bit of an int16's high byte adds 2**15 (two's complement to offset).
_FLIP = bytes(b ^ 0x80 for b in range(256))


def _lanes(weights: bytes) -> bytearray:
    """Lay little-endian int16 weights out as offset 40-bit lanes (in C)."""
    lanes = bytearray(len(weights) // 2 * _BYTES)
    lanes[0::_BYTES] = weights[0::2]
    lanes[1::_BYTES] = weights[1::2].translate(_FLIP)
    return lanes


def pack(weights: bytes, width: int) -> list[int]:
    """Pack little-endian int16 weights, `width` a row, into one integer per row (in C)."""
    view = memoryview(_lanes(weights))
    step = width * _BYTES
    return [int.from_bytes(view[i : i + step], "little") for i in range(0, len(view), step)]


class Rows:
    """Feature name -> packed row, each row made an integer when first looked up.

    Lookups stay `table.get` in C; a value below zero is a row not made yet (minus the end of
    its bytes in the lanes), which `made` turns into its integer and keeps. (A plain dict
    holding only strings and integers, so the garbage collector never walks it.)
    """

    __slots__ = ("_lanes", "_names", "_step", "_weights", "table")

    def __init__(self, table: dict[str, int], lanes: bytearray | None = None, step: int = 1,
                 names: tuple[str, ...] = ()) -> None:
        self.table = table
        self._lanes = lanes or bytearray()
        self._step = step
        self._names = names
        self._weights: dict[str, list[int]] = {}

    @classmethod
    def lazy(cls, names: list[str], weights: bytes, width: int) -> Rows:
        """Return the rows of little-endian int16 `weights`, `width` a row, one per name."""
        step = width * _BYTES
        table = dict(zip(names, range(-step, -len(names) * step - 1, -step), strict=True))
        return cls(table, _lanes(weights), step, tuple(names))

    def __len__(self) -> int:
        return len(self.table)

    def made(self, value: int) -> int:
        """Return the packed row a value of the table stands for (making it if needed)."""
        if value > 0:
            return value
        end = -value
        packed = int.from_bytes(self._lanes[end - self._step : end], "little")
        # Replacing a key's value never resizes the dict: safe beside concurrent readers.
        self.table[self._names[end // self._step - 1]] = packed
        return packed

    def row(self, name: str) -> int | None:
        """Return a feature's packed row, or None for a feature the model lacks."""
        value = self.table.get(name)
        return None if value is None else self.made(value)

    def weights(self, name: str, width: int) -> list[int] | None:
        """Return a feature's weights unpacked, or None if the model lacks the feature.

        They are kept: the features summed apart (the rules' two real-valued ones) recur in
        every comment.
        """
        found = self._weights.get(name)
        if found is None:
            row = self.row(name)
            if row is None:
                return None
            found = self._weights[name] = unpack(row, width)
        return found


def _unpack(total: int, count: int, width: int) -> list[int]:
    offset = count * _OFFSET
    return [((total >> shift) & _MASK) - offset for shift in range(0, width * LANE, LANE)]


def unpack(packed: int, width: int) -> list[int]:
    """Return the weights of one packed row."""
    return _unpack(packed, 1, width)


def weight(packed: int, column: int) -> int:
    """Return one weight of a packed row."""
    return ((packed >> (column * LANE)) & _MASK) - _OFFSET


def column_sums(feats: dict[str, float], packed: Rows, width: int) -> Sequence[float]:
    """Return, per column, what `sum(column)` gives over the rows of the features present.

    A row is scaled by its feature's value when that is not 1.0 (as heads.scores always did).

    Features valued 1.0 come first (features.features adds the real-valued rules' features
    last); from the first other value on, columns are summed as before, after the packed
    sum, so even the float rounding is the same.
    """
    values = list(feats.values())
    cut = len(values)
    while cut and values[cut - 1] != 1.0:
        cut -= 1
    if values[:cut].count(1.0) != cut:  # a real value among them: find the first one
        cut = next(k for k, v in enumerate(values) if v != 1.0)
    table = packed.table
    found = list(filter(None, map(table.get, islice(feats, cut))))
    if found and min(found) < 0:  # rows not made yet (only the first comments have many)
        made = packed.made
        found = [row if row > 0 else made(row) for row in found]
    tail: list[Sequence[float]] = []
    for name in islice(feats, cut, None):
        weights = packed.weights(name, width)
        if weights:
            value = feats[name]
            # value.__mul__(w) is the float product value * w, taken in C.
            tail.append(weights if value == 1.0 else list(map(value.__mul__, weights)))
    if not found and not tail:
        return [0.0] * width
    heads = _unpack(sum(found), len(found), width)
    if not tail:
        return heads
    # sum((head, *column)): the integer part first, then the real-valued rows in order.
    return list(map(sum, zip(heads, *tail, strict=True)))

