"""`paceline kpi import FILE.csv`: KPI actuals from a BI system's export. Columns, with a header:
project,kpi,label,value,date (label and date may be left out). Every row is checked before one is
written, all in one transaction: a bad row is refused with its line number and what is wrong,
and nothing is imported."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from handlers.kpis import Incoming, RowError, record_actuals
from storage import queries
from storage.db import Database
from storage.models import Workspace

REQUIRED = ("project", "kpi", "value")
COLUMNS = (*REQUIRED, "label", "date")


class ImportError_(Exception):
    """What to print when the file (or the choice of workspace) cannot be imported."""


def read_rows(text: str) -> list[tuple[int, Incoming]]:
    """The file's rows as (line number, item); a header is required, blank lines skipped."""
    reader = csv.DictReader(io.StringIO(text))
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    if not header:
        raise ImportError_("the file is empty: its first line must be a header (project,kpi,value)")
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing or unknown:
        raise ImportError_(
            "line 1: the header must name the columns project,kpi,value (label and date optional)"
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; unknown: {', '.join(unknown)}" if unknown else "")
        )
    reader.fieldnames = header
    rows: list[tuple[int, Incoming]] = []
    for raw in reader:
        line = reader.line_num
        if None in raw:
            raise ImportError_(f"line {line}: more fields than the header has")
        values = {k: (v or "").strip() for k, v in raw.items()}
        if not any(values.values()):
            continue
        rows.append(
            (
                line,
                Incoming(
                    project=values.get("project", ""),
                    kpi=values.get("kpi", ""),
                    value=values.get("value", ""),
                    label=values.get("label", ""),
                    at=values.get("date") or None,
                ),
            )
        )
    return rows


def choose_workspace(db: Database, external_id: str | None, platform: str | None) -> Workspace:
    """The workspace named, or the only one there is."""
    with db.session() as s:
        found = [
            ws
            for ws in queries.workspaces(s)
            if (external_id is None or ws.external_id == external_id)
            and (platform is None or ws.platform == platform)
        ]
    if len(found) == 1:
        return found[0]
    if not found:
        raise ImportError_(
            "no such workspace" if external_id else "no workspace yet: the bot has met no one"
        )
    names = ", ".join(f"{ws.platform}:{ws.external_id}" for ws in found[:10])
    raise ImportError_(f"several workspaces ({names}): choose one with --workspace ID")


def import_file(
    db: Database,
    path: Path,
    now: datetime,
    *,
    workspace: str | None = None,
    platform: str | None = None,
    tz: str | None = None,
) -> int:
    """How many actuals were recorded; an ImportError_ (nothing written) when any row is bad."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise ImportError_(f"cannot read {path}: {err}") from None
    rows = read_rows(text)
    ws = choose_workspace(db, workspace, platform)
    try:
        with db.session() as s:
            return record_actuals(s, ws, rows, source="csv", now=now, zone=tz)
    except RowError as err:
        raise ImportError_(f"line {err.index}: {err.reason}; nothing imported") from None
