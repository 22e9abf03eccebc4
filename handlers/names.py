"""How a name someone typed is compared with the names of the people the bot knows: the same
name in another width or case is the same person; a name a slip of the keyboard away from a
known one is a question ("did you mean @alice?"), never a new member made in silence."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable


def fold(name: str) -> str:
    """A name as it is compared: full-width letters and digits as half-width, any case as one."""
    return unicodedata.normalize("NFKC", name).casefold().strip()


def distance(a: str, b: str) -> int:
    """Edits from one name to the other: a character added, dropped or changed, or two
    neighbours swapped (`alcie` is one slip from `alice`, as `张叁` is from `张三`)."""
    if a == b:
        return 0
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(
                rows[-1][j] + 1,
                row[j - 1] + 1,
                rows[-1][j - 1] + (ca != cb),
            )
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


_DIGITS = re.compile(r"\d+")
SHORT = 4  # a name this long or shorter allows one slip; a longer one two


def allowed_slips(a: str, b: str) -> int:
    return 1 if max(len(a), len(b)) <= SHORT else 2


def close(typed: str, known: str) -> bool:
    """Whether `typed` (a name no one has) looks like a slip for `known` (someone's name): a
    slip or two away, but not a whole other name (`李` is not a slip for `张`), or the known
    name with something glued after it (`张三周五前`, `bobby`). Names numbered apart (`张伟3`
    beside `张伟2`, `owner1` beside `owner0`) are namesakes told apart, not slips."""
    a, b = fold(typed), fold(known)
    if not a or not b or a == b:
        return False
    numbers_a, numbers_b = _DIGITS.findall(a), _DIGITS.findall(b)
    if numbers_a and numbers_b and numbers_a != numbers_b:
        return False  # numbers tell namesakes apart (张伟2, owner1): not a slip
    if len(b) >= 2 and a.startswith(b):
        return True
    slips = distance(a, b)
    return slips <= allowed_slips(a, b) and slips < max(len(a), len(b))


def likely(typed: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """The known names `typed` may be a slip for, nearest first (at most `limit`)."""
    a = fold(typed)
    found: dict[str, int] = {}
    for name in known:
        words = [name, *name.split()] if " " in name.strip() else [name]
        near = [distance(a, fold(w)) for w in words if close(typed, w)]
        if near and name not in found:
            found[name] = min(near)
    return sorted(found, key=lambda n: (found[n], fold(n)))[:limit]
