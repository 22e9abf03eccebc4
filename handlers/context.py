"""What a door tells the core about a message (`Context`), and what a command works with while
it runs (`Env`: the open session, the rows of who and where, the channel's today and language)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import TZPATH, ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlmodel import Session

from handlers import names
from handlers.errors import UserError
from handlers.grammar import BY_ID, FORCE, SPLIT
from handlers.messages import t
from handlers.reply import Person, mention
from handlers.rules import Thresholds
from storage import queries
from storage.db import Database
from storage.models import Channel, Member, Role, Task, Workspace
from storage.report_rows import Owner

# Who may do what, by role (a `Verb.roles` value, or a check in a handler):
ADMINS = frozenset({Role.ADMIN})  # roles, settings
PLANNERS = frozenset({Role.ADMIN, Role.MANAGER})  # any task; projects, phases, KPIs
CHANGERS = frozenset({Role.ADMIN, Role.MANAGER, Role.MEMBER})  # every change (not viewers)


def _known(name: str | None) -> str | None:
    """`name` if this machine knows it as a zone, else None."""
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


_UTC_NAMES = frozenset(
    {"Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "UCT", "Universal", "Zulu"}
)


@cache
def host_zone() -> str:
    """The zone of the machine the bot runs on: `TZ`, /etc/timezone, or what /etc/localtime
    is (a link into the zone database, or a copy of one of its files). UTC only when none of
    them says."""
    name = _host_zone()
    return "UTC" if name in _UTC_NAMES or name.startswith("Etc/GMT0") else name


def _host_zone() -> str:
    named = os.environ.get("TZ", "").removeprefix(":")
    if _known(named):
        return named
    try:
        named = Path("/etc/timezone").read_text(encoding="utf-8").strip()
    except OSError:
        named = ""
    if _known(named):
        return named
    localtime = Path("/etc/localtime")
    try:
        target = str(localtime.resolve())
        if "zoneinfo/" in target and _known(name := target.split("zoneinfo/", 1)[1]):
            return name
        data = localtime.read_bytes()
    except OSError:
        return "UTC"
    for root in TZPATH:  # a copied file: the zone whose file it is (a City/Area name first)
        for name in sorted(available_timezones(), key=lambda z: ("/" not in z, z)):
            path = Path(root) / name
            try:
                if path.stat().st_size == len(data) and path.read_bytes() == data:
                    return name
            except OSError:
                continue
    return "UTC"


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_NAMES = re.compile(r"[@＠+＋]\S+")


def language_of(text: str) -> str | None:
    """The language a command is written in: that of its first word with letters in it —
    its verb, when it has one (`新建 写文案` is Chinese, `add 写文案` English: the title is
    what is said, the verb how it is asked). People's and projects' names (@张三, +双11) do not
    count; None for a command with no words ("12", "?")."""
    for word in _NAMES.sub(" ", text).split():
        cjk, latin = _CJK.search(word), _LATIN.search(word)
        if cjk and (not latin or cjk.start() < latin.start()):
            return "zh"
        if latin:
            return "en"
    return None


@dataclass(frozen=True)
class CoreConfig:
    # A new channel's zone where the platform gives none (the door may set it: WeCom's is
    # Asia/Shanghai); by default the host's, never UTC only because nothing was said.
    default_tz: str = field(default_factory=host_zone)
    default_lang: str = "en"
    thresholds: Thresholds = field(default_factory=Thresholds)
    list_limit: int = 50
    # The address people reach `paceline serve` at (PACELINE_PUBLIC_URL): dashboard links start
    # with it; None, the `dashboard` verb says how to set it instead of giving a broken link.
    public_url: str | None = None
    dashboard_days: int = 7  # how long a dashboard link opens its pages


class DirectoryUnavailable(Exception):
    """The platform's member directory cannot be read right now."""


@dataclass(frozen=True)
class Profile:
    """What a platform says about a person it mentions: enough to make or refresh a member."""

    external_id: str
    display_name: str
    tz: str | None = None
    is_admin: bool | None = None


@dataclass(frozen=True)
class PostTarget:
    """A door whose channels post through an address an admin sets (not by the bot posting to
    the channel itself): what people call that address, and how the door reads one."""

    names: dict[str, str]  # by language: what the setting is called ("group robot", "群机器人")
    prefix: str  # every address the door accepts starts with this (said when one is refused)
    accept: Callable[[str], str | None]  # the address as it is stored, or None when refused

    def name(self, lang: str) -> str:
        return self.names.get(lang) or next(iter(self.names.values()))


