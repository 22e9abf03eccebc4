"""The one entry point of the core: text and a Context in, a Reply out.

Each command runs in one transaction. A `UserError` undoes everything it did (even the first
sighting of a channel or member) and answers what was expected instead."""

from __future__ import annotations

import logging

from handlers import blockers, channel_settings, help, tasks
from handlers.context import Context, Env
from handlers.errors import UserError
from handlers.grammar import parse
from handlers.messages import t
from handlers.reply import Line, Reply

log = logging.getLogger(__name__)

HANDLERS = {
    "add": tasks.add,
    "list": tasks.list_,
    "show": tasks.show,
    "start": tasks.start,
    "done": tasks.done,
    "cancel": tasks.cancel,
    "reopen": tasks.reopen,
    "progress": tasks.progress,
    "assign": tasks.assign,
    "due": tasks.due,
    "snooze": tasks.snooze,
    "block": blockers.block,
    "unblock": blockers.unblock,
    "settings": channel_settings.settings,
    "help": help.help_,
}


def dispatch(text: str, ctx: Context) -> Reply:
    lang = ctx.config.default_lang
    try:
        with ctx.db.session() as s:
            env = Env.load(s, ctx)
            lang = env.lang
            command = parse(text, env.today)
            return HANDLERS[command.verb](env, command)
    except UserError as err:
        return Reply(t(lang, "error_title"), [Line(t(lang, err.key, **err.params))], error=True)
    except Exception:
        log.exception("command failed: %r", text[:200])
        return Reply(t(lang, "error_title"), [Line(t(lang, "internal_error"))], error=True)
