"""The inbox: written before the ack, each delivery key once, claimed again after a crash."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage.inbox import Inbox, inbox_url
from tests.conftest import PG_URL, pg_engine

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def box(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        found = Inbox.open(f"sqlite:///{tmp_path / 'paceline.db'}")
    else:
        _, schema = request.getfixturevalue("pg_engine_url")
        found = Inbox(pg_engine(schema))
        with found.engine.begin() as conn:
            conn.exec_driver_sql("TRUNCATE inbox RESTART IDENTITY")
    yield found
    found.dispose()


def test_the_inbox_of_a_sqlite_database_is_a_file_beside_it():
    assert inbox_url("sqlite:///data/paceline.db") == "sqlite:///data/paceline-inbox.db"
    assert inbox_url("sqlite:////srv/bot/state") == "sqlite:////srv/bot/state-inbox"
    assert inbox_url("sqlite://") == "sqlite://"
    url = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    assert inbox_url(url) == url


def test_a_key_is_written_once(box: Inbox):
    first = box.put("slack", "trigger:1", {"text": "add a"}, NOW, LEASE)
    assert first is not None
    assert box.put("slack", "trigger:1", {"text": "add a"}, NOW, LEASE) is None
    assert box.put("wecom", "trigger:1", {}, NOW, LEASE) is not None  # another platform's key
    assert [p for p, _k, _a in box.pending()] == ["slack", "wecom"]


def test_what_a_worker_left_is_claimed_again_after_its_lease(box: Inbox):
    item = box.put("slack", "event:E1", {"event": {"text": "hi"}}, NOW, LEASE)
    done = box.put("slack", "event:E2", {}, NOW, LEASE)
    box.done(done, NOW + timedelta(seconds=1))
    assert box.claim(NOW + timedelta(minutes=1), LEASE) == []  # its worker may still run
    [claimed] = box.claim(NOW + timedelta(minutes=3), LEASE)
    assert (claimed.id, claimed.key, claimed.payload, claimed.attempts) == (
        item,
        "event:E1",
        {"event": {"text": "hi"}},
        2,
    )
    assert box.claim(NOW + timedelta(minutes=3), LEASE) == []  # leased to the first claimer
    box.done(claimed.id, NOW + timedelta(minutes=4))
    assert list(box.pending()) == []


def test_a_refused_request_can_be_sent_again(box: Inbox):
    box.put("slack", "view:V1:h1", {}, NOW, LEASE)
    box.forget("slack", "view:V1:h1")
    assert box.put("slack", "view:V1:h1", {}, NOW, LEASE) is not None


def test_finished_requests_are_pruned_after_a_day(box: Inbox):
    old = box.put("slack", "event:old", {}, NOW - timedelta(days=2), LEASE)
    box.done(old, NOW - timedelta(days=2))
    unfinished = box.put("slack", "event:stuck", {}, NOW - timedelta(days=2), LEASE)
    recent = box.put("slack", "event:recent", {}, NOW, LEASE)
    box.done(recent, NOW)
    assert box.prune(NOW - timedelta(days=1)) == 1
    assert box.put("slack", "event:old", {}, NOW, LEASE) is not None  # its key is free again
    assert unfinished is not None and [k for _p, k, _a in box.pending()] == [
        "event:stuck",
        "event:old",
    ]


def test_twenty_deliveries_of_one_key_at_once_write_one_row(box: Inbox):
    barrier, ids = threading.Barrier(20), []

    def deliver() -> None:
        barrier.wait()
        ids.append(box.put("wecom", "aibot:M1", {"n": 1}, NOW, LEASE))

    threads = [threading.Thread(target=deliver) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len([i for i in ids if i is not None]) == 1 and len(ids) == 20


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL tests need PACELINE_TEST_POSTGRES_URL")
def test_pg_url_keeps_the_inbox_in_the_same_database():
    assert inbox_url(PG_URL) == PG_URL


def test_one_batch_of_puts_and_dones_is_one_statement_each_and_keeps_each_callers_answer(
    tmp_path: Path,
):
    """The writer thread writes what the callers handed it together (one INSERT, one UPDATE):
    a key twice in the same batch goes to its first caller only, a key seen before to nobody."""
    from storage.inbox import _Job

    box = Inbox.open(f"sqlite:///{tmp_path / 'paceline.db'}")
    try:
        old = box.put("slack", "event:old", {}, NOW, LEASE)
        stamp = "2026-11-26 02:00:00.000000"
        jobs = [
            _Job(put=("slack", key, "{}", stamp, stamp))
            for key in ("event:a", "event:b", "event:a", "event:old")
        ]
        statements: list[str] = []
        assert box._raw is not None
        box._raw.set_trace_callback(statements.append)
        box._put_all(jobs)
        box._done_all([_Job(done=(old, stamp)), _Job(done=(jobs[1].row, stamp))])
        box._raw.set_trace_callback(None)
        assert [j.row is not None for j in jobs] == [True, True, False, False]
        assert len({j.row for j in jobs[:2]}) == 2
        assert [s.split()[0] for s in statements] == ["INSERT", "UPDATE"]
        assert [key for _p, key, _a in box.pending()] == ["event:a"]
    finally:
        box.dispose()
