"""What every door does with a reply's pictures before its platform sees them: find them (the
reply's own, then each thread reply's), draw each as PNG in the work pool, no larger than the
platform takes (drawn again smaller until it fits: a picture is never refused for its size),
and name its file safely."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator

from handlers import charts
from handlers.reply import Picture, Reply

# Each try draws at this share of the last scale; a chart is never drawn smaller than MIN_SCALE
# of its size (text would be unreadable): below it the PNG is compressed as it stands.
SHRINK = 0.75
MIN_SCALE = 0.1

Draw = Callable[[Picture, str, float], bytes]


def pictures_of(reply: Reply) -> Iterator[tuple[Reply, Picture]]:
    """Each picture with the reply it belongs to: the reply's own, then its thread replies'."""
    for picture in reply.pictures:
        yield reply, picture
    for follow_up in reply.thread:
        yield from pictures_of(follow_up)


def has_pictures(reply: Reply) -> bool:
    return next(pictures_of(reply), None) is not None


class TooLarge(Exception):
    """A picture that does not fit `limit` bytes even at the smallest scale."""


def png(picture: Picture, limit: int | None = None, *, draw: Draw | None = None) -> bytes:
    """The picture as PNG bytes, at most `limit` bytes: drawn at full scale, then again at
    three quarters of the last scale while it is too large. Raises TooLarge only when even
    MIN_SCALE does not fit (a chart thousands of rows tall)."""
    draw = draw or charts.draw
    scale = 1.0
    while True:
        data = draw(picture, charts.PNG, scale)
        if limit is None or len(data) <= limit:
            return data
        if scale <= MIN_SCALE:
            raise TooLarge(f"{picture.name}: {len(data)} bytes at scale {scale:.2f} > {limit}")
        scale = max(MIN_SCALE, scale * SHRINK)


_UNSAFE = re.compile(r"[^\w.-]+", re.UNICODE)


def file_name(picture: Picture, extension: str = "png") -> str:
    """A file name from `picture.name` that is safe on every platform and file system: letters
    (CJK kept), digits, `-`, `_` and `.`; no path, no leading dot; at most 80 characters."""
    name = unicodedata.normalize("NFKC", picture.name)
    name = _UNSAFE.sub("-", name).strip(".-_")[:80].strip(".-_") or picture.kind or "chart"
    return f"{name}.{extension}"
