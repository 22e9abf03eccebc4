"""`paceline` on the command line: console, demo, serve, kpi import, export, import and db."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import datetime

from pydantic import ValidationError

from bot import logs
from bot.settings import Settings, get_settings
from handlers import schedule
from storage import db as storage_db

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = get_settings(**({"database_url": args.db} if getattr(args, "db", None) else {}))
    except ValidationError as err:
        print(f"paceline: bad setting: {err}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level, format=LOG_FORMAT)
    logs.install(settings.secret_values())  # no secret in any log line, at any level
    if settings.log_level != "DEBUG":
        logging.getLogger("alembic").setLevel(logging.WARNING)
    return args.run(args, settings)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="paceline",
        description="Operations progress bot for Slack, WeCom and the console.",
    )
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    console = sub.add_parser("console", help="chat with the bot in the terminal (no credentials)")
    console.add_argument("--user", default="me", help="who is speaking (default: me)")
    console.add_argument("--channel", default="general", help="the channel's name")
    console.add_argument("--workspace", default="console", help="the workspace's name")
    console.add_argument(
        "--admin",
        action="append",
        metavar="NAME",
        help="a member with admin rights (default: the --user); repeatable",
    )
    console.add_argument("--now", type=_aware, help="pin the clock (ISO 8601 with offset)")
    console.add_argument(
        "--db", help="database URL (default: DATABASE_URL or sqlite:///paceline.db)"
    )
    console.set_defaults(run=_console)

    demo = sub.add_parser(
        "demo", help="a fresh Double-11 campaign on SQLite, and what the team sees"
    )
    demo.add_argument("--path", default="paceline-demo.db", help="the SQLite file to (re)create")
    demo.add_argument("--lang", choices=["zh", "en"], default="zh")
    demo.add_argument("--now", type=_aware, help="pin the clock (ISO 8601 with offset)")
    demo.set_defaults(run=_demo)

    serve = sub.add_parser("serve", help="run the web server (GET /healthz)")
    serve.add_argument("--port", type=int, help="port (default: $PORT or 3000)")
    serve.add_argument("--host", help="address to listen on (default: $HOST or 0.0.0.0)")
    serve.add_argument("--db", help="database URL")
    serve.set_defaults(run=_serve)

    for kind in schedule.KINDS:
        about = f"post {kind.about} now where it is due (exactly once)"
        job = sub.add_parser(kind.name, help=about)
        job.add_argument("--channel", help="only this channel (its platform id)")
        job.add_argument("--dry-run", action="store_true", help="print instead of posting")
        job.add_argument(
            "--force", action="store_true", help="post again even if this period's post went out"
        )
        job.add_argument("--now", type=_aware, help="pin the clock (ISO 8601 with offset)")
        job.add_argument("--db", help="database URL")
        job.set_defaults(run=_job, kind=kind.name)

    outbox = sub.add_parser(
        "outbox", help="list scheduled posts that are pending or failed, and stopped channels"
    )
    outbox.add_argument("--all", action="store_true", help="sent and skipped ones too")
    outbox.add_argument("--db", help="database URL")
    outbox.set_defaults(run=_outbox)

    kpi = sub.add_parser("kpi", help="KPI actuals from a file")
    kpi_sub = kpi.add_subparsers(required=True, metavar="ACTION")
    kpi_import = kpi_sub.add_parser(
        "import",
        help="record KPI actuals from a CSV file (columns: project,kpi,label,value,date)",
    )
    kpi_import.add_argument("file", help="the CSV file, with a header")
    kpi_import.add_argument(
        "--workspace", help="the workspace's platform id (needed when there are several)"
    )
    kpi_import.add_argument("--platform", help="the workspace's platform (slack, wecom, console)")
    kpi_import.add_argument(
        "--tz", help="the zone a date without a time is read in (default: the workspace's)"
    )
    kpi_import.add_argument("--now", type=_aware, help="pin the clock (ISO 8601 with offset)")
    kpi_import.add_argument("--db", help="database URL")
    kpi_import.set_defaults(run=_kpi_import)

    export = sub.add_parser(
        "export", help="a project's tasks, KPIs and blockers to an xlsx (one sheet each) or csv"
    )
    export.add_argument("project", help="the project, e.g. +双11大促")
    export.add_argument(
        "--format", choices=["xlsx", "csv"], default="xlsx", help="csv: the tasks sheet alone"
    )
    export.add_argument("--output", help="the file to write (default: from the project's name)")
    export.add_argument(
        "--workspace", help="the workspace's platform id (needed when there are several)"
    )
    export.add_argument("--platform", help="the workspace's platform (slack, wecom, console)")
    export.add_argument("--now", type=_aware, help="pin the clock (ISO 8601 with offset)")
    export.add_argument("--db", help="database URL")
    export.set_defaults(run=_export)

    sheet_import = sub.add_parser(
        "import",
        help="a team's task sheet (xlsx or csv; headers 任务/title, 负责人/owner, 截止日期/due, "
        "状态/status, 进度/progress …) into a console channel; a dry run unless --apply",
    )
    sheet_import.add_argument("file", help="the .xlsx or .csv file, with a header row")
    sheet_import.add_argument("--channel", required=True, help="the channel's name")
    sheet_import.add_argument("--project", help="the project of rows that name none")
    sheet_import.add_argument(
        "--apply", action="store_true", help="create the tasks (all rows, or none)"
    )
    sheet_import.add_argument("--workspace", default="console", help="the workspace's name")
    sheet_import.add_argument(
        "--user", default="me", help="who adds the tasks (default: me, as the console)"
    )
    sheet_import.add_argument("--now", type=_aware, help="pin the clock (ISO 8601 with offset)")
    sheet_import.add_argument("--db", help="database URL")
    sheet_import.set_defaults(run=_sheet_import)

    database = sub.add_parser("db", help="database migrations")
    database.add_argument("action", choices=["upgrade", "current"])
    database.add_argument("--db", help="database URL")
    database.set_defaults(run=_db)
    return parser


def _aware(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("give a zone offset, e.g. 2026-11-26T09:00+08:00")
    return moment


def _console(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import ConsoleBot, run

    db = storage_db.Database.open(settings.database_url)
    bot = ConsoleBot(
        db,
        settings.core(),
        workspace=args.workspace,
        channel=args.channel,
        user=args.user,
        admins=args.admin,
        now=args.now,
        pictures_dir=settings.pictures_path(),
    )
    return run(bot)


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console.demo import run_demo

    print(run_demo(args.path, lang=args.lang, now=args.now, config=settings.core()))
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.web import serve

    return serve(settings, host=args.host, port=args.port)


def _job(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import UTC

    from bot.delivery import Delivery, Patience
    from bot.doors import configured_doors, posters

    db = storage_db.Database.open(settings.database_url)
    # Run from cron, nothing retries before the next run (tomorrow's, for a reminder): this run
    # waits out rate limits and server errors itself, within Patience's bound, and fails loudly
    # if a post is still pending after that.
    delivery = Delivery(
        db,
        settings.core(),
        posters(configured_doors(settings, db), settings.pictures_path()),
        workers=settings.post_workers,
        patience=Patience(),
    )
    now = args.now or datetime.now(UTC)
    if args.force and not args.channel:
        print("paceline: --force needs --channel (it posts again on purpose)", file=sys.stderr)
        return 2
    # Posts an earlier run left halfway (an error, a killed process) go on first: without the
    # scheduler (when cron runs these commands) nothing else would pick them up.
    outcomes = [] if args.dry_run else delivery.retry_due(now)
    outcomes += delivery.run(
        args.kind, now, channel=args.channel, dry_run=args.dry_run, force=args.force
    )
    for o in outcomes:
        print(
            f"{o.kind} {o.channel} {o.period}: {o.result}"
            + (f" ({o.error})" if o.error else "")
            + (f" — {o.why}" if o.why else "")
        )
    if not outcomes and args.dry_run:
        known = " by that id" if args.channel else ""
        print(f"dry run: no channel is known{known}; nothing written")
    elif not outcomes:
        print(
            f"no channel has its {args.kind} due at {now.isoformat()} "
            "(use --force --channel ID to post anyway)"
        )
    unsent = [o for o in outcomes if o.result in ("retry", "failed")]
    for o in unsent:
        what = f"{o.kind} for {o.channel} ({o.period})"
        if o.result == "retry":
            print(
                f"paceline: {what} is still pending: {o.error}; the next run tries it again "
                "(`paceline outbox` lists it)",
                file=sys.stderr,
            )
        else:
            print(f"paceline: {what} failed: {o.error}", file=sys.stderr)
    return 1 if unsent else 0


def _outbox(args: argparse.Namespace, settings: Settings) -> int:
    from storage import queries

    db = storage_db.Database.open(settings.database_url)
    with db.session() as s:
        rows = queries.outbox_rows(s, None if args.all else ("pending", "failed"))
        lines = [
            f"{row.id:>6}  {row.status:<8} {row.kind:<6} {row.period:<22} "
            f"#{channel.name or channel.external_id}  tries {row.attempts}"
            + (f"  next {row.next_attempt_at:%Y-%m-%d %H:%M}Z" if row.next_attempt_at else "")
            + (f"  — {row.last_error}" if row.last_error else "")
            for row, channel in rows
        ]
        lines += [
            f"posts to #{channel.name or channel.external_id} stopped since "
            f"{channel.posts_stopped_at:%Y-%m-%d %H:%M}Z — {channel.posts_stopped_why}"
            for channel in queries.stopped_channels(s)
        ]
    print(
        "\n".join(lines)
        if lines
        else "the outbox is empty"
        if args.all
        else "nothing pending or failed"
    )
    return 0


def _kpi_import(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import UTC
    from pathlib import Path
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from bot.kpi_import import ImportError_, import_file

    if args.tz:
        try:
            ZoneInfo(args.tz)
        except (ZoneInfoNotFoundError, ValueError):
            print(f"paceline: unknown zone {args.tz!r}", file=sys.stderr)
            return 2
    db = storage_db.Database.open(settings.database_url)
    try:
        count = import_file(
            db,
            Path(args.file),
            args.now or datetime.now(UTC),
            workspace=args.workspace,
            platform=args.platform,
            tz=args.tz,
        )
    except ImportError_ as err:
        print(f"paceline: {args.file}: {err}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    print(f"recorded {count} KPI actual(s) from {args.file}")
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import UTC
    from pathlib import Path

    from bot import excel

    db = storage_db.Database.open(settings.database_url)
    try:
        ws = excel.choose_workspace(db, args.workspace, args.platform)
        name, sheets, lang = excel.read_project(
            db, ws, args.project.lstrip("+"), settings.core(), args.now or datetime.now(UTC)
        )
        path = Path(args.output or excel.default_name(name, args.format))
        if args.format == "xlsx":
            excel.write_xlsx(sheets, path, lang)
        else:
            excel.write_csv(sheets, path)
    except excel.SheetError as err:
        print(f"paceline: export: {err}", file=sys.stderr)
        return 1
    except OSError as err:
        print(f"paceline: export: cannot write: {err}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    print(path.resolve())
    return 0


def _sheet_import(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import UTC
    from pathlib import Path

    from bot import excel

    db = storage_db.Database.open(settings.database_url)
    try:
        table = excel.read_table(Path(args.file))
        outcome = excel.import_rows(
            db,
            table,
            workspace=args.workspace,
            channel=args.channel.lstrip("#"),
            user=args.user.lstrip("@"),
            config=settings.core(),
            now=args.now or datetime.now(UTC),
            project=args.project.lstrip("+") if args.project else None,
            apply=args.apply,
        )
    except excel.SheetError as err:
        print(f"paceline: {args.file}: {err}; nothing imported", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    print(excel.summary(outcome, args.channel.lstrip("#")))
    return 1 if outcome.bad else 0


def _db(args: argparse.Namespace, settings: Settings) -> int:
    engine = storage_db.make_engine(settings.database_url)
    if args.action == "upgrade":
        storage_db.upgrade(engine)
    print(f"database at revision {storage_db.current_revision(engine)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
