"""Language server latency, run by hand: python benchmarks/bench_lsp.py

An editor's client starts ``mltcourse lsp`` and opens the biggest shipped scenario. Each
change alternates between a broken text (an unknown scene after ``next:``) and the right one,
and the time is taken from sending didChange to receiving the diagnostics for that version.
The figures are set against a floor measured in the same run: ``load_course`` of the course
in this process, the validator's own cost, which every check must pay. The server is run
with no pause before checking (``debounce`` 0), so the figures are its own cost; an editor
adds the pause (0.25 s by default) on top. Completion after ``next:`` is timed too.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from lsprotocol import types  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402

from mltcourse.content.loader import load_course  # noqa: E402

CHANGES = 20


def floor_seconds(repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        load_course(REPO)
        times.append(time.perf_counter() - start)
    return min(times)


async def measure(path: Path) -> tuple[list[float], list[float]]:
    client = LanguageClient("bench", "1")
    arrived: dict[int, float] = {}
    event = asyncio.Event()
    uri = path.resolve().as_uri()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def _published(params: types.PublishDiagnosticsParams) -> None:
        if params.uri == uri and params.version is not None:
            arrived.setdefault(params.version, time.perf_counter())
            event.set()

    async def until(version: int) -> float:
        while version not in arrived:
            event.clear()
            await asyncio.wait_for(event.wait(), 60)
        return arrived[version]

    await client.start_io(sys.executable, "-m", "mltcourse", "lsp", cwd=str(REPO))
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=REPO.as_uri(),
            initialization_options={"debounce": 0, "lint": False},
        )
    )
    client.initialized(types.InitializedParams())
    text = path.read_text(encoding="utf-8")
    broken = text.replace("next: ", "next: nowhere-", 1)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
        )
    )
    await until(1)
    latencies = []
    for version in range(2, CHANGES + 2):
        sent = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangeWholeDocument(
                        text=broken if version % 2 else text
                    )
                ],
            )
        )
        latencies.append(await until(version) - sent)
    index = text.index("next: ") + len("next: ")
    position = types.Position(
        line=text.count("\n", 0, index), character=index - text.rfind("\n", 0, index) - 1
    )
    completions = []
    for _ in range(CHANGES):
        sent = time.perf_counter()
        await client.text_document_completion_async(
            types.CompletionParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=position
            )
        )
        completions.append(time.perf_counter() - sent)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return latencies, completions


def main() -> None:
    biggest = max((REPO / "scenarios").glob("*.yaml"), key=lambda p: p.stat().st_size)
    floor = floor_seconds()
    latencies, completions = asyncio.run(measure(biggest))
    median = statistics.median(latencies)
    p90 = statistics.quantiles(latencies, n=10)[-1]
    print(f"scenario: {biggest.name} ({biggest.stat().st_size:,} bytes), {CHANGES} changes")
    print(f"floor: load_course of the whole course in-process  {floor * 1000:7.1f} ms")
    print(
        f"didChange -> publishDiagnostics  median {median * 1000:7.1f} ms  "
        f"p90 {p90 * 1000:7.1f} ms  max {max(latencies) * 1000:7.1f} ms  "
        f"({median / floor:.2f}x the floor)"
    )
    print(f"  with the default 0.25 s pause an author sees them after about {median + 0.25:.2f} s")
    print(
        f"completion after next:  median {statistics.median(completions) * 1000:7.1f} ms  "
        f"max {max(completions) * 1000:7.1f} ms"
    )


if __name__ == "__main__":
    main()
