"""KPIs of a plan: `kpi +x GMV target:500万 …` (指标), actuals (`kpi GMV 320万`), remedies, and
their pace (handlers/pace.py)."""

from __future__ import annotations

from handlers.context import Env
from handlers.plan_state import PlanState
from handlers.reply import Line


def plan_lines(env: Env, state: PlanState) -> list[Line]:
    """The KPIs as `project show` lists them: pace, light, remedy."""
    return []
