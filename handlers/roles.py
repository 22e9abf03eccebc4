"""Who is what in a workspace: `role` shows one person's role or (for an admin) sets it, `roles`
lists everyone who is not a plain member.

An admin is either the platform's (it says so on every message, and takes it back) or made in
the bot with `role @x admin`. The platform's admins are changed on the platform, not here; and
the last admin of a workspace cannot step down, or no one could set roles again."""

from __future__ import annotations

import logging

from handlers.context import ADMINS, Env
from handlers.errors import UserError
from handlers.grammar import Command
from handlers.reply import Line, Reply
from storage import queries
from storage.models import Member, Role

log = logging.getLogger(__name__)

_SHOWN = (Role.ADMIN, Role.MANAGER, Role.VIEWER)  # `roles` lists these; everyone else is a member


def role_name(env: Env, role: Role | str) -> str:
    return env.t(f"role_{Role(role).value}")


def role(env: Env, cmd: Command) -> Reply:
    if not cmd.text:
        member = env.known_person(cmd.people[0])
        return Reply(env.t("role_title"), [Line(_is(env, member))], people=env.people)
    if env.me.role not in ADMINS:
        raise UserError("role_admin_only")
    member, is_new = env.person(cmd.people[0])
    new = Role(cmd.text)
    if member.role == new:
        return Reply(env.t("role_title"), [Line(_is(env, member))], people=env.people)
    if member.platform_admin and new != Role.ADMIN:
        raise UserError("role_platform_admin", who=member.display_name)
    if (
        member.role == Role.ADMIN
        and len(queries.members_in_roles(env.s, env.ws, (Role.ADMIN,))) < 2
    ):
        raise UserError("role_last_admin")
    was = member.role
    queries.set_role(member, new, env.now)
    log.info(
        "role of member %s in workspace %s: %s → %s (by member %s)",
        member.id,
        env.ws.id,
        was,
        new,
        env.me.id,
    )
    line = env.t("role_set", who=env.who(member), role=role_name(env, new), was=role_name(env, was))
    reply = Reply(env.t("role_title"), [Line(line)], people=env.people)
    if is_new:
        reply.lines.append(Line(env.t("new_member", who=env.who(member))))
    return reply


def roles(env: Env, cmd: Command) -> Reply:
    members = queries.members_in_roles(env.s, env.ws, _SHOWN)
    lines = []
    for shown in _SHOWN:
        named = [env.who(m) for m in members if m.role == shown]
        if named:
            lines.append(
                Line(env.t("roles_line", role=role_name(env, shown), who=", ".join(named)))
            )
    lines.append(Line(env.t("roles_rest")))
    return Reply(env.t("roles_title"), lines, people=env.people)


def _is(env: Env, member: Member) -> str:
    key = "role_is_platform" if member.platform_admin and member.role == Role.ADMIN else "role_is"
    return env.t(key, who=env.who(member), role=role_name(env, member.role))
