"""Can the course be passed without judgement? Players that read only the surface of options.

Each scenario is played by players that see nothing but the option texts: the longest, the
shortest, the first, the last, the one with the most "balancing" words, the one that echoes its
lesson most, the one with no refusal in it, and a naive Bayes text classifier trained on the
other nine scenarios. Each is compared with a random player (many runs). Per scenario and
overall it prints how often the longest option is the best (against chance), the share of
decisions whose best option has a doctrine cost, the close calls, the indicators at their cap
at the end of the best play, and each player's mean decision quality and success endings. The
knowledge checks are measured too: how often the keyed option is the longest, against chance.

    python benchmarks/bench_judgement.py [--content DIR] [--scenario ID] [--runs N] [--json]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
from collections import Counter
from pathlib import Path

from mltcourse.content.loader import load_course
from mltcourse.engine import judgement
from mltcourse.engine.playtest import policy_play
from mltcourse.engine.scoring import score
from mltcourse.engine.state import choose, new_game, open_choices

WORD = re.compile(r"[a-z][a-z'-]+")
BALANCING = (
    "while",
    "both",
    "jointly",
    "joint",
    "together",
    "alongside",
    "with national",
    "national partners",
    "balance",
    "consult",
    "and ask",
    "but",
    "in parallel",
    "at the same time",
)
REFUSAL = ("refuse", "decline", "no ", "not ", "ignore", "later", "only", "alone", "stop ", "wait")
STOP = set(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "by",
        "at",
        "from",
        "as",
        "is",
        "are",
        "be",
        "it",
        "its",
        "this",
        "that",
        "their",
        "them",
        "they",
        "you",
        "your",
        "we",
        "our",
        "his",
        "her",
        "who",
        "what",
        "which",
        "into",
        "over",
        "than",
        "then",
        "so",
        "but",
        "not",
        "no",
        "all",
        "any",
    ]
)


def words(text: str) -> list[str]:
    return [w for w in WORD.findall(text.lower()) if w not in STOP]


def play(scenario, pick) -> tuple[float, str]:
    """Play to an ending, letting ``pick(options, node)`` choose; return quality and rating."""
    state = new_game(scenario)
    while not state.finished:
        options = open_choices(scenario, state)
        node = scenario.node(state.node)
        state = choose(scenario, state, pick(options, node).id)
    ratings = {e.id: e.rating for e in scenario.endings}
    overall = score(scenario, state).overall
    return (overall if overall is not None else 0.0), ratings[state.ending]


def longest(options, node):
    return max(options, key=lambda c: len(c.text))


def shortest(options, node):
    return min(options, key=lambda c: len(c.text))


def first(options, node):
    return options[0]


def last(options, node):
    return options[-1]


def balanced(options, node):
    return max(options, key=lambda c: sum(c.text.lower().count(m) for m in BALANCING))


def no_refusal(options, node):
    return min(options, key=lambda c: sum(f" {c.text.lower()} ".count(m) for m in REFUSAL))


def echo_player(lesson_words: set[str]):
    def pick(options, node):
        return max(options, key=lambda c: len(set(words(c.text)) & lesson_words))

    return pick


def features(choice, options) -> list[str]:
    """What a text-only classifier may see: words, word pairs, length rank and place."""
    tokens = words(choice.text)
    feats = tokens + [f"{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False)]
    ranked = sorted(options, key=lambda c: -len(c.text))
    feats.append(f"LEN_RANK_{ranked.index(choice)}")
    feats.append(f"PLACE_{options.index(choice)}")
    feats.append(f"PLACE_FROM_END_{len(options) - 1 - options.index(choice)}")
    return feats


class NaiveBayes:
    def __init__(self, examples: list[tuple[list[str], bool]]):
        self.counts = {True: Counter(), False: Counter()}
        self.totals = Counter()
        self.vocab: set[str] = set()
        for feats, label in examples:
            self.counts[label].update(feats)
            self.totals[label] += 1
            self.vocab.update(feats)

    def log_odds(self, feats: list[str]) -> float:
        n_true = sum(self.counts[True].values()) + len(self.vocab)
        n_false = sum(self.counts[False].values()) + len(self.vocab)
        odds = math.log((self.totals[True] + 1) / (self.totals[False] + 1))
        for f in feats:
            odds += math.log((self.counts[True][f] + 1) / n_true)
            odds -= math.log((self.counts[False][f] + 1) / n_false)
        return odds


def training_examples(scenarios) -> list[tuple[list[str], bool]]:
    out = []
    for scenario in scenarios:
        for node in judgement.decision_nodes(scenario):
            best = {c.id for c in judgement.best_of(node.choices)}
            options = list(node.choices)
            out.extend((features(c, options), c.id in best) for c in options)
    return out


def classifier_player(model: NaiveBayes):
    def pick(options, node):
        opts = list(options)
        return max(opts, key=lambda c: model.log_odds(features(c, opts)))

    return pick


def explain_cues(course, scenario) -> str:
    """Where a classifier trained on the other scenarios finds the best option from its words
    alone: each such decision, with the words that pointed it there. For authors to rephrase."""
    others = [s for s in course.scenarios.values() if s.id != scenario.id]
    model = NaiveBayes(training_examples(others))
    lines = []
    found = 0
    cues = judgement.decision_nodes(scenario)
    for node in cues:
        options = list(node.choices)
        best = {c.id for c in judgement.best_of(options)}
        pick = max(options, key=lambda c: model.log_odds(features(c, options)))
        if pick.id not in best:
            continue
        found += 1
        lines.append(f"{scenario.path}:{node.pos[0]}: {node.id}: the classifier finds {pick.id!r}")
        for choice in options:
            weights = {
                f: model.log_odds([f]) - model.log_odds([]) for f in features(choice, options)
            }
            top = sorted(weights.items(), key=lambda kv: -abs(kv[1]))[:6]
            mark = "best" if choice.id in best else "    "
            words = ", ".join(f"{f} {w:+.1f}" for f, w in top)
            lines.append(f"    {mark} {choice.id}: {words}")
    lines.insert(
        0, f"{scenario.id}: the classifier finds the best option in {found} of {len(cues)}"
    )
    return "\n".join(lines)


def word_cues(course, limit: int = 30) -> str:
    """The words (and places) that lean most to the best or to the other options, course-wide,
    with how often each sits in a best option (T) and in another (F)."""
    model = NaiveBayes(training_examples(course.scenarios.values()))
    rows = []
    for feature in model.vocab:
        t, f = model.counts[True][feature], model.counts[False][feature]
        if t + f >= 5:
            rows.append((model.log_odds([feature]) - model.log_odds([]), feature, t, f))
    rows.sort()
    top = [f"  {w:+.2f} {name} T={t} F={f}" for w, name, t, f in reversed(rows[-limit:])]
    bottom = [f"  {w:+.2f} {name} T={t} F={f}" for w, name, t, f in rows[:limit]]
    return "\n".join(["Leaning to the best option:", *top, "Leaning away from it:", *bottom])


def measure_scenario(course, scenario, runs: int, seed: int) -> dict:
    cues = judgement.scenario_cues(scenario)
    decisions = len(cues)
    best_state = policy_play(scenario, "best")
    worst_state = policy_play(scenario, "worst")
    ratings = {e.id: e.rating for e in scenario.endings}
    module = course.module(scenario.module)
    lesson_words = set(words(module.lesson)) if module else set()
    others = [s for s in course.scenarios.values() if s.id != scenario.id]
    players = {
        "longest": longest,
        "shortest": shortest,
        "first": first,
        "last": last,
        "balanced": balanced,
        "echo": echo_player(lesson_words),
        "no-refusal": no_refusal,
        "classifier": classifier_player(NaiveBayes(training_examples(others))),
    }
    results = {}
    for name, pick in players.items():
        quality, rating = play(scenario, pick)
        results[name] = {"quality": round(quality, 3), "success": rating == "success"}
    rng = random.Random(seed)
    qualities, successes = [], 0
    for _ in range(runs):
        quality, rating = play(scenario, lambda options, node: rng.choice(options))
        qualities.append(quality)
        successes += rating == "success"
    places = Counter(p for c in cues for p in c.best_places)
    return {
        "scenario": scenario.id,
        "decisions": decisions,
        "longest_is_best": sum(c.best_is_longest for c in cues),
        "longest_chance": round(judgement.chance_longest(cues), 1),
        "best_places": dict(sorted(places.items())),
        "costly_best": sum(c.best_costs for c in cues),
        "close_calls": sum(c.close_call for c in cues),
        "best_ending": (best_state.ending, ratings[best_state.ending]),
        "worst_ending": (worst_state.ending, ratings[worst_state.ending]),
        "best_path_at_cap": judgement.indicators_at_cap(scenario, best_state.value),
        "random": {
            "quality": round(sum(qualities) / runs, 3),
            "success": round(successes / runs, 3),
        },
        "players": results,
    }


def measure_checks(course) -> list[dict]:
    out = []
    for module in course.modules:
        cues = judgement.check_cues(module)
        bare = sum(
            judgement.gives_no_reason(o.explanation)
            for c in module.checks
            for o in c.options
            if o.correct
        )
        tiers = Counter(
            next(o.text.split("-")[0].lower() for o in c.options if o.correct)
            for c in module.checks
            if c.kind == "tier"
        )
        out.append(
            {
                "module": module.id,
                "single": cues.single,
                "keyed_longest": cues.keyed_longest,
                "chance": round(cues.chance, 1),
                "bare_right_explanations": bare,
                "tier_keys": dict(tiers),
            }
        )
    return out


def report(rows: list[dict], checks: list[dict]) -> str:
    names = list(rows[0]["players"])
    lines = [
        "Scenarios: does the surface of an option give the best away?",
        "",
        f"{'scenario':22} {'dec':>3} {'long=best':>9} {'chance':>6} {'costly':>6} "
        f"{'close':>5} {'capped':>6} {'best end':>8} {'worst end':>9} {'rnd q':>5} {'rnd ok':>6}",
    ]
    for r in rows:
        lines.append(
            f"{r['scenario']:22} {r['decisions']:>3} {r['longest_is_best']:>9} "
            f"{r['longest_chance']:>6} {r['costly_best']:>6} {r['close_calls']:>5} "
            f"{len(r['best_path_at_cap']):>6} {r['best_ending'][1]:>8} {r['worst_ending'][1]:>9} "
            f"{r['random']['quality']:>5.2f} {r['random']['success']:>6.1%}"
        )
    total = sum(r["decisions"] for r in rows)
    lines.append(
        f"{'all':22} {total:>3} {sum(r['longest_is_best'] for r in rows):>9} "
        f"{sum(r['longest_chance'] for r in rows):>6.1f} {sum(r['costly_best'] for r in rows):>6} "
        f"{sum(r['close_calls'] for r in rows):>5}"
    )
    lines += ["", "Best option's place (1 = first):"]
    for r in rows:
        lines.append(f"  {r['scenario']:22} {r['best_places']}")
    lines += [
        "",
        "Surface players: mean decision quality (success ending: *) against random",
        "",
        f"{'scenario':22} {'random':>7} " + " ".join(f"{n:>10}" for n in names),
    ]
    for r in rows:
        cells = " ".join(
            f"{r['players'][n]['quality']:>9.2f}{'*' if r['players'][n]['success'] else ' '}"
            for n in names
        )
        lines.append(f"{r['scenario']:22} {r['random']['quality']:>7.2f} {cells}")
    mean_random = sum(r["random"]["quality"] for r in rows) / len(rows)
    means = " ".join(
        f"{sum(r['players'][n]['quality'] for r in rows) / len(rows):>10.2f}" for n in names
    )
    lines.append(f"{'mean quality':22} {mean_random:>7.2f} {means}")
    wins = " ".join(f"{sum(r['players'][n]['success'] for r in rows):>10}" for n in names)
    random_wins = sum(r["random"]["success"] for r in rows)
    lines.append(f"{'success endings (of 10)':22} {random_wins:>7.1f} {wins}")
    lines += [
        "",
        "Knowledge checks: is the keyed option the longest?",
        "",
        f"{'module':16} {'single':>6} {'keyed=longest':>13} {'chance':>6} {'bare':>5}  tier keys",
    ]
    for c in checks:
        lines.append(
            f"{c['module']:16} {c['single']:>6} {c['keyed_longest']:>13} {c['chance']:>6} "
            f"{c['bare_right_explanations']:>5}  {c['tier_keys']}"
        )
    lines.append(
        f"{'all':16} {sum(c['single'] for c in checks):>6} "
        f"{sum(c['keyed_longest'] for c in checks):>13} "
        f"{sum(c['chance'] for c in checks):>6.1f} "
        f"{sum(c['bare_right_explanations'] for c in checks):>5}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--scenario", action="append", help="only these scenarios")
    parser.add_argument("--runs", type=int, default=2000, help="random plays per scenario")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--cues", action="store_true", help="show the words that give each best option away"
    )
    parser.add_argument("--words", action="store_true", help="the course-wide word cues")
    args = parser.parse_args(argv)
    course = load_course(args.content)
    errors = [d for d in course.diagnostics if d.severity == "error"]
    if errors:
        for d in errors:
            print(d, file=sys.stderr)
        return 1
    ids = args.scenario or sorted(course.scenarios)
    if args.words:
        print(word_cues(course))
        return 0
    if args.cues:
        print("\n\n".join(explain_cues(course, course.scenarios[i]) for i in ids))
        return 0
    rows = [measure_scenario(course, course.scenarios[i], args.runs, args.seed) for i in ids]
    checks = measure_checks(course)
    if args.json:
        print(json.dumps({"scenarios": rows, "checks": checks}, indent=2))
    else:
        print(report(rows, checks))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
