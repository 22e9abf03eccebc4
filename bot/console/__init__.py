"""The console door: a chat channel in the terminal (door.py), its scheduled posts printed
(poster.py), and `paceline demo` (demo.py)."""

from bot.console.door import PLATFORM, ConsoleBot, render, run
from bot.console.poster import ConsolePoster

__all__ = ["PLATFORM", "ConsoleBot", "ConsolePoster", "render", "run"]