@dataclass
class Context:
    """One incoming message, as a door saw it. `is_admin` None means "the platform did not say"."""

    db: Database
    platform: str
    workspace: str
    channel: str
    user: str
    user_name: str | None = None
    channel_name: str | None = None
    user_tz: str | None = None
    is_admin: bool | None = None
    now: datetime | None = None
    config: CoreConfig = field(default_factory=CoreConfig)
    profiles: dict[str, Profile] = field(default_factory=dict)  # people mentioned, by their id
    personal: bool = False  # a view of one person's own (a Home tab): their zone, not a channel's
    # A platform's member directory (WeCom): a name → everyone it may mean. With one, `@name`
    # must match exactly one person there; without one, a new name becomes a new member.
    directory: Callable[[str], list[Profile]] | None = None
    post_target: PostTarget | None = None  # None: the bot posts to its channels itself
    # The request's identity where a door may deliver it again (after a crash): the command is
    # applied once under it, and a replay gets the first answer back.
    delivery: str | None = None

    def moment(self) -> datetime:
        now = self.now or datetime.now(UTC)
        if now.tzinfo is None:
            raise ValueError("Context.now must be timezone-aware")
        return now.astimezone(UTC)


@dataclass
class Env:
    s: Session
    ctx: Context
    ws: Workspace
    channel: Channel
    me: Member
    now: datetime
    people: dict[int, Person] = field(default_factory=dict)
    made: int | None = None  # the number of the task this command made, for its notes
    new_channel: bool = False  # this command made the channel's row: its first answer

    @classmethod
    def load(cls, s: Session, ctx: Context, said: str | None = None) -> Env:
        """The rows of who and where, made on first sight. `said`: the command as typed; until
        the channel chooses a language, the answer (and the channel's scheduled posts) follow
        the language it is written in."""
        now = ctx.moment()
        spoken = language_of(said) if said else None
        ws, channel, me = queries.where_and_who(
            s, ctx.platform, ctx.workspace, ctx.channel, ctx.user
        )
        if ws is None:
            ws = queries.get_or_create_workspace(s, ctx.platform, ctx.workspace, now)
        known = channel
        channel = queries.get_or_create_channel(
            s,
            ws,
            ctx.channel,
            name=ctx.channel_name,
            tz=_known(ctx.user_tz) or ctx.config.default_tz,  # the platform's, or the bot's
            lang=spoken or ctx.config.default_lang,
            now=now,
            known=known,
        )
        if spoken and not channel.lang_chosen and channel.lang != spoken:
            channel.lang = spoken
        new_channel = known is None and not ctx.personal
        me = queries.upsert_member(
            s,
            ws,
            ctx.user,
            display_name=ctx.user_name or ctx.user,
            tz=ctx.user_tz,
            admin=ctx.is_admin,
            now=now,
            known=me,
        )
        return cls(s=s, ctx=ctx, ws=ws, channel=channel, me=me, now=now, new_channel=new_channel)

    def first_words(self, verb: str) -> str | None:
        """What a channel's first answer adds: the zone it reads dates in, and how to change
        that and the language (nothing after the first, nor to `settings`, which shows them)."""
        if not self.new_channel or verb == "settings":
            return None
        local = self.now.astimezone(self.zone).strftime("%H:%M")
        return self.t("channel_first", tz=self.channel.tz, time=local)

    @property
    def lang(self) -> str:
        return self.channel.lang

    @property
    def zone(self) -> ZoneInfo:
        if self.ctx.personal and self.me.tz:
            try:
                return ZoneInfo(self.me.tz)
            except (ZoneInfoNotFoundError, ValueError):
                pass  # a zone name this machine does not know: the channel's zone serves
        return ZoneInfo(self.channel.tz)

    @property
    def today(self) -> date:
        return self.now.astimezone(self.zone).date()

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def t(self, key: str, **params: object) -> str:
        return t(self.lang, key, **params)

    def who(self, member: Member | Owner | None) -> str:
        """A mention placeholder for the reply, remembered so renderers can resolve it."""
        if member is None:
            return self.t("nobody")
        self.people[member.id] = Person(member.display_name, member.external_id, self.ctx.platform)
        return mention(member.id)

    def task(self, number: int | None, *, for_change: bool = False) -> Task:
        """Task #number as the speaker may read it: in this channel, their own (as owner or
        creator) anywhere, any task for an admin. Any other task is answered exactly as a
        number that does not exist, so a number says nothing of another channel's work."""
        if number is None:  # the grammar reads a number for every verb that calls this
            raise ValueError("this command names no task")
        task = queries.get_task(self.s, self.ws, number, for_update=for_change)
        if task is None or not self.may_read(task):
            raise UserError("task_not_found", task=number)
        return task

    def may_read(self, task: Task) -> bool:
        return task.channel_id == self.channel.id or self.may_change(task)

    def may_change(self, task: Task) -> bool:
        """Admins and managers change any task; members their own (as owner or creator);
        viewers none (the verb table refuses them before a task is looked at)."""
        if self.me.role not in CHANGERS:
            return False
        return self.can_plan() or self.me.id in (task.assignee_id, task.creator_id)

    def can_plan(self) -> bool:
        """May plan projects, phases and KPIs, and change any task: an admin or a manager."""
        return self.me.role in PLANNERS

    def changeable(self, number: int | None) -> Task:
        """Task #number, locked for this command's change (concurrent changes of one task take
        turns, each reading what the one before committed), if the speaker may change it."""
        task = self.task(number, for_change=True)
        if not self.may_change(task):
            raise UserError("not_allowed", task=number)
        return task

    def _named(self, name: str) -> Member | None:
        if name == "me":
            return self.me
        if self.ctx.directory is not None:  # even a typed <@account> must be a real person
            return self._from_directory(name.removeprefix(BY_ID))
        if name.startswith(BY_ID):
            return self._by_id(name.removeprefix(BY_ID))
        found = queries.members_named(self.s, self.ws, name)
        if not found:  # the same name in another width (ａｌｉｃｅ) is the same person
            found = [m for m in self._members() if names.fold(m.display_name) == names.fold(name)]
        if len(found) > 1:
            raise UserError("person_ambiguous", name=name)
        return found[0] if found else None

    def _members(self) -> list[Member]:
        return queries.members_of(self.s, self.ws)

    def _near(self, name: str) -> str:
        """The known names `name` may be a slip for, as mentions ("@alice / @alicia"), or ""."""
        likely = names.likely(name, [m.display_name for m in self._members()])
        return " / ".join("@" + n for n in likely)

    def _joined(self, name: str) -> Member:
        """`张 三` (a name typed in two parts): the member called 张三, or a question."""
        first, _, second = name.partition(SPLIT)
        try:
            member = self._named(first + second)
        except UserError as err:
            if err.key != "person_not_in_directory":
                raise
            member = None
        if member is None:
            raise UserError("person_split", first=first, second=second, joined=first + second)
        return member

    def _from_directory(self, name: str) -> Member:
        """Ask the platform's directory; one match or a question back, never a guess."""
        assert self.ctx.directory is not None  # asked only where the door has one
        try:
            matches = self.ctx.directory(name)
        except DirectoryUnavailable:
            raise UserError("directory_down", name=name) from None
        if not matches:
            raise UserError("person_not_in_directory", name=name)
        if len(matches) > 1:
            options = ", ".join(f"{p.display_name} ({p.external_id})" for p in matches[:5])
            raise UserError("person_which", name=name, options=options)
        profile = matches[0]
        return queries.upsert_member(
            self.s,
            self.ws,
            profile.external_id,
            display_name=profile.display_name,
            tz=profile.tz,
            now=self.now,
        )

    def _by_id(self, external_id: str) -> Member:
        """A platform mention names its person exactly: made or refreshed from the profile."""
        if external_id == self.me.external_id:
            return self.me
        profile = self.ctx.profiles.get(external_id)
        found = queries.member_by_external_id(self.s, self.ws, external_id)
        if found is not None and profile is None:
            return found
        return queries.upsert_member(
            self.s,
            self.ws,
            external_id,
            now=self.now,
            display_name=profile.display_name if profile else external_id,
            tz=profile.tz if profile else None,
            admin=profile.is_admin if profile else None,
            known=found,
        )

    def known_person(self, name: str) -> Member:
        """The member called `name` (or the speaker, for "me"), without creating one."""
        name = name.removesuffix(FORCE)
        if SPLIT in name:
            return self._joined(name)
        member = self._named(name)
        if member is None:
            if options := self._near(name):
                raise UserError("unknown_person_suggest", name=name, options=options)
            raise UserError("unknown_person", name=name)
        return member

    def person(self, name: str) -> tuple[Member, bool]:
        """The member called `name`, made on first mention, and whether they are new. A name
        no one has that looks like a slip for someone's (`@alcie`, `@张叁`) is a question, not a
        new member; `@name!` says the name is meant as written."""
        forced = name.endswith(FORCE)
        name = name.removesuffix(FORCE)
        if SPLIT in name:
            return self._joined(name), False
        member = self._named(name)
        if member is not None:
            return member, False
        if not forced and (options := self._near(name)):
            raise UserError("person_did_you_mean", name=name, options=options)
        member = queries.upsert_member(
            self.s, self.ws, queries.name_key(name), display_name=name, now=self.now
        )
        return member, True
