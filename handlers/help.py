"""`help`: every command in one list, or one command with its aliases."""

from __future__ import annotations

from handlers.context import Env
from handlers.grammar import VERBS, Command
from handlers.reply import Line, Reply


def help_(env: Env, cmd: Command) -> Reply:
    if cmd.text:
        aliases = " / ".join(VERBS[cmd.text])
        return Reply(
            env.t("help_title"),
            [
                Line(env.t(f"help_{cmd.text}")),
                Line(env.t("help_aliases", aliases=aliases)),
            ],
        )
    lines = [Line(env.t(f"help_{verb}")) for verb in VERBS]
    lines.append(Line(env.t("help_footer")))
    return Reply(env.t("help_title"), lines)
