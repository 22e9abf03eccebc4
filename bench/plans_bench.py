"""`project show` and `portfolio` on a big workspace: server time through the core's entry point.

    .venv/bin/python -m bench.plans_bench                      # SQLite, the full workspace
    .venv/bin/python -m bench.plans_bench --quick              # a tenth of it
    .venv/bin/python -m bench.plans_bench --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test

Setup (not measured): one console workspace, migrated by `storage.db.Database.open`, filled in
bulk (SQLAlchemy core `insert()` for the small tables; the driver's own `executemany` on SQLite
and `COPY` on PostgreSQL for the big ones): 200 plans (dates around `now`, a 20% buffer, 3
phases each), 100,000 tasks spread over them and over 20 channels (55% open, each in the phase
its due date falls in, 3% of the open ones blocked), and 20 KPIs (10 names × the labels
电商 / 线下, each split over the 3 phases) with 365 daily actuals each on the first plan (the
issue's figure); `--kpi-projects all` gives every plan its 20 — 1,460,000 `KpiActual`
rows (`--kpis-per-project`, `--actuals`). With `--postgres URL` a fresh database
`paceline_plans_bench` is made on that server and dropped after.

Measured: `handlers.dispatch.dispatch(text, ctx)`, what the console (and every door) calls for
a line of the grammar, timed around the call in this process (`time.perf_counter`), so it is the
server's time for the command without any network: `project show +<name>` for random plans,
every other one a plan with KPIs (`--runs`, default 200, after 10 warm-up runs), and
`portfolio` (`--portfolio-runs`, default 20). Printed: p50 / p95 / max, SQL statements per
command, and p95 as a ratio of the 100 ms target. Exit status 0 when every p95 is under
100 ms, 1 when not, 2 when the run could not be done."""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, event, insert, text
from sqlalchemy.engine import make_url

from bench.common import percentile
from handlers import Context, CoreConfig
from handlers.dispatch import dispatch
from storage.db import Database
from storage.models import Channel, Kpi, KpiSplit, Member, Phase, Project, Workspace

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
TODAY = date(2026, 11, 30)
TARGET_MS = 100.0
SEED = 20261203
BATCH = 20_000
WORKSPACE = "bench"
CONFIG = CoreConfig(default_tz="Asia/Shanghai", default_lang="zh")
PG_DATABASE = "paceline_plans_bench"
LABELS = ("电商", "线下")
KPI_NAMES = ("GMV", "订单", "新客", "复购", "客单价", "曝光", "点击", "转化", "直播观看", "加购")
OPEN = ("todo", "doing", "blocked")


@dataclass(frozen=True)
class Scale:
    projects: int = 200
    tasks: int = 100_000
    channels: int = 20
    kpis_per_project: int = 20
    actuals: int = 365
    # how many plans carry KPIs (the first ones): 1 is the figure, 20 KPIs x 365 actuals
    # in the workspace; None is every plan (4,000 KPIs, 1.46 million actuals)
    kpi_projects: int | None = 1


FULL = Scale()
QUICK = Scale(projects=20, tasks=10_000, channels=5)


@dataclass
class Shape:
    projects: int = 0
    phases: int = 0
    tasks: int = 0
    open: int = 0
    blocked: int = 0
    kpis: int = 0
    splits: int = 0
    actuals: int = 0
    seconds: float = 0.0


def channel_row(
    channel_id: int, workspace_id: int, external_id: str, tz: str, lang: str, created: datetime
) -> dict:
    """A channel as `Channel` stores it, with the default schedule (reminder 09:30 on weekdays,
    digest Monday 10:00) and no post target: the benchmarks' channels."""
    return dict(
        id=channel_id,
        workspace_id=workspace_id,
        external_id=external_id,
        name=f"campaign-{channel_id}",
        tz=tz,
        lang=lang,
        remind_time="09:30",
        remind_days="mon,tue,wed,thu,fri",
        digest_day="mon",
        digest_time="10:00",
        remind_all_clear=False,
        holidays=None,
        post_target=None,
        post_target_refused_at=None,
        post_target_refused_told=False,
        created_at=created,
    )


