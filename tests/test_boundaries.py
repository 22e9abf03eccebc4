"""Arrows point one way: bot → handlers → storage, and only bot/ touches platform SDKs."""

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
