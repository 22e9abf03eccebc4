"""Pruning the inbound dedupe table (issue #9): old delivery keys go, recent ones stay, on both
databases, with the clock pinned."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from storage import queries
from storage.db import Database
from storage.models import InboundSeen
from tests.conftest import NOW

CUTOFF = NOW - timedelta(days=1)

SEEN = {
    ("slack", "event:old"): NOW - timedelta(days=3),
    ("wecom", "msg:old"): CUTOFF - timedelta(seconds=1),
    ("slack", "event:at-cutoff"): CUTOFF,  # not older than the cutoff: kept
    ("wecom", "msg:recent"): NOW - timedelta(hours=1),
    ("slack", "event:now"): NOW,
}


def _seed(db: Database) -> None:
    with db.session() as s:
        for (platform, key), at in SEEN.items():
            assert queries.claim_inbound(s, platform, key, at)


def _keys(db: Database) -> list[tuple[str, str]]:
    with db.session() as s:
        return sorted((r.platform, r.key) for r in s.exec(select(InboundSeen)))


def test_prune_inbound_forgets_keys_seen_before_the_cutoff_and_keeps_the_rest(db):
    _seed(db)
    with db.session() as s:
        assert queries.prune_inbound(s, CUTOFF) == 2
    assert _keys(db) == [
        ("slack", "event:at-cutoff"),
        ("slack", "event:now"),
        ("wecom", "msg:recent"),
    ]
    with db.session() as s:
        assert queries.prune_inbound(s, CUTOFF) == 0


def test_a_pruned_key_can_be_claimed_again_and_a_kept_one_cannot(db):
    _seed(db)
    with db.session() as s:
        queries.prune_inbound(s, CUTOFF)
    with db.session() as s:
        assert queries.claim_inbound(s, "slack", "event:old", NOW)
        assert queries.claim_inbound(s, "wecom", "msg:old", NOW)
        assert not queries.claim_inbound(s, "slack", "event:at-cutoff", NOW)
        assert not queries.claim_inbound(s, "wecom", "msg:recent", NOW)
    with db.session() as s:
        assert not queries.claim_inbound(s, "slack", "event:old", NOW)


def test_prune_inbound_on_an_empty_table_removes_nothing(db):
    with db.session() as s:
        assert queries.prune_inbound(s, NOW) == 0
