"""The one entry point of the core: text and a Context in, a Reply out.

Each command runs in one transaction. A `UserError` undoes everything it did (even the first
sighting of a channel or member) and answers what was expected instead."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.exc import OperationalError

from handlers import schedule, tasks
from handlers.context import PLANNERS, Context, Env
from handlers.errors import UserError
from handlers.grammar import Command, validate
from handlers.messages import t
from handlers.reply import Line, Reply, from_json, to_json
from handlers.verbs import BY_NAME, parse, verb_word
from storage import queries
from storage.models import Role

log = logging.getLogger(__name__)


def dispatch(text: str, ctx: Context) -> Reply:
    """Parse a line of the grammar and run it."""
    return _answer(_run(ctx, lambda env: parse(text, env.today), text, said=text))


def run(command: Command, ctx: Context) -> Reply:
    """Run a command a door built itself (a modal's fields), skipping the text grammar."""
    return _answer(_run(ctx, lambda env: validate(command), command.verb))


def my_tasks(ctx: Context) -> Reply:
    """The speaker's open tasks across the workspace, worst light first (an App Home tab)."""
    return _answer(_run(ctx, lambda env: Command("home"), "home", handler=tasks.my_tasks))


def report(kind: str, ctx: Context) -> Reply | None:
    """A channel's scheduled post of `kind` built now (None when there is nothing to post).
    Reads only; the scheduler calls it with the bot itself as the speaker."""
    build = schedule.BY_NAME[kind].build
    return _run(ctx, lambda env: Command(kind), kind, handler=lambda env, _cmd: build(env))


Handler = Callable[[Env, Command], Reply | None]


def _answer(reply: Reply | None) -> Reply:
    if reply is None:  # only a scheduled post may be nothing
        raise ValueError("a command answered nothing")
    return reply


def _run(
    ctx: Context,
    make: Callable[[Env], Command],
    what: str,
    handler: Handler | None = None,
    said: str | None = None,
) -> Reply | None:
    try:
        return _attempt(ctx, make, what, handler, said=said)
    except OperationalError as err:
        if not _worth_again(err):
            raise
        log.warning("database busy (%s), running %r once more", _why(err), str(what)[:80])
        return _attempt(ctx, make, what, handler, last=True, said=said)


# PostgreSQL's codes for a transaction it ended to break a deadlock or a serialization conflict.
_ROLLED_BACK = {"40P01": "deadlock", "40001": "serialization conflict"}


def _worth_again(err: OperationalError) -> bool:
    """SQLite's write lock not had within the busy timeout (taken before the first statement),
    or PostgreSQL rolling the transaction back (_ROLLED_BACK): nothing of the command was kept,
    so it may safely run again."""
    return "locked" in str(err) or getattr(err.orig, "sqlstate", None) in _ROLLED_BACK


def _why(err: OperationalError) -> str:
    return _ROLLED_BACK.get(getattr(err.orig, "sqlstate", None) or "", "locked")


def _attempt(
    ctx: Context,
    make: Callable[[Env], Command],
    what: str,
    handler: Handler | None = None,
    last: bool = False,
    said: str | None = None,
) -> Reply | None:
    lang, tz = ctx.config.default_lang, ctx.config.default_tz
    try:
        with ctx.db.session() as s:
            env = Env.load(s, ctx, said=said)
            lang, tz = env.lang, env.zone.key
            delivery = f"applied:{ctx.delivery}" if ctx.delivery else None
            if delivery is not None:
                first, kept = queries.apply_once(s, ctx.platform, delivery, env.now)
                if not first and kept is not None:  # a replayed request: its answer again
                    return from_json(kept)
            command = make(env)
            if handler is None:
                verb = BY_NAME[command.verb]
                if not verb.allows(env.me.role, command):
                    refusal = "verb_not_allowed"
                    if env.me.role == Role.VIEWER:
                        refusal = "viewer_not_allowed"
                    elif verb.roles_for(command) == PLANNERS:
                        refusal = "plan_not_allowed"
                    word = verb_word(env.lang, command.verb)  # as the channel's language says it
                    raise UserError(refusal, verb=word)
                answer = verb.run(env, command)
                answer.public = verb.announces(command)
                if (greeting := env.first_words(command.verb)) is not None:
                    answer.lines.append(Line(greeting))
                made = {"task": env.made} if env.made is not None else {}
                answer.lines.extend(
                    Line(env.t(n.key, **{**made, **dict(n.params)})) for n in command.notes
                )
            else:
                maybe = handler(env, command)
                if maybe is None:
                    return None
                answer = maybe
            answer.tz = tz
            if handler is None:  # someone spoke in the channel (not the scheduler)
                schedule.tell_stopped_posts(env, answer)
                queries.touch_member(env.me, env.now)  # the digest's "quiet" reads this
            if delivery is not None:  # with the change it answers, in one transaction
                kept_answer = answer
                if answer.secret:  # a secret is shown once: a replay gets a line saying so
                    line = Line(env.t("secret_shown_once"))
                    kept_answer = Reply(answer.title, [line], tz=tz, secret=True)
                queries.keep_reply(s, ctx.platform, delivery, to_json(kept_answer))
            return answer
    except UserError as err:
        line = Line(t(lang, err.key, **err.params))
        return Reply(t(lang, "error_title"), [line], error=True, tz=tz)
    except OperationalError as err:
        if _worth_again(err) and not last:
            raise
        log.exception("command failed: %r", str(what)[:200])
        return Reply(t(lang, "error_title"), [Line(t(lang, "internal_error"))], error=True, tz=tz)
    except Exception:
        log.exception("command failed: %r", str(what)[:200])
        return Reply(t(lang, "error_title"), [Line(t(lang, "internal_error"))], error=True, tz=tz)
