"""Arrows point one way: bot → handlers → storage; only bot/ touches platform SDKs, each SDK
only inside its own door's package; the web server and the core name no platform."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SDKS = ("slack_bolt", "slack_sdk", "wechatpy")
FORBIDDEN = {
    "handlers": (*SDKS, "bot"),
    "storage": (*SDKS, "bot", "handlers"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) in ("__import__", "import_module")
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.add(str(node.args[0].value))
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_core_packages_do_not_import_platform_sdks_or_upper_layers(package):
    offenders = []
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"no Python files under {package}/"
    for path in files:
        for module in imported_modules(path):
            if module.split(".")[0] in FORBIDDEN[package]:
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []


def test_the_checker_catches_an_sdk_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from slack_sdk import WebClient\nimport wechatpy.enterprise\n")
    assert {"slack_sdk", "wechatpy.enterprise"} <= imported_modules(bad)


def test_importing_the_core_loads_no_sdk_even_indirectly():
    code = (
        "import sys, handlers, handlers.dispatch, storage, storage.queries\n"
        f"leaks = [m for m in sys.modules if m.split('.')[0] in {SDKS!r}]\n"
        "print(','.join(leaks))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == ""


# --- the doors: one package each, and nobody else names them --------------------------------------

BOT = ROOT / "bot"
# Each door is a package of bot/ with a door.py (bot/slack/, bot/wecom/, bot/console/); its name
# is its platform's. A package of routes that is no door (bot/dashboard/) has none.
DOORS = sorted(p.parent.name for p in BOT.glob("*/door.py"))
SDK_OF = {"slack_bolt": "slack", "slack_sdk": "slack", "wechatpy": "wecom"}


def code_words(path: Path) -> list[str]:
    """What the code of a file says, comments and docstrings aside: its names (variables,
    attributes, functions, classes, arguments, imports) and its string constants."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    words: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            words.append(node.id)
        elif isinstance(node, ast.Attribute):
            words.append(node.attr)
        elif isinstance(node, ast.alias):
            words.extend(filter(None, (node.name, node.asname)))
        elif isinstance(node, ast.ImportFrom) and node.module:
            words.append(node.module)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            words.append(node.name)
        elif isinstance(node, ast.arg):
            words.append(node.arg)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            words.append(node.value)
    return words


def platforms_named(path: Path, platforms: list[str]) -> set[str]:
    return {name for word in code_words(path) for name in platforms if name in word.lower()}


def test_the_doors_are_found():
    assert {"console", "slack", "wecom"} <= set(DOORS)


def test_each_sdk_is_imported_only_inside_its_own_door():
    offenders = []
    for path in sorted(BOT.rglob("*.py")):
        home = path.relative_to(BOT).parts[0]
        for module in imported_modules(path):
            door = SDK_OF.get(module.split(".")[0])
            if door is not None and home != door:
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []


def test_a_door_names_no_other_platform():
    offenders = []
    for door in DOORS:
        others = [name for name in DOORS if name != door]
        for path in sorted((BOT / door).rglob("*.py")):
            for name in sorted(platforms_named(path, others)):
                offenders.append(f"{path.relative_to(ROOT)} names {name}")
    assert offenders == []


@pytest.mark.parametrize("package", ["handlers", "storage"])
def test_the_core_names_no_platform_in_its_code(package):
    offenders = [
        f"{path.relative_to(ROOT)} names {name}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for name in sorted(platforms_named(path, DOORS))
    ]
    assert offenders == []


@pytest.mark.parametrize("module", ["web.py", "door.py"])
def test_the_web_server_and_the_door_contract_name_no_platform(module):
    """bot/web.py serves whatever doors bot/doors.py configures, through bot/door.py's
    contract: neither imports a door, an SDK, or says a platform's name in its code; the web
    server does not even in a comment."""
    path = BOT / module
    imports = {m for m in imported_modules(path) if m.split(".")[0] == "bot"}
    assert not {m for m in imports if m.split(".")[1:2] and m.split(".")[1] in DOORS}
    assert not {m for m in imported_modules(path) if m.split(".")[0] in SDKS}
    assert platforms_named(path, DOORS) == set()
    if module == "web.py":
        text = path.read_text(encoding="utf-8").lower()
        assert [name for name in (*DOORS, "企业微信", "wechat") if name in text] == []


def test_the_checker_sees_a_platform_named_in_code_but_not_in_a_comment(tmp_path):
    named = tmp_path / "named.py"
    named.write_text(
        '"""Serves Slack."""\n# and WeCom\nPATH = "/slack/events"\ndef f(wecom_door): ...\n'
    )
    assert platforms_named(named, ["slack", "wecom", "console"]) == {"slack", "wecom"}
    quiet = tmp_path / "quiet.py"
    quiet.write_text('"""Serves Slack."""\n# and WeCom\nPATH = "/healthz"\n')
    assert platforms_named(quiet, ["slack", "wecom"]) == set()