def plan_rows(
    rng: random.Random, project_ids: Iterable[int], today: date, created: datetime
) -> tuple[dict[int, dict], list[dict]]:
    """Each project as a plan (its `project` columns: dates, buffer, goal) and its three phases:
    plans that started 10-80 days before `today` and last 40-120 days."""
    plans: dict[int, dict] = {}
    phases: list[dict] = []
    for pid in project_ids:
        start = today - timedelta(days=rng.randint(10, 80))
        end = start + timedelta(days=rng.randint(40, 120))
        plans[pid] = dict(
            is_plan=True,
            goal="直播 GMV 500万",
            start_date=start,
            end_date=end,
            buffer_pct=20,
            status="open",
        )
        length = (end - start).days + 1
        cuts = [
            start,
            start + timedelta(days=length * 3 // 10),
            start + timedelta(days=length * 8 // 10),
        ]
        ends = [cuts[1] - timedelta(days=1), cuts[2] - timedelta(days=1), end]
        for name, first, last in zip(("预热期", "爆发期", "长尾期"), cuts, ends, strict=True):
            phases.append(
                dict(
                    project_id=pid,
                    name=name,
                    key=name,
                    start_date=first,
                    end_date=last,
                    owner_id=None,
                    deliverable=f"{name}交付",
                    created_at=created,
                    updated_at=created,
                )
            )
    return plans, phases


def kpi_rows(
    rng: random.Random, project_ids: Iterable[int], per_project: int, created: datetime
) -> list[dict]:
    rows = []
    for pid in project_ids:
        for k in range(per_project):
            name = KPI_NAMES[(k // len(LABELS)) % len(KPI_NAMES)] + (
                f"{k // (len(LABELS) * len(KPI_NAMES))}"
                if k >= len(LABELS) * len(KPI_NAMES)
                else ""
            )
            rows.append(
                dict(
                    project_id=pid,
                    name=name,
                    key=name.casefold(),
                    label=LABELS[k % len(LABELS)],
                    unit=None,
                    target=float(rng.randint(100, 5000) * 10_000),
                    phase_id=None,
                    remedy="追加直播投放预算" if k % 3 == 0 else None,
                    created_by_id=None,
                    created_at=created,
                    updated_at=created,
                )
            )
    return rows


def split_rows(kpis: list[tuple[int, int, float]], phases_of: dict[int, list[int]]) -> list[dict]:
    """(kpi id, project id, target): 10% / 70% / 20% over the plan's three phases."""
    rows = []
    for kpi_id, pid, target in kpis:
        for phase_id, share in zip(phases_of[pid], (0.1, 0.7, 0.2), strict=True):
            rows.append(dict(kpi_id=kpi_id, phase_id=phase_id, amount=target * share))
    return rows


def actual_rows(
    rng: random.Random, kpis: list[tuple[int, int, float]], days: int, now: datetime
) -> Iterator[tuple]:
    """A running total a day, the newest yesterday: (kpi_id, value, at, member_id, source)."""
    for kpi_id, _pid, target in kpis:
        pace = rng.uniform(0.5, 1.4) * target / max(days, 1) / 2
        total = 0.0
        for d in range(days, 0, -1):
            total += pace * rng.uniform(0.5, 1.5)
            yield (kpi_id, round(total, 2), now - timedelta(days=d), None, "csv")


def bulk(db: Database, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
    """Rows into a big table the fastest way each driver has: executemany on SQLite, COPY on
    PostgreSQL. Returns how many."""
    n = 0
    raw = db.engine.raw_connection()
    try:
        driver = raw.driver_connection
        if db.engine.dialect.name == "postgresql":
            copy_sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with driver.cursor() as cur, cur.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
        else:
            marks = ", ".join("?" for _ in columns)
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"

            def counted() -> Iterator[tuple]:
                nonlocal n
                for row in rows:
                    n += 1
                    yield tuple(v.isoformat(" ") if isinstance(v, datetime) else v for v in row)

            driver.executemany(sql, counted())
        raw.commit()
    finally:
        raw.close()
    return n


def _sqlite_moment(v: object) -> object:
    if isinstance(v, datetime):  # as SQLAlchemy stores them on SQLite: naive UTC
        return v.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(v, date):
        return v.isoformat()
    return v


def populate(db: Database, scale: Scale) -> Shape:
    rng = random.Random(SEED)
    started = time.perf_counter()
    shape = Shape()
    created = NOW - timedelta(days=400)
    with db.engine.begin() as conn:
        conn.execute(
            insert(Workspace.__table__),
            [
                dict(
                    id=1,
                    platform="console",
                    external_id=WORKSPACE,
                    name="Bench",
                    next_task_number=scale.tasks + 1,
                    created_at=created,
                )
            ],
        )
        members = [
            dict(
                id=m + 1,
                workspace_id=1,
                external_id=f"U{m:04d}",
                display_name=f"member{m}",
                name_key=f"member{m}",
                tz="Asia/Shanghai",
                role="admin" if m == 0 else ("manager" if m < 5 else "member"),
                created_at=created,
                updated_at=created,
            )
            for m in range(60)
        ]
        conn.execute(insert(Member.__table__), members)
        conn.execute(
            insert(Channel.__table__),
            [
                channel_row(
                    c + 1, 1, f"c{c + 1}", "Asia/Shanghai", "zh" if c % 3 else "en", created
                )
                for c in range(scale.channels)
            ],
        )
        ids = list(range(1, scale.projects + 1))
        plans, phases = plan_rows(rng, ids, TODAY, created)
        conn.execute(
            insert(Project.__table__),
            [
                dict(
                    id=pid,
                    workspace_id=1,
                    name=f"Plan-{pid:03d}",
                    key=f"plan-{pid:03d}",
                    created_at=created,
                    owner_id=rng.randint(1, 5),
                    **plans[pid],
                )
                for pid in ids
            ],
        )
        conn.execute(insert(Phase.__table__), phases)
        phase_rows = conn.execute(
            text(
                "SELECT id, project_id, start_date, end_date FROM phase"
                " ORDER BY project_id, start_date"
            )
        ).all()
        phases_of: dict[int, list[int]] = {}
        spans_of: dict[int, list[tuple[int, date, date]]] = {}
        for pid_, pid, first, last in [(r[0], r[1], r[2], r[3]) for r in phase_rows]:
            first = date.fromisoformat(first) if isinstance(first, str) else first
            last = date.fromisoformat(last) if isinstance(last, str) else last
            phases_of.setdefault(pid, []).append(pid_)
            spans_of.setdefault(pid, []).append((pid_, first, last))
        conn.execute(
            insert(Kpi.__table__),
            kpi_rows(rng, ids[: scale.kpi_projects], scale.kpis_per_project, created),
        )
        kpis = [
            (int(r[0]), int(r[1]), float(r[2]))
            for r in conn.execute(text("SELECT id, project_id, target FROM kpi ORDER BY id"))
        ]
        splits = split_rows(kpis, phases_of)
        for i in range(0, len(splits), BATCH):
            conn.execute(insert(KpiSplit.__table__), splits[i : i + BATCH])
    shape.projects, shape.phases, shape.kpis, shape.splits = (
        len(ids),
        len(phases),
        len(kpis),
        len(splits),
    )

    def tasks() -> Iterator[tuple]:
        for n in range(1, scale.tasks + 1):
            pid = rng.randint(1, scale.projects)
            plan = plans[pid]
            is_open = rng.random() < 0.55
            due = plan["start_date"] + timedelta(
                days=rng.randint(0, (plan["end_date"] - plan["start_date"]).days)
            )
            if is_open and rng.random() < 0.1:
                due = TODAY + timedelta(days=rng.randint(-10, 30))
            phase = next((p for p, a, b in spans_of[pid] if a <= due <= b), None)
            made = NOW - timedelta(days=rng.randint(1, 90), hours=rng.randint(0, 23))
            if is_open:
                shape.open += 1
                status = "blocked" if rng.random() < 0.03 else rng.choice(("todo", "doing"))
                shape.blocked += status == "blocked"
                closed = None
            else:
                status = "done" if rng.random() < 0.9 else "cancelled"
                closed = made + timedelta(days=rng.randint(1, 20))
            yield (
                1,
                n,
                f"任务 {n}",
                rng.randint(1, scale.channels),
                rng.randint(1, 60),
                rng.randint(1, 60),
                pid,
                phase,
                None,
                due,
                status,
                rng.randrange(0, 100, 10) if status != "done" else 100,
                made,
                made,
                closed,
            )

    task_cols = (
        "workspace_id",
        "number",
        "title",
        "channel_id",
        "assignee_id",
        "creator_id",
        "project_id",
        "phase_id",
        "start_date",
        "due_date",
        "status",
        "progress",
        "created_at",
        "updated_at",
        "closed_at",
    )
    shape.tasks = bulk(db, "task", task_cols, prepared(db, tasks()))
    blocked = []
    with db.engine.connect() as conn:
        for (task_id,) in conn.execute(text("SELECT id FROM task WHERE status = 'blocked'")):
            blocked.append(
                (
                    task_id,
                    "供应商延期",
                    "external",
                    1,
                    NOW - timedelta(days=rng.randint(0, 9)),
                    None,
                    None,
                    None,
                )
            )
    bulk(
        db,
        "blocker",
        (
            "task_id",
            "reason",
            "cause",
            "reported_by_id",
            "reported_at",
            "resolved_by_id",
            "resolved_at",
            "note",
        ),
        prepared(db, blocked),
    )
    shape.actuals = bulk(
        db,
        "kpi_actual",
        ("kpi_id", "value", "at", "member_id", "source"),
        prepared(db, actual_rows(rng, kpis, scale.actuals, NOW)),
    )
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))
        else:
            conn.execute(text("ANALYZE"))
    shape.seconds = time.perf_counter() - started
    return shape


def prepared(db: Database, rows: Iterable[tuple]) -> Iterator[tuple]:
    if db.engine.dialect.name == "postgresql":
        yield from rows
    else:
        for row in rows:
            yield tuple(_sqlite_moment(v) for v in row)


# --- measuring ------------------------------------------------------------------------------


@dataclass
class Figures:
    name: str
    times_ms: list[float] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)

    def p(self, q: float) -> float:
        return percentile(self.times_ms, q)

    @property
    def ok(self) -> bool:
        return self.p(95) < TARGET_MS


def measure(
    db: Database, name: str, texts: Callable[[int], str], runs: int, warmup: int
) -> Figures:
    counted = [0]

    def count(*_args) -> None:
        counted[0] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    figures = Figures(name)
    try:
        for i in range(warmup + runs):
            ctx = Context(
                db=db,
                platform="console",
                workspace=WORKSPACE,
                channel=f"c{i % 3 + 1}",
                user="U0000",
                user_name="member0",
                is_admin=True,
                now=NOW,
                config=CONFIG,
            )
            line = texts(i)
            counted[0] = 0
            start = time.perf_counter()
            reply = dispatch(line, ctx)
            took = (time.perf_counter() - start) * 1000
            if reply.error:
                said = reply.lines[0].text if reply.lines else reply.title
                raise RuntimeError(f"{line!r} answered an error: {said}")
            if i >= warmup:
                figures.times_ms.append(took)
                figures.statements.append(counted[0])
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return figures


def run_on(
    url: str, scale: Scale, runs: int, portfolio_runs: int
) -> tuple[Shape, list[Figures | str]]:
    from handlers.verbs import BY_NAME

    db = Database.open(url)
    try:
        shape = populate(db, scale)
        if db.engine.dialect.name == "postgresql":
            # as autovacuum leaves a table after a bulk load: visibility map and statistics
            # set, so index-only scans stay index-only
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        rng = random.Random(SEED + 1)
        # every other run a plan with KPIs, when only some have them
        with_kpis = scale.kpi_projects or scale.projects
        picks = [rng.randint(1, with_kpis if i % 2 else scale.projects) for i in range(runs + 10)]
        out: list[Figures | str] = [
            measure(db, "project show +x", lambda i: f"project show +Plan-{picks[i]:03d}", runs, 10)
        ]
        if "portfolio" in BY_NAME:
            out.append(measure(db, "portfolio", lambda i: "portfolio", portfolio_runs, 2))
        else:
            out.append("portfolio: not available")
        return shape, out
    finally:
        db.dispose()


def report(database: str, shape: Shape, results: list[Figures | str]) -> list[str]:
    lines = [
        f"{database}: {shape.projects} plans, {shape.phases} phases, {shape.tasks:,} tasks "
        f"({shape.open:,} open, {shape.blocked} blocked), {shape.kpis:,} KPIs, {shape.splits:,} "
        f"splits, {shape.actuals:,} actuals; setup {shape.seconds:.0f} s",
        "",
        "| command | runs | p50 ms | p95 ms | max ms | SQL statements | p95 ÷ 100 ms | |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        if isinstance(r, str):
            lines.append(f"| {r} | | | | | | | |")
            continue
        st = sorted(r.statements)
        lines.append(
            f"| `{r.name}` | {len(r.times_ms)} | {r.p(50):.1f} | {r.p(95):.1f} | "
            f"{max(r.times_ms):.1f} | {st[len(st) // 2]} | {r.p(95) / TARGET_MS:.2f} | "
            f"{'✅' if r.ok else '❌'} |"
        )
    return lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.plans_bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="a tenth of the workspace")
    parser.add_argument("--postgres", metavar="URL", help="also run on this PostgreSQL server")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--portfolio-runs", type=int, default=20)
    parser.add_argument("--kpis-per-project", type=int, default=None)
    parser.add_argument("--actuals", type=int, default=None)
    parser.add_argument(
        "--kpi-projects",
        default="1",
        help="how many plans carry KPIs: 1 (default, the issue's 20 KPIs) or `all`",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    scale = QUICK if args.quick else FULL
    scale = Scale(
        scale.projects,
        scale.tasks,
        scale.channels,
        args.kpis_per_project if args.kpis_per_project is not None else scale.kpis_per_project,
        args.actuals if args.actuals is not None else scale.actuals,
        None if args.kpi_projects == "all" else int(args.kpi_projects),
    )
    ok = True
    try:
        if not args.no_sqlite:
            with tempfile.TemporaryDirectory(prefix="paceline-plans-") as tmp:
                url = f"sqlite:///{Path(tmp) / 'plans.db'}"
                shape, results = run_on(url, scale, args.runs, args.portfolio_runs)
                print("\n".join(report("SQLite", shape, results)), flush=True)
                ok &= all(r.ok for r in results if isinstance(r, Figures))
        if args.postgres:
            base = make_url(args.postgres)
            admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
            try:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))
                    conn.execute(text(f'CREATE DATABASE "{PG_DATABASE}"'))
                url = base.set(database=PG_DATABASE).render_as_string(hide_password=False)
                shape, results = run_on(url, scale, args.runs, args.portfolio_runs)
                print("\n" + "\n".join(report("PostgreSQL", shape, results)), flush=True)
                ok &= all(r.ok for r in results if isinstance(r, Figures))
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))
                admin.dispose()
    except Exception as err:  # the run itself failed
        print(f"plans_bench: could not run: {err!r}", file=sys.stderr)
        raise
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
