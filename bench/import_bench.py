"""`paceline import FILE.xlsx --apply` of a team's 5,000-row task sheet, end to end.

    .venv/bin/python -m bench.import_bench              # 5,000 rows, 3 runs
    .venv/bin/python -m bench.import_bench --rows 1000 --runs 1

Setup (not measured): a fresh migrated SQLite database per run, and an .xlsx with Chinese
headers (任务, 负责人, 开始, 截止日期, 状态, 进度, 项目): 50 owners, 10 projects, real Excel
dates, statuses spread over 待办 / 进行中 / 阻塞 / 完成, progress as "NN%".

Measured (`time.perf_counter`, in process): reading the workbook and running every row through
the core in one transaction (`bot.excel.read_table` + `import_rows(apply=True)`), as the
command does. Printed: each run's seconds, the worst, and its ratio to the 10 s target. Exit
status 0 when the worst run is under the target."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook

from bot import excel
from handlers import CoreConfig
from storage.db import Database, make_engine, upgrade

TARGET_S = 10.0
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
STATUSES = ("待办", "进行中", "进行中", "阻塞", "完成")


def make_sheet(path: Path, rows: int) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("任务")
    sheet.append(["任务", "负责人", "开始", "截止日期", "状态", "进度", "项目"])
    first = datetime(2026, 11, 1)
    for i in range(rows):
        status = STATUSES[i % len(STATUSES)]
        progress = {"待办": "", "完成": "100%"}.get(status, f"{(i * 7) % 95 + 1}%")
        start = first + timedelta(days=i % 20)
        sheet.append(
            [
                f"任务 {i + 1}：物料准备第 {i % 37} 批",
                f"同事{i % 50}",
                start,
                start + timedelta(days=3 + i % 10),
                status,
                progress,
                f"项目{i % 10}",
            ]
        )
    book.save(path)


def run_once(folder: Path, sheet: Path) -> tuple[float, int]:
    db_path = folder / f"bench-{time.monotonic_ns()}.db"
    engine = make_engine(f"sqlite:///{db_path}")
    upgrade(engine)
    db = Database(engine)
    config = CoreConfig(default_tz="Asia/Shanghai", default_lang="zh")
    began = time.perf_counter()
    outcome = excel.import_rows(
        db,
        excel.read_table(sheet),
        workspace="console",
        channel="ops",
        user="bench",
        config=config,
        now=NOW,
        apply=True,
    )
    took = time.perf_counter() - began
    db.dispose()
    if outcome.bad or not outcome.applied:
        raise SystemExit(f"the import refused rows: {outcome.bad[:3]}")
    return took, len(outcome.made)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.import_bench", description=__doc__)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sheet = folder / "team.xlsx"
        make_sheet(sheet, args.rows)
        times = []
        for run in range(args.runs):
            took, made = run_once(folder, sheet)
            times.append(took)
            print(f"run {run + 1}: {made} tasks imported in {took:.2f} s")
    worst = max(times)
    ok = worst < TARGET_S
    print(
        f"{args.rows} rows: worst {worst:.2f} s, best {min(times):.2f} s; "
        f"{worst / TARGET_S:.2f} of the {TARGET_S:.0f} s target {'✅' if ok else '❌'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
