"""The read-only dashboard `paceline serve` answers beside the doors: the portfolio
(`/dashboard`, sortable with `?sort=light|pace|buffer|finish|red`), a project
(`/dashboard/project?id=N`: its light, KPIs, Gantt, KPI and fever charts as SVG from the chat's
renderer, the board, open blockers, this week's changes) and the reader's own tasks
(`/dashboard/mine`). Every page needs a link made by `dashboard` / `仪表盘` in chat
(handlers/dashboard.py): its token rides in the query (`?k=`) and on every link of the pages.

Checked on every request: the signature, the expiry (by the door's clock), the workspace still
having the dashboard on, the member and the channel still there; the role read with is the
lower of the link's and the member's now. Anything wrong is a 401 or 403 page that says nothing
of any workspace. A page reads in a session of its own that is rolled back, never committed.

Pages are Jinja2 templates (autoescaped), refresh themselves every minute, work without
JavaScript (none is sent: the Content-Security-Policy forbids it) and fit a 360 px phone."""

from __future__ import annotations

import gzip
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader
from sqlmodel import Session

from bot.dashboard import pages
from bot.dashboard.shared import Shared
from bot.door import Clock, Request, Response, Routes, let_acks_pass, wall_clock
from handlers.charts.canvas import font_path
from handlers.context import Context, CoreConfig, Env
from handlers.dashboard import PATH, SECRET_NAME, Claims, lower_role, sees_everything, verify
from handlers.messages import t
from storage import queries
from storage.db import Database
from storage.models import Channel, Member, Role, Workspace

log = logging.getLogger(__name__)

FONT_PATH = f"{PATH}/font/cjk.otf"
REFRESH_SECONDS = 60
# The portfolio's data is shared this long by those who see the same (a page refreshes every
# minute; ten readers of 200 plans would otherwise read them ten times over).
CACHE_SECONDS = 10.0
# Pages answered at once, whatever the number of readers: the rest wait their turn without
# holding the interpreter, so that readers never crowd the doors' acks out of it
# (docs/benchmarks.md, "Dashboard").
PAGES_AT_ONCE = 2
_SECURITY = {
    # no script at all, styles inline, pictures as data: URLs, the font from here
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the token is in the address: never sent elsewhere
    "X-Robots-Tag": "noindex, nofollow",
}
_PAGE_HEADERS = {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store, private",
    **_SECURITY,
}


