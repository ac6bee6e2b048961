"""A served class of 40 seats on this machine, run by hand: python benchmarks/bench_class.py

One ``mltcourse serve --scenario hearts-and-minds --teams ...`` with the bundled course; the
browsers are websocket clients speaking the page's protocol (40 Chromiums would measure
Chromium). Figures, each against a floor taken in the same run:
  * first screen: from opening the websocket to the app's "Who is studying?", for one seat
    alone (the floor) and for 40 seats joining at once (median, slowest; ratio to the floor);
  * memory per seat: the app processes' RSS and PSS (/proc), with one seat idle as the floor;
  * the tally's delay: a team device's vote (a key sent) until the facilitator's console (the
    facilitation screen, run headless in this process on the same store) holds it in its
    hidden tally, with 40 devices connected, against the console's own polling interval.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from mltcourse.content.paths import default_root
from mltcourse.serving.tokens import SECRET_ENV, ClassKeys, new_secret, team_role
from mltcourse.tui.screens.ballot_box import BALLOT_POLL

ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")
SCENARIO, TEAMS = "hearts-and-minds", ("Alpha", "Bravo", "Charlie", "Delta")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """One seat: its own cookies, the page's websocket, and all the app has drawn so far."""

    def __init__(self, origin: str, link: str) -> None:
        self.origin, self.link = origin, link
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.seen = b""
        self.changed = asyncio.Event()
        self.socket = None

    async def join(self) -> float:
        """Open the page and its websocket; the seconds from connecting to the first screen."""
        async with self.session.get(self.link) as page:
            html = await page.text()
        path = re.search(r'data-session-websocket-url="ws://[^/]+(/ws[^"]*)"', html).group(1)
        started = time.perf_counter()
        self.socket = await self.session.ws_connect(
            f"{self.origin.replace('http', 'ws')}{path}?width=100&height=30", origin=self.origin
        )
        self.reader = asyncio.ensure_future(self._read())
        return started

    async def _read(self) -> None:
        async for message in self.socket:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.seen += ANSI.sub(b"", message.data)
                self.changed.set()

    async def shown(self, text: bytes, timeout: float = 120) -> float:
        deadline = time.perf_counter() + timeout
        while text not in self.seen:
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), max(0.01, deadline - time.perf_counter()))
        return time.perf_counter()

    async def press(self, key: str) -> None:
        await self.socket.send_json(["stdin", key])

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
        await self.session.close()


def app_processes(server: int) -> list[int]:
    """The served app processes: the server's children (each leads its own group)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == server:
                found.append(int(entry))
    return found


def memory(pids: list[int]) -> tuple[float, float]:
    """Total RSS and PSS of ``pids``, in MiB."""
    rss = pss = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                name, _, value = line.partition(":")
                if name in ("Rss", "Pss"):
                    kib = int(value.split()[0])
                    rss, pss = (rss + kib, pss) if name == "Rss" else (rss, pss + kib)
        except OSError:
            continue
    return rss / 1024, pss / 1024


async def settle(server: int, count: int) -> None:
    """Until ``count`` app processes run and their memory stops growing."""
    last = -1.0
    while True:
        pids = app_processes(server)
        now = memory(pids)[0]
        if len(pids) >= count and abs(now - last) < 1:
            return
        last = now
        await asyncio.sleep(1)


async def seats(origin: str, keys: ClassKeys, server: int, count: int) -> None:
    link = keys.join_url(origin)
    alone = Browser(origin, link)
    started = await alone.join()
    floor = await alone.shown(b"Who is studying?") - started
    await settle(server, 1)
    floor_rss, floor_pss = memory(app_processes(server))
    await alone.close()
    await asyncio.sleep(2)

    browsers = [Browser(origin, link) for _ in range(count)]
    starts = await asyncio.gather(*(b.join() for b in browsers))
    ends = await asyncio.gather(*(b.shown(b"Who is studying?") for b in browsers))
    times = sorted(end - start for start, end in zip(starts, ends, strict=True))
    await settle(server, count)
    rss, pss = memory(app_processes(server))
    print(f"first screen, 1 seat alone (floor): {floor * 1000:.0f} ms")
    print(
        f"first screen, {count} seats at once: median {statistics.median(times):.2f} s, "
        f"slowest {times[-1]:.2f} s ({times[-1] / floor:.1f} x the floor)"
    )
    print(
        f"memory per seat: RSS {rss / count:.0f} MiB, PSS {pss / count:.0f} MiB "
        f"(one idle seat alone: RSS {floor_rss:.0f}, PSS {floor_pss:.0f} MiB); "
        f"{count} seats: RSS {rss:.0f} MiB, PSS {pss:.0f} MiB"
    )
    await asyncio.gather(*(b.close() for b in browsers))


async def tally_delay(origin: str, keys: ClassKeys, root: Path, data: Path, count: int) -> None:
    from mltcourse.tui.app import create_app

    target = f"app:facilitate({SCENARIO!r}, {', '.join(TEAMS)!r}, 0, False)"
    console = create_app(root, data, learner="Trainer", start=target)
    async with console.run_test(size=(140, 45)) as pilot:
        while type(console.screen).__name__ != "FacilitateScreen":
            await pilot.pause(0.05)
        devices = [
            Browser(origin, keys.join_url(origin, team_role(n % len(TEAMS)))) for n in range(count)
        ]
        await asyncio.gather(*(d.join() for d in devices))
        await asyncio.gather(*(d.shown(b"Decision 1") for d in devices))
        delays = []
        for number, device in enumerate(devices[: len(TEAMS) * 3]):
            team = number % len(TEAMS)

            def total(team: int = team) -> int:
                tally = console.screen.live.exercise.teams[team].tally
                return tally.total if tally else 0

            before = total()
            sent = time.perf_counter()
            await device.press("1")
            while total() == before:
                await pilot.pause(0.005)
            delays.append(time.perf_counter() - sent)
        await asyncio.gather(*(d.close() for d in devices))
    delays.sort()
    print(
        f"vote to console, {count} devices connected: median {statistics.median(delays) * 1000:.0f}"
        f" ms, slowest {delays[-1] * 1000:.0f} ms over {len(delays)} votes (the console looks "
        f"every {BALLOT_POLL * 1000:.0f} ms, the devices every 250 ms)"
    )


async def run(count: int) -> None:
    root = default_root(None)
    with tempfile.TemporaryDirectory() as folder:
        data, port, secret = Path(folder) / "data", free_port(), new_secret()
        origin = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "mltcourse", "serve", "--port", str(port)]
        command += ["--data-dir", str(data), "--max-sessions", str(count + 5), "--no-roster"]
        command += ["--scenario", SCENARIO, "--teams", ",".join(TEAMS)]
        log = Path(folder) / "serve.log"
        with log.open("wb") as out:
            server = subprocess.Popen(
                command,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=dict(os.environ, **{SECRET_ENV: secret}),
                start_new_session=True,
            )
        try:
            while "?join=" not in log.read_text(errors="replace"):
                await asyncio.sleep(0.1)
            keys = ClassKeys(secret, TEAMS)
            await seats(origin, keys, server.pid, count)
            await asyncio.sleep(3)
            await tally_delay(origin, keys, root, data, count)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seats", type=int, default=40)
    asyncio.run(run(parser.parse_args().seats))


if __name__ == "__main__":
    main()
