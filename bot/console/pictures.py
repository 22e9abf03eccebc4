"""A reply's pictures in the console: each chart written as a PNG file in the pictures folder
(PACELINE_PICTURES_DIR), its path printed under the answer with its alt text: a terminal shows
no image, but any image viewer opens the file."""

from __future__ import annotations

import itertools
import threading
from pathlib import Path

from bot.pictures import file_name, png
from handlers.reply import Picture

_lock = threading.Lock()


def write(folder: Path, picture: Picture) -> Path:
    """The picture drawn and written to a new file in `folder` (made if missing): its safe
    name, with `-2`, `-3`… when a file of that name exists already (an earlier chart is never
    overwritten)."""
    data = png(picture)
    folder.mkdir(parents=True, exist_ok=True)
    name = Path(file_name(picture))
    with _lock:
        for n in itertools.count(1):
            path = folder / (name.name if n == 1 else f"{name.stem}-{n}{name.suffix}")
            try:
                with path.open("xb") as out:  # exclusive: a file of this name is never replaced
                    out.write(data)
                return path
            except FileExistsError:
                continue
    raise AssertionError("unreachable")


def shown(folder: Path | None, picture: Picture) -> list[str]:
    """The lines that show a picture in the console: where its file is (and what it shows);
    without a folder (a dry run writes nothing), only what it shows."""
    if folder is None:
        return [f"📊 {picture.title}: {picture.alt}"]
    path = write(folder, picture)
    return [f"📊 {picture.title}: {path}", f"   {picture.alt}"]
