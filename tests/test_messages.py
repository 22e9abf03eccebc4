"""Every sentence exists in English and 中文, with the same placeholders in both."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from handlers.grammar import CAUSES
from handlers.messages import LANGS, MESSAGES, t
from handlers.phases import PHASE_ACTIONS
from handlers.verbs import VERBS

ROOT = Path(__file__).resolve().parent.parent


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_each_message_has_both_languages_with_the_same_placeholders(key):
    entry = MESSAGES[key]
    assert set(entry) == set(LANGS)
    assert all(entry[lang].strip() for lang in LANGS)
    assert placeholders(entry["en"]) == placeholders(entry["zh"])


def test_chinese_messages_are_chinese():
    cjk = re.compile(r"[\u4e00-\u9fff]")
    short_ok = {"list_counts", "event_change"}  # symbols and placeholders only
    missing = [k for k, v in MESSAGES.items() if k not in short_ok and not cjk.search(v["zh"])]
    assert missing == []


def test_every_message_key_used_in_the_code_exists():
    used: set[str] = set()
    pattern = re.compile(r"""(?:UserError|\bt)\(\s*(?:[\w.]+,\s*)?["']([a-z_]+)["']""")
    for path in list((ROOT / "handlers").rglob("*.py")) + list((ROOT / "bot").rglob("*.py")):
        used.update(pattern.findall(path.read_text(encoding="utf-8")))
    assert used, "the pattern found no message keys"
    assert sorted(used - set(MESSAGES)) == []


def test_dynamic_keys_exist():
    for verb in VERBS:
        assert verb.help_key in MESSAGES
    for cause in CAUSES:
        assert f"cause_{cause}" in MESSAGES
    for status in ("todo", "doing", "blocked", "done", "cancelled"):
        assert f"status_{status}" in MESSAGES
    # phases: each action's "which plan?" / "which phase?" (handlers/phases.py), and each reason
    # a phase's light can give
    for action in PHASE_ACTIONS:
        assert f"phase_{action}_no_project" in MESSAGES
        if action != "list":
            assert f"phase_{action}_no_name" in MESSAGES
    reasons = re.findall(r'"(phase_why_[a-z_]+)"', (ROOT / "handlers/phases.py").read_text("utf-8"))
    assert len(set(reasons)) >= 6
    assert set(reasons) <= set(MESSAGES)


def test_t_formats_in_the_requested_language():
    assert t("zh", "task_not_found", task=12) == MESSAGES["task_not_found"]["zh"].format(task=12)
    assert "#12" in t("en", "task_not_found", task=12)
