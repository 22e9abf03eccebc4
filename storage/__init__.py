"""Tables, queries and migrations. Knows nothing of chat platforms or commands."""

from storage.db import Database, make_engine, upgrade

__all__ = ["Database", "make_engine", "upgrade"]
