"""Owners as a Chinese or English team types them (issue 11): every row is a line typed in chat
and the owner and title it must give — or the question it must get instead of a guess.

Two tables. GRAMMAR rows go through the grammar alone (`handlers.verbs.parse`): who the line
names and what is left as the title. BOT rows go through the whole console bot, with known
members seeded first: the owner the task gets (a known member, the speaker, or a new member,
said so), or the question that is asked while nothing is changed. Today is pinned to Thursday
2026-11-26 (tests/conftest.py NOW); dates below are worked out by hand from that day.

Decisions recorded here:
- A mention ends at a blank or punctuation of either width (，、。；：,;:!? and brackets); the
  punctuation goes with the mention, so `@张三，周五前` leaves `周五前` a word of its own.
- An @ glued after Chinese text or punctuation (`写文案@张三`, `＠` anywhere) is a mention; an @
  glued after ASCII letters or digits is an address (`a@example.com`) and stays in the title,
  as does a platform's markup the door left (`x<@U3>`) and a glued broadcast (`通知@all`).
- `owner:` / `assignee:` / `负责人：` / `责任人：` / `执行人：` name the owner (value glued or the
  next word; `@` after the key is allowed).
- Several people in one word (`@张三、@李四`, `@张三@李四`, `@张三、李四`, `@bob/alice`) is a
  question (`owner_several`), never one invented member.
- `@张 三` (a Chinese name of up to three characters, then a lone Chinese character): read as
  张三 — with a note saying so — only when someone is called 张三; otherwise a question, even
  when 张 exists (`@张三 丰` asks too). Longer next words (`@张三 加急`) are the title's.
- A new name a slip away from a known member's (one edit for names of up to 4 characters, two
  for longer; a swap counts one; case and width do not count; a known name with text glued
  after it, `@张三周五前`, counts too) gets "did you mean @张三?" and nothing is made. The same
  name in another width or case (`@ＢＯＢ`) is that member. `@name!` insists on a new member.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from bot.console.door import render
from handlers import Context, CoreConfig, dispatch
from handlers.context import Profile
from handlers.errors import UserError
from handlers.grammar import Note
from handlers.messages import t
from handlers.verbs import parse
from storage.models import Member, Task
from tests.conftest import NOW, snapshot

TODAY = date(2026, 11, 26)  # a Thursday
FRI = date(2026, 11, 27)  # 周五前, 明天
NEXT_FRI = date(2026, 12, 4)  # 下周五

ME = "me"


def joined(first: str, second: str) -> tuple[Note, ...]:
    return (Note.of("mention_joined", first=first, second=second, joined=first + second),)


# (line, people, title, due) — or (line, error key, None, None) for a refusal
G = tuple[str, tuple[str, ...] | str, str | None, date | None]

GRAMMAR: list[G] = [
    # --- Chinese: a mention standing alone --------------------------------------------------
    ("新建 写文案 @张三", ("张三",), "写文案", None),
    ("新建 写文案 ＠张三", ("张三",), "写文案", None),
    ("新建 @张三 写文案", ("张三",), "写文案", None),
    ("添加 写文案 @李四", ("李四",), "写文案", None),
    ("新建 写文案 @欧阳娜娜", ("欧阳娜娜",), "写文案", None),
    ("新建 写文案 @张三 周五前", ("张三",), "写文案", FRI),
    ("新建 写文案 @张三 下周五", ("张三",), "写文案", NEXT_FRI),
    ("新建 写文案 @张三\u3000周五前", ("张三",), "写文案", FRI),
    ("新建 写文案 @张三\u2005周五前", ("张三",), "写文案", FRI),  # WeCom's blank after a mention
    # --- punctuation after a name ends it, and goes with it ------------------------------------
    ("新建 海报 @张三，周五前", ("张三",), "海报", FRI),
    ("新建 海报 @张三,周五前", ("张三",), "海报", FRI),
    ("新建 海报 @张三。周五前", ("张三",), "海报", FRI),
    ("新建 海报 @张三；周五前", ("张三",), "海报", FRI),
    ("新建 海报 @张三;周五前", ("张三",), "海报", FRI),
    ("新建 海报 @张三：周五前", ("张三",), "海报", FRI),
    ("新建 海报 @张三:周五前", ("张三",), "海报", FRI),
    ("新建 海报 @张三！周五前", ("张三!",), "海报", FRI),  # ! insists on the name as written
    ("新建 海报 @张三？", ("张三",), "海报", None),
    ("新建 海报 @张三，", ("张三",), "海报", None),
    ("新建 海报 @张三。", ("张三",), "海报", None),
    ("新建 海报 @张三，加急", ("张三",), "海报 加急", None),
    ("新建 海报 @张三，明天", ("张三",), "海报", FRI),
    ("新建 海报 ＠张三，周五前", ("张三",), "海报", FRI),
    ("新建 海报 @李四，12月1日", ("李四",), "海报", date(2026, 12, 1)),
    # --- brackets of both widths ---------------------------------------------------------------
    ("新建 海报（@张三）", ("张三",), "海报", None),
    ("新建 海报 （@张三）", ("张三",), "海报", None),
    ("新建 海报 (@张三)", ("张三",), "海报", None),
    ("新建 海报【@张三】周五前", ("张三",), "海报", FRI),
    ("新建 海报「@张三」", ("张三",), "海报", None),
    ("新建 海报《@张三》", ("张三",), "海报", None),
    ("新建 海报 @张三）", ("张三",), "海报", None),
    ("add Poster (@bob)", ("bob",), "Poster", None),
    ("add Poster [@bob]", ("bob",), "Poster", None),
    # --- an @ glued to the title -----------------------------------------------------------------
    ("新建 写文案@张三", ("张三",), "写文案", None),
    ("新建写文案@张三", ("张三",), "写文案", None),
    ("新建 写文案＠张三", ("张三",), "写文案", None),
    ("新建 写文案@张三 周五前", ("张三",), "写文案", FRI),
    ("新建 写文案@张三，周五前", ("张三",), "写文案", FRI),
    ("新建 写文案，@张三", ("张三",), "写文案", None),
    ("新建 写文案,@张三 明天", ("张三",), "写文案", FRI),
    ("新建 双11海报@李四", ("李四",), "双11海报", None),
    ("新建 写文案@我", (ME,), "写文案", None),
    ("add Copy＠bob", ("bob",), "Copy", None),  # a full-width ＠ is never an address
    ("新建 联系@bob", ("bob",), "联系", None),
    # --- owner keys ----------------------------------------------------------------------------
    ("新建 写文案 负责人：张三", ("张三",), "写文案", None),
    ("新建 写文案 负责人:张三", ("张三",), "写文案", None),
    ("新建 写文案 负责人： 张三", ("张三",), "写文案", None),
    ("新建 写文案 负责人：@张三", ("张三",), "写文案", None),
    ("新建 写文案 负责人：＠张三", ("张三",), "写文案", None),
    ("新建 写文案 负责人: @张三", ("张三",), "写文案", None),
    ("新建 写文案 负责人：张三 周五前", ("张三",), "写文案", FRI),
    ("新建 写文案 负责人：张三，周五前", ("张三",), "写文案", FRI),
    ("新建 写文案，负责人：张三", ("张三",), "写文案", None),
    ("新建 写文案负责人：张三", ("张三",), "写文案", None),
    ("新建 负责人：张三 写文案", ("张三",), "写文案", None),
    ("新建 写文案 责任人：李四", ("李四",), "写文案", None),
    ("新建 写文案 执行人：王芳", ("王芳",), "写文案", None),
    ("新建 写文案 负责人：我", (ME,), "写文案", None),
    ("新建 写文案 负责人：自己", (ME,), "写文案", None),
    ("新建 写文案 负责人：张三 +双11", ("张三",), "写文案", None),
    ("add Plan owner:bob", ("bob",), "Plan", None),
    ("add Plan Owner:Bob", ("Bob",), "Plan", None),
    ("add Plan OWNER:bob", ("bob",), "Plan", None),
    ("add Plan owner：bob", ("bob",), "Plan", None),
    ("add Plan owner: bob", ("bob",), "Plan", None),
    ("add Plan owner:@bob", ("bob",), "Plan", None),
    ("add Plan owner: @bob", ("bob",), "Plan", None),
    ("add Plan assignee:bob", ("bob",), "Plan", None),
    ("add Plan assignee: alice", ("alice",), "Plan", None),
    ("add Plan owner:me", (ME,), "Plan", None),
    ("add Plan owner:bob tomorrow", ("bob",), "Plan", FRI),
    ("add Plan owner:bob, due:fri", ("bob",), "Plan", FRI),
    ("add Plan owner:ops channel:web", ("ops",), "Plan channel:web", None),
    ("add Plan co-owner review", (), "Plan co-owner review", None),  # no colon: title
    ("add Plan coowner:x", (), "Plan coowner:x", None),  # the key is a word of its own
    ("新建 确认负责人 名单", (), "确认负责人 名单", None),  # no colon: title
    ("新建 写文案 负责人：", "owner_empty", None, None),
    ("add Plan owner:", "owner_empty", None, None),
    ("add Plan owner:，", "owner_empty", None, None),
    # --- the speaker -----------------------------------------------------------------------------
    ("新建 写文案 @我", (ME,), "写文案", None),
    ("新建 写文案 @自己", (ME,), "写文案", None),
    ("新建 写文案 ＠我，周五前", (ME,), "写文案", FRI),
    ("add Plan @me", (ME,), "Plan", None),
    ("add Plan @ME", (ME,), "Plan", None),
    ("add Plan @myself", (ME,), "Plan", None),
    ("add Plan @me!", (ME,), "Plan", None),
    # --- English names -------------------------------------------------------------------------
    ("add Plan @bob", ("bob",), "Plan", None),
    ("add Plan @bob,", ("bob",), "Plan", None),
    ("add Plan @bob.", ("bob",), "Plan", None),
    ("add Plan @bob;", ("bob",), "Plan", None),
    ("add Email @alice, about launch", ("alice",), "Email about launch", None),
    ("add Plan @john.smith", ("john.smith",), "Plan", None),
    ("add Plan @john.smith.", ("john.smith",), "Plan", None),
    ("add Plan @john-smith", ("john-smith",), "Plan", None),
    ("add Plan @bob_2", ("bob_2",), "Plan", None),
    ("add Plan @ｂｏｂ", ("ｂｏｂ",), "Plan", None),  # the same member as bob (see BOT)
    ("add Plan @bob+double11", ("bob",), "Plan", None),
    ("add Plan @bob due:fri", ("bob",), "Plan", FRI),
    ("add Plan @bob tomorrow", ("bob",), "Plan", FRI),
    ("add Plan @id:U123", ("id:U123",), "Plan", None),  # a door's mention by platform id
    ("add Plan @id:U123,", ("id:U123",), "Plan", None),
    ("add Plan @id:zhang.san", ("id:zhang.san",), "Plan", None),
    # --- @ that names no one: addresses, links, markup, broadcasts, a bare @ ----------------------
    ("add Mail a@example.com", (), "Mail a@example.com", None),
    ("add Mail bob@corp", (), "Mail bob@corp", None),
    ("add Copy@bob today", (), "Copy@bob", TODAY),
    ("新建 给 a@b.com 发邮件 @张三", ("张三",), "给 a@b.com 发邮件", None),
    ("add Read https://medium.com/@bob/post", (), "Read https://medium.com/@bob/post", None),
    ("新建 通知@all 开会", (), "通知@all 开会", None),
    ("新建 提醒@所有人", (), "提醒@所有人", None),
    ("add Ping x<@U3>", (), "Ping x<@U3>", None),
    ("add Plan @", (), "Plan @", None),
    ("add Plan @，", (), "Plan @，", None),
    ("新建 写文案@", (), "写文案@", None),
    # --- a name typed in two parts -------------------------------------------------------------
    ("新建 写文案 @张 三", ("张 三",), "写文案", None),
    ("新建 写文案 @张 三 周五前", ("张 三",), "写文案", FRI),
    ("新建 写文案 @张 三，周五前", ("张 三",), "写文案", FRI),
    ("新建 写文案 @王 芳", ("王 芳",), "写文案", None),
    ("新建 写文案 ＠王 芳。", ("王 芳",), "写文案", None),
    ("新建 写文案 @张三 丰", ("张三 丰",), "写文案", None),
    ("新建 @张 三 写文案", ("张 三",), "写文案", None),
    ("新建 写文案 @张三 加急", ("张三",), "写文案 加急", None),  # two characters: the title's
    ("新建 写文案 @欧阳娜娜 急", ("欧阳娜娜",), "写文案 急", None),  # a four-character name
    ("新建 写文案 @bob 急", ("bob",), "写文案 急", None),  # not a Chinese name
    ("新建 写文案 @张三， 急", ("张三",), "写文案 急", None),  # the comma ended the name
    # --- several people in one word: a question -----------------------------------------------
    ("新建 写文案 @张三、@李四", "owner_several", None, None),
    ("新建 写文案 @张三@李四", "owner_several", None, None),
    ("新建 写文案 @张三，@李四", "owner_several", None, None),
    ("新建 写文案 @张三,@李四", "owner_several", None, None),
    ("新建 写文案 @张三、李四", "owner_several", None, None),
    ("新建 写文案 @张三/李四", "owner_several", None, None),
    ("新建 写文案 @张三／@李四", "owner_several", None, None),
    ("新建 写文案@张三@李四", "owner_several", None, None),
    ("新建 写文案 负责人：张三、李四", "owner_several", None, None),
    ("新建 写文案 负责人：张三@李四", "owner_several", None, None),
    ("新建 写文案 @张三，负责人：李四", "owner_several", None, None),
    ("add Plan @bob/@alice", "owner_several", None, None),
    ("add Plan @bob&alice", "owner_several", None, None),
    ("add Plan @bob,@alice", "owner_several", None, None),
    ("add Plan owner:bob/alice", "owner_several", None, None),
    # --- two mentions, two words: one owner only (as before) ----------------------------------
    ("新建 写文案 @张三 @李四", "one_assignee", None, None),
    ("新建 写文案 @张三 负责人：李四", "one_assignee", None, None),
    ("新建 写文案@张三 @李四", "one_assignee", None, None),
    ("add Plan @bob owner:alice", "one_assignee", None, None),
    ("add Plan @bob, @alice", "one_assignee", None, None),
    # --- names as written, for the member lookup to judge -------------------------------------
    ("新建 写文案 @张伟!", ("张伟!",), "写文案", None),
    ("新建 写文案 @张伟！", ("张伟!",), "写文案", None),
    ("新建 写文案 @张伟！周五前", ("张伟!",), "写文案", FRI),
    ("add Plan @alcie!", ("alcie!",), "Plan", None),
    ("新建 写文案 @张叁", ("张叁",), "写文案", None),
    ("新建 写文案 @张三周五前", ("张三周五前",), "写文案", None),
    ("add Plan @" + "a" * 65, "name_too_long", None, None),
    # --- list and assign read mentions the same way --------------------------------------------
    ("列表 @张三", ("张三",), None, None),
    ("列表 @张三，", ("张三",), None, None),
    ("列表 ＠张三", ("张三",), None, None),
    ("列表 负责人：张三", ("张三",), None, None),
    ("list owner:bob", ("bob",), None, None),
    ("list assignee: bob", ("bob",), None, None),
    ("列表 @张 三", ("张 三",), None, None),
    ("列表 @张三、@李四", "owner_several", None, None),
    ("指派 12 @张三", ("张三",), None, None),
    ("指派 12 @张三。", ("张三",), None, None),
    ("指派 12 ＠张三", ("张三",), None, None),
    ("指派 12 负责人：张三", ("张三",), None, None),
    ("指派 12 负责人： 张三", ("张三",), None, None),
    ("assign 12 owner:bob", ("bob",), None, None),
    ("assign 12 @bob,", ("bob",), None, None),
    ("指派 12 @张 三", ("张 三",), None, None),
    ("指派 12 @我", (ME,), None, None),
    ("指派 12 我", (ME,), None, None),
    ("指派 12 @张三、@李四", "owner_several", None, None),
    ("指派 12 张三", "assign_who", None, None),
    ("指派 12 @张三 @李四", "assign_who", None, None),
]


# An @ after ASCII letters with no address after it stays in the title, with a note saying so.
GLUED_TO_LETTERS = {"add Mail bob@corp", "add Copy@bob today"}


@pytest.mark.parametrize(("line", "people", "title", "due"), GRAMMAR, ids=[r[0] for r in GRAMMAR])
def test_grammar_reads_the_owner(line: str, people, title, due) -> None:
    if isinstance(people, str):
        with pytest.raises(UserError) as err:
            parse(line, TODAY)
        assert err.value.key == people
        return
    cmd = parse(line, TODAY)
    assert cmd.people == people
    if title is not None:
        assert cmd.text == title
    if cmd.verb == "add":
        assert cmd.due == due
    glued = [n for n in cmd.notes if n.key == "mention_in_word"]
    assert bool(glued) == (line in GLUED_TO_LETTERS)
    split = [p for p in people if " " in p]
    if split:  # a name read from two parts is said back as it was read
        first, second = split[0].split(" ")
        assert cmd.notes == joined(first, second)
    else:
        assert not [n for n in cmd.notes if n.key == "mention_joined"]


def test_the_grammar_table_is_large() -> None:
    assert len(GRAMMAR) >= 150


def test_a_question_reads_in_both_languages() -> None:
    with pytest.raises(UserError) as err:
        parse("新建 写文案 @张三、@李四", TODAY)
    zh = t("zh", err.value.key, **err.value.params)
    en = t("en", err.value.key, **err.value.params)
    assert "“@张三、@李四”里有不止一个人" in zh and "`@张三`" in zh
    assert "names more than one person" in en


# --- the whole bot, with known members ------------------------------------------------------

KNOWN = ("张三", "李四", "王芳", "欧阳娜娜", "陈晓明", "bob", "john.smith")  # and alice, speaking

NEW = "is new here"


def seed(make_bot) -> None:
    for name in KNOWN:
        make_bot(user=name).say("list")


def owner_and_title(db, number: int) -> tuple[str, str]:
    with Session(db.engine) as s:
        task = s.exec(select(Task).where(Task.number == number)).one()
        owner = s.get(Member, task.assignee_id)
        assert owner is not None
        return owner.display_name, task.title


# (line, owner, title, what the reply must say) — owner None: refused, nothing changed
B = tuple[str, str | None, str | None, str]

BOT: list[B] = [
    # known members, however the mention is written
    ("新建 海报 @张三，周五前", "张三", "海报", "Due Fri Nov 27"),
    ("新建 写文案@张三", "张三", "写文案", "@张三"),
    ("新建 写文案 负责人：张三", "张三", "写文案", "@张三"),
    ("新建 写文案 负责人:李四", "李四", "写文案", "@李四"),
    ("新建 写文案（@王芳）", "王芳", "写文案", "@王芳"),
    ("add Plan owner:bob", "bob", "Plan", "@bob"),
    ("add Plan assignee:Bob", "bob", "Plan", "@bob"),
    ("add Plan @BOB", "bob", "Plan", "@bob"),
    ("add Plan @ＢＯＢ", "bob", "Plan", "@bob"),  # full width: the same name
    ("add Plan @ｂｏｂ", "bob", "Plan", "@bob"),
    ("add Plan @john.smith.", "john.smith", "Plan", "@john.smith"),
    ("新建 写文案 @欧阳娜娜 急", "欧阳娜娜", "写文案 急", "@欧阳娜娜"),
    ("add Copy@bob", "alice", "Copy@bob", "To make @bob the owner, put a space before the @."),
    # the speaker
    ("新建 写文案 @我", "alice", "写文案", "@alice"),
    ("新建 写文案 负责人：我", "alice", "写文案", "@alice"),
    ("add Plan @me", "alice", "Plan", "@alice"),
    ("add Plan owner:me", "alice", "Plan", "@alice"),
    ("新建 写文案", "alice", "写文案", "@alice"),
    # a name in two parts: read only when someone has the joined name, and said so
    ("新建 写文案 @张 三", "张三", "写文案", "Read “@张 三” as @张三."),
    ("新建 写文案 @王 芳，周五前", "王芳", "写文案", "Read “@王 芳” as @王芳."),
    ("新建 写文案 @陈晓 明", "陈晓明", "写文案", "Read “@陈晓 明” as @陈晓明."),
    ("新建 写文案 @张 伟", None, None, "Is “@张 伟” @张伟? No one here is called 张伟"),
    ("新建 写文案 @张三 丰", None, None, "Is “@张三 丰” @张三丰?"),
    ("新建 写文案 @张三 急", None, None, "if “急” belongs to the title, put it before"),
    # several people in one word
    ("新建 写文案 @张三、@李四", None, None, "names more than one person"),
    ("新建 写文案 @张三@李四", None, None, "names more than one person"),
    ("新建 写文案 @张三、李四", None, None, "names more than one person"),
    ("add Plan @bob/alice", None, None, "names more than one person"),
    ("新建 写文案 @张三 @李四", None, None, "A task has one owner, but I see @张三, @李四"),
    # a slip of the keyboard: a question, and no member made
    ("新建 写文案 @张叁", None, None, "Did you mean @张三?"),
    ("新建 写文案 @章三", None, None, "Did you mean @张三?"),
    ("新建 写文案 @张", None, None, "Did you mean @张三?"),
    ("新建 写文案 @张伟", None, None, "Did you mean @张三?"),
    ("新建 写文案 @张三周五前", None, None, "Did you mean @张三?"),
    ("新建 写文案 @张三丰", None, None, "Did you mean @张三?"),
    ("新建 写文案 @李", None, None, "Did you mean @李四?"),  # a name cut short
    ("新建 写文案 @李思", None, None, "Did you mean @李四?"),
    ("新建 写文案 @王方", None, None, "Did you mean @王芳?"),
    ("新建 写文案 @王芳芳", None, None, "Did you mean @王芳?"),
    ("新建 写文案 @欧阳娜", None, None, "Did you mean @欧阳娜娜?"),
    ("新建 写文案 @陈小明", None, None, "Did you mean @陈晓明?"),
    ("新建 写文案 负责人：张叁", None, None, "Did you mean @张三?"),
    ("新建 写文案@李思，周五前", None, None, "Did you mean @李四?"),
    ("add Plan @alcie", None, None, "Did you mean @alice?"),
    ("add Plan @alicee", None, None, "Did you mean @alice?"),
    ("add Plan @Alise", None, None, "Did you mean @alice?"),
    ("add Plan @bbo", None, None, "Did you mean @bob?"),
    ("add Plan @rob", None, None, "Did you mean @bob?"),
    ("add Plan @bobb", None, None, "Did you mean @bob?"),
    ("add Plan @bobby", None, None, "Did you mean @bob?"),
    ("add Plan @ｂｏｂｂ", None, None, "Did you mean @bob?"),
    ("add Plan @john.smtih", None, None, "Did you mean @john.smith?"),
    ("add Plan @johnsmith", None, None, "Did you mean @john.smith?"),
    ("add Plan @jon.smith", None, None, "Did you mean @john.smith?"),
    ("add Plan owner:bbo", None, None, "Did you mean @bob?"),
    # new names near no one: a new member, said so
    ("新建 写文案 @赵六", "赵六", "写文案", NEW),
    ("新建 写文案 @孙悟空，周五前", "孙悟空", "写文案", NEW),
    ("新建 写文案 负责人：刘备", "刘备", "写文案", NEW),
    ("新建 写文案 @钱", "钱", "写文案", NEW),  # one character shared with no one
    ("add Plan @dave", "dave", "Plan", NEW),
    ("add Plan @carol", "carol", "Plan", NEW),
    ("add Plan owner:zoe", "zoe", "Plan", NEW),
    ("add Plan @欧阳纳纳", "欧阳纳纳", "Plan", NEW),  # two slips in four characters: a new name
    ("新建 写文案 @陈晓明2", None, None, "Did you mean @陈晓明?"),  # a number of its own: asked
    ("add Plan @john.smith2", None, None, "Did you mean @john.smith?"),
    # insisting on a new name
    ("新建 写文案 @张伟!", "张伟", "写文案", NEW),
    ("新建 写文案 @张伟！周五前", "张伟", "写文案", NEW),
    ("add Plan @alcie!", "alcie", "Plan", NEW),
    ("新建 写文案 @张三!", "张三", "写文案", "@张三"),  # a known name stays that member
    # assign and list judge names alike (task #1 is alice's, made before each row)
    ("指派 1 @张叁", None, None, "Did you mean @张三?"),
    ("指派 1 @张 伟", None, None, "Is “@张 伟” @张伟?"),
    ("列表 @张叁", None, None, "I don't know anyone called @张叁 in this workspace. Did you mean"),
    ("列表 @赵六", None, None, "I don't know anyone called @赵六 in this workspace yet."),
]


@pytest.mark.parametrize(("line", "owner", "title", "said"), BOT, ids=[r[0] for r in BOT])
def test_the_bot_gives_the_task_its_owner_or_asks(bot, db, make_bot, line, owner, title, said):
    seed(make_bot)
    bot.say("settings lang en")  # an English channel: the rows' replies are English
    bot.say("add Seed task")
    before = snapshot(db)
    out = bot.say(line)
    assert said in out, out
    if owner is None:
        assert out.startswith("⚠️"), out
        assert snapshot(db) == before
        return
    assert not out.startswith("⚠️"), out
    assert owner_and_title(db, 2) == (owner, title)
    assert (NEW in out) == (said == NEW)


def test_assign_and_list_read_a_name_in_two_parts(bot, db, make_bot):
    seed(make_bot)
    bot.say("settings lang en")  # an English channel: the rows' replies are English
    bot.say("add Seed task")
    out = bot.say("指派 1 @张 三")
    assert "#1 assigned to @张三" in out and "Read “@张 三” as @张三." in out
    assert owner_and_title(db, 1) == ("张三", "Seed task")
    assert "#1 Seed task" in bot.say("列表 @张 三")


def test_a_slip_shows_every_near_name(bot, db, make_bot):
    for name in ("张三", "张四"):
        make_bot(user=name).say("list")
    bot.say("settings lang en")  # an English channel, Chinese commands
    out = bot.say("新建 写文案 @张叁")
    assert "Did you mean @张三 / @张四?" in out
    assert "write `@张叁!` if 张叁 is someone new" in out


def test_the_question_is_asked_in_chinese_in_a_chinese_channel(bot, db, make_bot):
    seed(make_bot)
    bot.say("设置 语言 zh")
    assert "是指 @张三 吗？" in bot.say("新建 写文案 @张叁")
    assert "若 张叁 确是新成员，请写 `@张叁!`" in bot.say("新建 写文案 @张叁")
    assert "已将“@张 三”读作 @张三。" in bot.say("新建 写文案 @张 三")


def test_the_bot_tables_are_large() -> None:
    assert len(GRAMMAR) + len(BOT) >= 150


# --- a platform's directory (WeCom) settles names exactly -------------------------------------


def directory_context(db, directory) -> Context:
    return Context(
        db=db,
        platform="wecom",
        workspace="corp",
        channel="room",
        user="lisi",
        user_name="李四",
        now=NOW,
        config=CoreConfig(default_tz="Asia/Shanghai"),
        directory=directory,
    )


def test_a_directory_settles_a_name_in_two_parts_and_slips_stay_its_answer(db):
    people = {"张三": [Profile("zhangsan", "张三")], "zhangsan": [Profile("zhangsan", "张三")]}
    ctx = directory_context(db, lambda name: people.get(name, []))
    dispatch("settings lang en", ctx)  # an English channel, Chinese commands
    out = render(dispatch("新建 写文案 @张 三，周五前", ctx))
    assert "写文案 · @张三 · Due Fri Nov 27" in out and "Read “@张 三” as @张三." in out
    assert owner_and_title(db, 1) == ("张三", "写文案")
    before = snapshot(db)
    assert "Is “@张 伟” @张伟?" in render(dispatch("新建 写文案 @张 伟", ctx))
    # the directory's own answer for a name it lacks, as before: never a member made
    assert "can't find @张叁 in the company directory" in render(dispatch("新建 写 @张叁", ctx))
    assert "A task has one owner" in render(dispatch("新建 写文案 @张三 @zhangsan", ctx))
    assert snapshot(db) == before


def test_names_numbered_apart_are_namesakes_not_slips(bot, db, make_bot):
    make_bot(user="张伟2").say("list")
    bot.say("settings lang en")  # an English channel, Chinese commands
    out = bot.say("新建 写文案 @张伟3")
    assert "@张伟3 is new here" in out
    assert owner_and_title(db, 1) == ("张伟3", "写文案")
    assert "Did you mean @张伟2 / @张伟3?" in bot.say("新建 写文案 @张伟")  # which one?
