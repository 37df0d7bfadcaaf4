"""A per-client rate limit: one token bucket per (client, bucket name), refilled continuously.

A client may spend its whole minute's allowance at once and then one request every ``60 / per_minute``
seconds. Pure and thread-safe; the clock can be injected for tests.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

MAX_CLIENTS = 10_000  # buckets kept; beyond this, full (idle) ones are forgotten


class RateLimiter:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}  # key -> (tokens, at)
        self._lock = threading.Lock()

    def take(self, client: str, bucket: str = "questions") -> int | None:
        """Spend one request for ``client``; None if allowed, else whole seconds until the next one is.

        >>> limiter = RateLimiter(2, clock=lambda: 0.0)
        >>> limiter.take("a"), limiter.take("a"), limiter.take("a"), limiter.take("b")
        (None, None, 30, None)
        """
        if self.per_minute <= 0:
            return None
        rate = self.per_minute / 60.0  # tokens per second
        now = self._clock()
        key = (client, bucket)
        with self._lock:
            tokens, at = self._buckets.get(key, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - at) * rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                if len(self._buckets) > MAX_CLIENTS:
                    self._forget_idle(now, rate)
                return None
            self._buckets[key] = (tokens, now)
            return max(1, math.ceil((1.0 - tokens) / rate))

    def _forget_idle(self, now: float, rate: float) -> None:
        full = [k for k, (tokens, at) in self._buckets.items() if tokens + (now - at) * rate >= self.per_minute]
        for key in full:
            del self._buckets[key]
