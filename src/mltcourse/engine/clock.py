"""A team's decision clock: a countdown that runs, pauses and is saved between runs.

Each team of an exercise has its own, since teams deliberate at the same time. Pure values
over a time given by the caller (the screen passes a monotonic clock), so the rules can be
tested without waiting.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Countdown:
    limit: float  # seconds per decision
    left: float  # seconds left when it last stopped (or started)
    since: float | None = None  # when it was started, if it is running

    @classmethod
    def fresh(cls, limit: float, left: float | None = None) -> Countdown:
        """A stopped clock with ``left`` seconds (a full one if None), within 0..limit."""
        return cls(limit, limit if left is None else min(max(left, 0.0), limit))

    @property
    def running(self) -> bool:
        return self.since is not None

    def remaining(self, now: float) -> float:
        if self.since is None:
            return self.left
        return max(0.0, self.left - (now - self.since))

    def expired(self, now: float) -> bool:
        return self.remaining(now) <= 0

    def start(self, now: float) -> Countdown:
        """Run on from where it stopped; an expired clock starts again from the limit."""
        if self.running and not self.expired(now):
            return self
        left = self.remaining(now)
        return replace(self, left=left if left > 0 else self.limit, since=now)

    def pause(self, now: float) -> Countdown:
        return replace(self, left=self.remaining(now), since=None)

    def toggle(self, now: float) -> Countdown:
        return self.pause(now) if self.running and not self.expired(now) else self.start(now)

    def reset(self, limit: float | None = None) -> Countdown:
        """A full, stopped clock (with a new limit if given): for the next decision."""
        limit = self.limit if limit is None else limit
        return Countdown(limit, limit)


def shown(seconds: float) -> str:
    """``4:05``: whole seconds left, rounded up so 0:00 means the time is really up."""
    whole = int(-(-seconds // 1))
    return f"{whole // 60}:{whole % 60:02d}"
