"""Phases of a plan: `phase add|edit|remove` (阶段 添加|编辑|删除), and a task's phase
(`phase:` on add, `task 12 phase:爆发期`)."""

from __future__ import annotations

from handlers.context import Env
from handlers.plan_state import PlanState
from handlers.reply import Line


def plan_lines(env: Env, state: PlanState) -> list[Line]:
    """The phases as `project show` lists them."""
    return []
