"""The ``--notify`` webhook: a JSON POST of a watch's substantive change, retried with
exponential backoff (on the injectable clock) when the receiver fails or cannot be reached."""

from __future__ import annotations

import json
from typing import Any

import httpx

from drafttrack.watch.clock import Clock
from drafttrack.watch.fetch import TIMEOUT, USER_AGENT

ATTEMPTS = 4
FIRST_DELAY_S = 2.0


def post_json(
    url: str,
    payload: dict[str, Any],
    clock: Clock,
    *,
    client: httpx.Client | None = None,
    attempts: int = ATTEMPTS,
    first_delay_s: float = FIRST_DELAY_S,
) -> tuple[bool, str]:
    """POST ``payload`` to ``url`` until a 2xx answer, at most ``attempts`` times, waiting
    ``first_delay_s`` ×2 between tries; returns (delivered, what happened last)."""
    own = client is None
    client = client or httpx.Client(timeout=TIMEOUT, follow_redirects=False)
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT}
    last = ""
    try:
        for attempt in range(attempts):
            if attempt:
                clock.sleep(first_delay_s * 2 ** (attempt - 1))
            try:
                response = client.post(url, content=body, headers=headers)
            except httpx.HTTPError as exc:
                last = f"{url}: {exc}"
                continue
            if 200 <= response.status_code < 300:
                return True, f"HTTP {response.status_code}"
            last = f"{url}: HTTP {response.status_code}"
        return False, last
    finally:
        if own:
            client.close()
