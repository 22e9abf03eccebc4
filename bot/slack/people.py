"""Who is speaking, as Slack knows them: names, zones and admin flags from `users.info`."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.context import Profile

log = logging.getLogger(__name__)


@dataclass
class _Cached:
    profile: Profile
    fetched: float


class People:
    """Display names, zones and admin flags from `users.info`, cached and refreshed when stale."""

    def __init__(self, client: WebClient, ttl_seconds: float) -> None:
        self.client, self.ttl = client, ttl_seconds
        self._cache: dict[str, _Cached] = {}
        self._lock = threading.Lock()

    def get(self, user_id: str, fallback_name: str | None = None) -> Profile:
        with self._lock:
            hit = self._cache.get(user_id)
        if hit and time.monotonic() - hit.fetched < self.ttl:
            return hit.profile
        try:
            user = self.client.users_info(user=user_id)["user"]
        except (SlackApiError, OSError) as err:  # refused, or Slack out of reach
            log.warning("users.info %s failed: %s", user_id, err)
            return hit.profile if hit else Profile(user_id, fallback_name or user_id)
        profile = user.get("profile") or {}
        name = (
            profile.get("display_name")
            or profile.get("real_name")
            or user.get("real_name")
            or user.get("name")
            or fallback_name
            or user_id
        )
        found = Profile(
            user_id,
            name,
            tz=user.get("tz") or None,
            is_admin=bool(user.get("is_admin") or user.get("is_owner")),
        )
        with self._lock:
            self._cache[user_id] = _Cached(found, time.monotonic())
        return found
