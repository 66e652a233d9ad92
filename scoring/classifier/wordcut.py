"""jieba's exact segmentation without the HMM, from a prefix dictionary that loads fast.

`Tokenizer.lcut(text, HMM=False)` builds a DAG of dictionary words per block of Han, Latin
and digit characters, then picks the likeliest route. This module runs the same steps with
the same floating-point operations in the same order, so it returns the same words; it folds
the DAG and the route into one backward pass and looks each word's log-probability up
instead of taking a logarithm per edge (no memo of cut blocks: only ~6 % of the characters of
2,000 waimai reviews sit in a repeated block, and text with rare characters splits into many
short blocks that would fill it). jieba's own start-up
unpickles its prefix dictionary (82k entries, ~75 ms); the same entries load here from a
flat file in ~15 ms, and jieba is imported only to build that file once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from scoring.classifier import flatcache

# jieba's re_han_default, re_skip_default and re_eng (jieba/__init__.py, 0.42).
_HAN = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._%\\-]+)")
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


class Cutter:
    """Segment like a jieba Tokenizer with the prefix dictionary (word -> frequency) given."""

    def __init__(self, logp: dict[str, float], miss: float) -> None:
        # logp: log(freq) - log(total) per word; 0.0 for a prefix that is no word itself.
        self.logp = logp
        self.miss = miss  # log(1) - log(total): a character the dictionary lacks

    @classmethod
    def from_frequencies(cls, freq: dict[str, int], total: int) -> Cutter:
        """Build from a jieba Tokenizer's FREQ and total."""
        logtotal = math.log(total)
        logp = {w: (math.log(f) - logtotal if f else 0.0) for w, f in freq.items()}
        return cls(logp, math.log(1) - logtotal)

    def cut(self, sentence: str) -> list[str]:
        """Return jieba's words of `sentence` (lcut, HMM=False), whitespace dropped."""
        out: list[str] = []
        for block in _HAN.split(sentence):
            if not block:
                continue
            if _HAN.match(block):
                out += self._cut_block(block)
            else:
                # jieba yields every other character alone and whitespace runs apart.
                out += [ch for ch in block if ch.strip()]
        return out

    def _cut_block(self, s: str) -> list[str]:
        n = len(s)
        get = self.logp.get
        value: list[float] = [0.0] * n
        value.append(0)  # jieba's route[N] = (0, 0)
        end = [0] * n
        for k in range(n - 1, -1, -1):
            # jieba: max((log(FREQ[w] or 1) - logtotal + route[x + 1][0], x) for x in DAG[k]),
            # DAG[k] the ends x of words s[k:x + 1], ascending; a tie goes to the larger x.
            best: float | None = None
            best_end = k
            i = k + 1
            p = get(s[k])
            while p is not None:
                if p:
                    v = p + value[i]
                    if best is None or v >= best:
                        best, best_end = v, i - 1
                if i >= n:
                    break
                i += 1
                p = get(s[k:i])
            if best is None:
                best = self.miss + value[k + 1]
            value[k] = best
            end[k] = best_end
        words: list[str] = []
        buf = ""
        x = 0
        while x < n:
            y = end[x] + 1
            word = s[x:y]
            if y - x == 1 and word in _ASCII_ALNUM:
                buf += word  # jieba glues single Latin letters and digits back together
            else:
                if buf:
                    words.append(buf)
                    buf = ""
                words.append(word)
            x = y
        if buf:
            words.append(buf)
        return words


def load(stamp: str, build: Callable[[], tuple[dict[str, int], int, bool]]) -> Cutter:
    """Return the cutter for a dictionary identified by `stamp`, built once by `build`.

    build returns a jieba Tokenizer's FREQ and total, and whether they are the dictionary
    `stamp` names; then the result is kept in the temporary directory (like jieba's own
    cache) so later processes skip jieba's start-up.
    """

    def logp() -> tuple[dict[str, float], float, bool]:
        freq, total, keep = build()
        cutter = Cutter.from_frequencies(freq, total)
        return cutter.logp, cutter.miss, keep

    return Cutter(*flatcache.cached(f"ownervoice-prefixes-{stamp}.bin", logp))
