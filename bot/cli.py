"""`paceline` on the command line: console, demo, serve and db."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import datetime

from pydantic import ValidationError

from bot.settings import Settings, get_settings
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
    serve.add_argument("--host", default="0.0.0.0")
    serve.add_argument("--db", help="database URL")
    serve.set_defaults(run=_serve)

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
    )
    return run(bot)


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from bot.demo import run_demo

    print(run_demo(args.path, lang=args.lang, now=args.now, config=settings.core()))
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.web import serve

    return serve(settings, host=args.host, port=args.port)


def _db(args: argparse.Namespace, settings: Settings) -> int:
    engine = storage_db.make_engine(settings.database_url)
    if args.action == "upgrade":
        storage_db.upgrade(engine)
    print(f"database at revision {storage_db.current_revision(engine)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
