"""The console door: a chat channel in the terminal (door.py), and `paceline demo` (demo.py)."""

from bot.console.door import PLATFORM, ConsoleBot, render, run

__all__ = ["PLATFORM", "ConsoleBot", "render", "run"]