@cache
def templates() -> Environment:
    return Environment(
        loader=PackageLoader("bot.dashboard", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass(frozen=True)
class Reader:
    """Who reads (the Env built from a checked link) and their link."""

    env: Env
    token: str
    claims: Claims


@dataclass(frozen=True)
class Checked:
    """A link that passed its checks: its claims, the role to read with (the lower of the
    link's and the member's now), the zone of its channel, the moment it was checked."""

    token: str
    claims: Claims
    role: Role
    tz: str
    now: datetime

    def seen_by(self) -> tuple:
        """What decides a portfolio's rows: the workspace, whose work (everyone's, or the
        reader's own), the language, the zone and the day."""
        scope = None if sees_everything(self.role) else self.claims.member_id
        today = self.now.astimezone(ZoneInfo(self.tz)).date()
        return ("portfolio", self.claims.workspace_id, scope, self.claims.lang, self.tz, today)


class Refused(Exception):
    """A page not shown: its status, the message key the page says, the reason logged."""

    def __init__(self, status: int, key: str, why: str) -> None:
        super().__init__(why)
        self.status, self.key, self.why = status, key, why


class Dashboard:
    """The dashboard's routes; `platform` only names it where two route owners would clash."""

    platform = "dashboard"

    def __init__(
        self,
        db: Database,
        config: CoreConfig,
        clock: Clock = wall_clock,
        *,
        cache_seconds: float = CACHE_SECONDS,
        cache_clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db, self.config, self.clock = db, config, clock
        self.prefix = urlsplit(config.public_url or "").path.rstrip("/")
        self.shared = Shared(cache_seconds, cache_clock)
        self._secret: str | None = None
        self._lock = threading.Lock()
        self._pages = threading.BoundedSemaphore(PAGES_AT_ONCE)

    def routes(self) -> Routes:
        return {
            PATH: {"GET": self.portfolio},
            f"{PATH}/project": {"GET": self.project},
            f"{PATH}/mine": {"GET": self.mine},
            FONT_PATH: {"GET": self.font},
        }

    # --- pages ---

    def portfolio(self, request: Request) -> Response:
        sort = request.query.get("sort", "light")
        sort = sort if sort in pages.SORTS else "light"
        packed = _gzip_wanted(request)

        def page(s: Session, checked: Checked) -> Response:
            seen = checked.seen_by()

            def build() -> Response:
                reader = self._reader(s, checked)
                env = reader.env
                rows, at = self.shared.get(seen, lambda: (pages.portfolio(env), env.now))
                everything = sees_everything(checked.role)
                return self._page(
                    reader,
                    "portfolio.html",
                    env.t("dash_portfolio" if everything else "dash_mine_p"),
                    at=at,
                    rows=pages.sort_rows(rows, sort),
                    sort=sort,
                    sorts=pages.SORTS,
                    everything=everything,
                )

            # the page as this link shows it (compressed or not), kept as long as its data: a
            # reader refreshing it costs one query (the link's check)
            key = ("page", *seen, checked.token, sort, packed)
            return self.shared.get(key, lambda: _packed(build(), packed))

        return self._read(request, page)

    def project(self, request: Request) -> Response:
        raw, gantt_raw = request.query.get("id", ""), request.query.get("gantt", "1")
        number = int(raw) if raw.isdigit() and len(raw) <= 12 else None
        gantt_page = int(gantt_raw) if gantt_raw.isdigit() and len(gantt_raw) <= 4 else 1

        def page(s: Session, checked: Checked) -> Response:
            reader = self._reader(s, checked)
            env = reader.env
            project = pages.readable_project(env, number) if number is not None else None
            if project is None:
                return self._refusal(404, "dash_no_project", env.lang, "no such project")
            data = pages.project_page(env, project, gantt_page)
            page = self._page(reader, "project.html", project.name, p=data)
            return _packed(page, _gzip_wanted(request))

        return self._read(request, page)

    def mine(self, request: Request) -> Response:
        def page(s: Session, checked: Checked) -> Response:
            reader = self._reader(s, checked)
            rows, more = pages.my_tasks(reader.env)
            title = reader.env.t("dash_mine")
            page = self._page(reader, "mine.html", title, rows=rows, more=more)
            return _packed(page, _gzip_wanted(request))

        return self._read(request, page)

    def font(self, request: Request) -> Response:
        """The CJK font the charts use, for a reader with none of the page's system fonts (the
        stylesheet asks for it last, only for CJK characters): the same bytes for a year."""
        return Response(
            200,
            _font_bytes(),
            {
                "Content-Type": "font/otf",
                "Cache-Control": "public, max-age=31536000, immutable",
                "Access-Control-Allow-Origin": "*",
                "X-Content-Type-Options": "nosniff",
            },
        )

    # --- reading ---

    def _read(self, request: Request, page: Callable[[Session, Checked], Response]) -> Response:
        token = request.query.get("k", "")
        let_acks_pass()  # a page may wait a moment; a platform's ack may not
        try:
            with self._pages, self.db.reading() as s:  # never written: rolled back
                return page(s, self._check(s, token))
        except Refused as refused:
            return self._refusal(refused.status, refused.key, None, refused.why)

    def _secret_value(self, s: Session) -> str | None:
        """The signing key, read once it exists (it never changes)."""
        if self._secret is None:
            found = queries.read_site_secret(s, SECRET_NAME)
            with self._lock:
                self._secret = self._secret or found
        return self._secret

    def _check(self, s: Session, token: str) -> Checked:
        """The link checked: its signature and expiry, its workspace's switch, its member and
        channel still there (one query); the role to read with."""
        if not token:
            raise Refused(401, "dash_no_link", "no link")
        secret = self._secret_value(s)
        now = self.clock()
        claims = verify(secret, token, now) if secret else None
        if claims is None:
            raise Refused(401, "dash_bad_link", "bad or expired link")
        found = queries.dashboard_reader(
            s, claims.workspace_id, claims.member_id, claims.channel_id
        )
        if found is None:
            raise Refused(401, "dash_bad_link", "the link's member or channel is gone")
        if not found.dashboard:
            raise Refused(403, "dash_off", "the dashboard is off")
        return Checked(token, claims, lower_role(claims.role, Role(found.role)), found.tz, now)

    def _reader(self, s: Session, checked: Checked) -> Reader:
        """The Env a page is built with: the link's rows, its language and role (changed on
        rows taken out of the session: never written)."""
        claims = checked.claims
        ws = s.get(Workspace, claims.workspace_id)
        member = s.get(Member, claims.member_id)
        channel = s.get(Channel, claims.channel_id)
        if ws is None or member is None or channel is None:  # gone since the check
            raise Refused(401, "dash_bad_link", "the link's member or channel is gone")
        s.expunge(member)
        s.expunge(channel)
        member.role, channel.lang = checked.role, claims.lang
        ctx = Context(
            db=self.db,
            platform=ws.platform,
            workspace=ws.external_id,
            channel=channel.external_id,
            user=member.external_id,
            now=checked.now,
            config=self.config,
        )
        env = Env(s=s, ctx=ctx, ws=ws, channel=channel, me=member, now=ctx.moment())
        return Reader(env, checked.token, claims)

    # --- answers ---

    def url(self, reader: Reader, where: str = "", **params: object) -> str:
        query = {"k": reader.token, **{k: v for k, v in params.items() if v is not None}}
        return f"{self.prefix}{PATH}{where}?{urlencode(query)}"

    def _page(
        self,
        reader: Reader,
        template: str,
        title: str,
        at: datetime | None = None,
        **values: object,
    ) -> Response:
        """The page; `at`: when its data was read, if not now."""
        env = reader.env
        html = (
            templates()
            .get_template(template)
            .render(
                t=env.t,
                lang=env.lang,
                title=title,
                url=lambda where="", **params: self.url(reader, where, **params),
                font_url=self.prefix + FONT_PATH,
                refresh=REFRESH_SECONDS,
                updated=pages.updated_text(env, at or env.now),
                expires=pages.updated_text(env, reader.claims.expires),
                reader=env.me.display_name,
                role=env.t(f"dash_role_{env.me.role.value}"),
                **values,
            )
        )
        return Response(200, html.encode("utf-8"), dict(_PAGE_HEADERS))

    def _refusal(self, status: int, key: str, lang: str | None, why: str) -> Response:
        """A refusal page that names nothing of any workspace: in the reader's language when
        the link was good, else in both."""
        langs = [lang] if lang else ["zh", "en"]
        html = (
            templates()
            .get_template("refused.html")
            .render(
                lang=langs[0],
                status=status,
                texts=[(t(lang_, "dash_refused_title"), t(lang_, key)) for lang_ in langs],
                font_url=self.prefix + FONT_PATH,
            )
        )
        return Response(status, html.encode("utf-8"), {**_PAGE_HEADERS, "X-Refused": why})


def _gzip_wanted(request: Request) -> bool:
    return "gzip" in request.headers.get("accept-encoding", "").lower()


def _packed(response: Response, gzipped: bool) -> Response:
    """A page gzipped for a browser that takes it: a tenth of the bytes to a phone, and to the
    server's loop that sends every connection's answers."""
    headers = {**response.headers, "Vary": "Accept-Encoding"}
    if not gzipped:
        return Response(response.status, response.body, headers)
    headers["Content-Encoding"] = "gzip"
    return Response(response.status, gzip.compress(response.body, 6), headers)


_font_lock = threading.Lock()
_font: list[bytes] = []


def _font_bytes() -> bytes:
    with _font_lock:
        if not _font:
            _font.append(font_path().read_bytes())
        return _font[0]


def build(db: Database, config: CoreConfig, clock: Clock = wall_clock) -> Dashboard:
    return Dashboard(db, config, clock)
