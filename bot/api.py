"""`POST /api/kpi`: KPI actuals from a BI system, authenticated by a workspace's token (an admin
makes one with `settings api-token`; only its SHA-256 is stored). Declared to the web server as a
door's routes are (bot/door.py), beside the doors; it posts nothing and runs nothing beside.

    curl -X POST https://bot.example.com/api/kpi \\
      -H "Authorization: Bearer pl_…" -H "Content-Type: application/json" \\
      -d '[{"project": "双11大促", "kpi": "GMV", "label": "电商", "value": "320万"}]'

The body is one object or a list of them: {project, kpi, label?, value (a number or "320万"),
at? (ISO datetime, or a day in the workspace's zone)}. 401 without a token or with a bad or
revoked one; 400 with the index and reason of the first bad item, nothing written; 200 with
the count recorded."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable

from bot.door import Clock, Request, Response, Routes, wall_clock
from handlers.channel_settings import token_hash
from handlers.kpis import Incoming, RowError, record_actuals
from storage import queries
from storage.db import Database

log = logging.getLogger(__name__)

PATH = "/api/kpi"
MAX_ITEMS = 10_000
_FIELDS = frozenset({"project", "kpi", "label", "value", "at"})


def _json(status: int, body: dict) -> Response:
    return Response(
        status, json.dumps(body, ensure_ascii=False).encode(), {"Content-Type": "application/json"}
    )


class KpiApi:
    """The API's routes; `platform` only names it where two route owners would clash."""

    platform = "api"

    def __init__(self, db: Database, clock: Clock = wall_clock) -> None:
        self.db, self.clock = db, clock

    def routes(self) -> Routes:
        return {PATH: {"POST": self.post}}

    def post(self, request: Request) -> Response:
        token = _bearer(request.headers.get("authorization", ""))
        if token is None:
            return _json(401, {"error": "missing bearer token"})
        digest = token_hash(token)
        with self.db.session() as s:
            found = queries.live_api_token(s, digest)
            # the row was found by its hash; compared again in constant time all the same
            if found is None or not hmac.compare_digest(found.token_hash, digest):
                return _json(401, {"error": "bad or revoked token"})
            ws = queries.workspace_by_id(s, found.workspace_id)
        assert ws is not None  # a token's workspace is a foreign key
        items = _items(request.body)
        if isinstance(items, Response):
            return items
        try:
            with self.db.session() as s:
                count = record_actuals(s, ws, items, source="api", now=self.clock())
        except RowError as err:
            return _json(400, {"error": err.reason, "index": err.index})
        log.info("api: %s KPI actual(s) recorded for workspace %s", count, ws.id)
        return _json(200, {"recorded": count})


def _bearer(header: str) -> str | None:
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def _items(body: bytes) -> list[tuple[int, Incoming]] | Response:
    try:
        data = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _json(400, {"error": "the body is not JSON"})
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not data:
        return _json(400, {"error": "send one object or a non-empty list of them"})
    if len(data) > MAX_ITEMS:
        return _json(400, {"error": f"at most {MAX_ITEMS} items at once"})
    items: list[tuple[int, Incoming]] = []
    for index, item in enumerate(data):
        problem = _problem(item)
        if problem is not None:
            return _json(400, {"error": problem, "index": index})
        items.append(
            (
                index,
                Incoming(
                    project=item["project"],
                    kpi=item["kpi"],
                    value=item["value"],
                    label=item.get("label") or "",
                    at=item.get("at"),
                ),
            )
        )
    return items


def _problem(item: object) -> str | None:
    if not isinstance(item, dict):
        return "an item must be an object"
    unknown = sorted(set(item) - _FIELDS)
    if unknown:
        return f"unknown field(s): {', '.join(map(str, unknown))}"
    for name in ("project", "kpi"):
        if not isinstance(item.get(name), str) or not item[name].strip():
            return f"{name} must be a non-empty string"
    if "value" not in item:
        return "value is missing"
    for name in ("label", "at"):
        if item.get(name) is not None and not isinstance(item[name], str):
            return f"{name} must be a string"
    return None


Builder = Callable[[Database, Clock], KpiApi]


def build(db: Database, clock: Clock = wall_clock) -> KpiApi:
    return KpiApi(db, clock)
