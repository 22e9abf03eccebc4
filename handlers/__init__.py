"""The platform-neutral core: grammar, rules, one module per capability, a neutral Reply.
Doors call `dispatch(text, ctx)`; nothing here knows Slack or WeCom."""

from handlers.context import Context, CoreConfig
from handlers.dispatch import dispatch
from handlers.reply import Action, Light, Line, Person, Picture, Reply

__all__ = [
    "Action",
    "Context",
    "CoreConfig",
    "Light",
    "Line",
    "Person",
    "Picture",
    "Reply",
    "dispatch",
]
