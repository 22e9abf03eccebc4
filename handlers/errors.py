"""The one exception a command may end with: something the user can fix, said in their language."""

from __future__ import annotations


class UserError(Exception):
    """A message key from handlers/messages.py and its parameters; the transaction is undone."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
