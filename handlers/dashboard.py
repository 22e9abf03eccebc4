"""`dashboard` / `仪表盘`: a personal, signed link to the read-only dashboard `paceline serve`
serves (bot/dashboard/), and the link's signing and checking.

A link carries who asked and what they may see: the workspace, the member, their role, their
language, the channel whose zone the pages read dates in, and when it expires, signed with
HMAC-SHA256 under a key the installation keeps in the `site_secret` table (made on first use).
Everything in it is checked again when a page is opened: the signature, the expiry, the
workspace still having the dashboard on, the member still being there, and the role used is
the lower of the link's and the member's current one."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from handlers.context import PLANNERS, Env
from handlers.errors import UserError
from handlers.grammar import Command
from handlers.reply import Line, Reply, moment
from storage import queries
from storage.models import Role

SECRET_NAME = "dashboard"
PATH = "/dashboard"
VERSION = "1"
# Who sees more: the role a page is read with is the lower of the link's and the member's now.
RANK = {Role.VIEWER: 0, Role.MEMBER: 1, Role.MANAGER: 2, Role.ADMIN: 3}
_LANGS = frozenset({"en", "zh"})
_TOKEN = re.compile(r"^[0-9A-Za-z._-]{1,300}$")


@dataclass(frozen=True)
class Claims:
    """What a link says: who asked (in which workspace, as which role, reading which language)
    and the channel whose zone its pages use, until when (UTC)."""

    workspace_id: int
    member_id: int
    role: Role
    lang: str
    channel_id: int
    expires: datetime

    def text(self) -> str:
        fields = (
            VERSION,
            self.workspace_id,
            self.member_id,
            self.role.value,
            self.lang,
            self.channel_id,
            int(self.expires.timestamp()),
        )
        return ".".join(str(f) for f in fields)


def _signature(secret: str, text: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), text.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def sign(secret: str, claims: Claims) -> str:
    """The link's token: its claims in the clear (nothing in them is a secret), then their
    signature."""
    text = claims.text()
    return f"{text}.{_signature(secret, text)}"


def verify(secret: str, token: str, now: datetime) -> Claims | None:
    """The claims of a token signed with `secret` that has not expired at `now`; None for
    anything else (forged, altered, truncated, expired, of another version)."""
    if not _TOKEN.match(token):
        return None
    text, _, signature = token.rpartition(".")
    if not hmac.compare_digest(_signature(secret, text), signature):
        return None
    parts = text.split(".")
    if len(parts) != 7 or parts[0] != VERSION:
        return None
    _, ws, member, role, lang, channel, expires = parts
    try:
        claims = Claims(
            int(ws),
            int(member),
            Role(role),
            lang,
            int(channel),
            datetime.fromtimestamp(int(expires), UTC),
        )
    except ValueError:
        return None
    if lang not in _LANGS or now.astimezone(UTC) >= claims.expires:
        return None
    return claims


def lower_role(a: Role, b: Role) -> Role:
    return a if RANK[a] <= RANK[b] else b


def sees_everything(role: Role) -> bool:
    """Managers and admins see the whole workspace; members and viewers their own work."""
    return role in PLANNERS


def new_secret() -> str:
    return secrets.token_urlsafe(48)


def link(base: str, token: str) -> str:
    return f"{base.rstrip('/')}{PATH}?k={quote(token, safe='')}"


def dashboard(env: Env, cmd: Command) -> Reply:
    """The asker's link, shown to them alone (a secret reply: never in a group, never kept for
    a replay): anyone holding it sees what they see, until it expires."""
    if not env.ws.dashboard:
        raise UserError("dashboard_off")
    config = env.ctx.config
    title = env.t("dashboard_title")
    if not config.public_url:
        return Reply(title, [Line(env.t("dashboard_no_url"))])
    secret = queries.site_secret(env.s, SECRET_NAME, new_secret(), env.now)
    expires = (env.now + timedelta(days=config.dashboard_days)).replace(microsecond=0)
    claims = Claims(env.ws.id, env.me.id, Role(env.me.role), env.lang, env.channel.id, expires)
    scope = "dashboard_scope_all" if sees_everything(env.me.role) else "dashboard_scope_own"
    return Reply(
        title,
        [
            Line(link(config.public_url, sign(secret, claims))),
            Line(env.t(scope)),
            Line(env.t("dashboard_expires", when=moment(expires), days=config.dashboard_days)),
        ],
        secret=True,
    )
