"""A reply's pictures in the console: each chart written as a PNG file in the pictures folder,
its path (and what it shows) printed under the answer; a scheduled post's the same; a dry run
writes nothing. The charts are tests/picture_kit.py's kind "test"."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

from bot.console import ConsoleBot, ConsolePoster
from bot.delivery import Progress
from bot.settings import get_settings
from handlers.reply import Line, Reply
from tests.conftest import NOW
from tests.picture_kit import is_png, picture, use_test_charts


def paths_in(said: str) -> list[Path]:
    return [Path(line.split(": ", 1)[1]) for line in said.splitlines() if "📊" in line]


def test_say_writes_each_chart_and_shows_its_path_and_what_it_shows(bot, tmp_path, monkeypatch):
    use_test_charts(monkeypatch, picture("双11 / 甘特图"), picture("双11 / 甘特图"))
    said = bot.say("list")
    assert said.splitlines()[0] == "Charts"
    first, second = paths_in(said)
    assert first.parent == tmp_path / "pictures" == second.parent
    assert first.name == "双11-甘特图.png"
    assert second.name == "双11-甘特图-2.png"  # the earlier file is never overwritten
    assert is_png(first.read_bytes()) == (1100, 220)
    assert "What 双11 / 甘特图 shows" in said


def test_a_name_cannot_write_outside_the_folder(bot, tmp_path, monkeypatch):
    use_test_charts(monkeypatch, picture("../../etc/passwd"), picture("..."), picture("/"))
    said = bot.say("list")
    written = paths_in(said)
    assert [p.name for p in written] == ["etc-passwd.png", "test.png", "test-2.png"]
    assert all(p.parent == tmp_path / "pictures" for p in written)
    assert sorted(p.name for p in (tmp_path / "pictures").iterdir()) == sorted(
        p.name for p in written
    )


def test_a_thread_replys_chart_is_shown_under_it(bot, monkeypatch):
    use_test_charts(monkeypatch, picture("gantt"), thread=True)
    said = bot.say("list")
    head, _, below = said.partition("↳")
    assert "📊" not in head and "📊 Chart gantt" in below
    [path] = paths_in(said)
    is_png(path.read_bytes())


def test_the_poster_writes_the_digests_charts_and_a_dry_run_writes_none(tmp_path, monkeypatch):
    use_test_charts(monkeypatch)
    reply = Reply("Digest", [Line("1 project")], thread=[Reply("P", pictures=[picture("g")])])
    channel = SimpleNamespace(name="ops", external_id="ops")
    out = io.StringIO()
    ConsolePoster(out, tmp_path / "pics").post(channel, None, reply, Progress())
    [path] = paths_in(out.getvalue())
    assert path == tmp_path / "pics" / "g.png"
    is_png(path.read_bytes())
    dry = io.StringIO()
    ConsolePoster(dry).post(channel, None, reply, Progress())
    assert "📊 Chart g: What g shows" in dry.getvalue()
    assert list((tmp_path / "pics").iterdir()) == [path]


def test_the_pictures_folder_is_a_setting_beside_the_database_by_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert get_settings(pictures_dir=str(tmp_path / "x")).pictures_path() == tmp_path / "x"
    beside = get_settings(database_url=f"sqlite:///{tmp_path}/data/p.db").pictures_path()
    assert beside == tmp_path / "data" / "pictures"
    pg = get_settings(database_url="postgresql+psycopg://u@h/db").pictures_path()
    assert pg == tmp_path / "pictures"


def test_a_console_without_a_folder_writes_in_the_current_directory(db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    use_test_charts(monkeypatch, picture("here"))
    said = ConsoleBot(db, now=NOW).say("list")
    [path] = paths_in(said)
    assert (tmp_path / path).resolve() == (tmp_path / "pictures" / "here.png").resolve()
