"""The debrief of one attempt: a plain data record, and its JSON and Markdown renderings."""

from __future__ import annotations

from dataclasses import dataclass

from ..content.model import Choice, Course, Scenario
from ..content.pages import section_title
from ..engine import judgement
from ..engine.scoring import RiskLedger, Score, risk_ledger, score
from ..engine.state import GameState, history
from ..engine.story import states_before, text_in


@dataclass(frozen=True)
class OptionReview:
    """One option that was open at a decision: what it bought and what it cost."""

    id: str
    text: str
    value: int
    chosen: bool
    verdict: str | None  # "doctrine-best", "defensible" or None
    effects: tuple[tuple[str, float], ...]  # (indicator label, change)
    honours: tuple[tuple[str, int], ...]  # (principle title, score > 0)
    strains: tuple[tuple[str, int], ...]  # (principle title, score < 0)
    raises: tuple[str, ...]  # risk titles
    mitigates: tuple[str, ...]
    feedback: str

    def buys(self) -> list[str]:
        gains = [f"{label} {delta:+g}" for label, delta in self.effects if delta > 0]
        gains += [f"{title} {score:+d}" for title, score in self.honours]
        gains += [f"mitigates “{title}”" for title in self.mitigates]
        return gains

    def costs(self) -> list[str]:
        losses = [f"{label} {delta:+g}" for label, delta in self.effects if delta < 0]
        losses += [f"{title} {score:+d}" for title, score in self.strains]
        losses += [f"raises “{title}”" for title in self.raises]
        return losses


@dataclass(frozen=True)
class ReviewedDecision:
    number: int
    node: str
    node_title: str
    choice: str
    choice_text: str
    feedback: str
    section: str
    section_title: str
    quality: float | None
    best: tuple[str, ...]
    best_text: str
    best_feedback: str
    defensible: tuple[str, ...]  # within a point of the best, not the best
    is_inject: bool
    options: tuple[OptionReview, ...]
    why: str  # how the doctrine weighed the options here

    @property
    def close_call(self) -> bool:
        return bool(self.defensible)


@dataclass(frozen=True)
class PrincipleNote:
    """Why a principle reads below 100 %: the decisions that strained it."""

    title: str
    quality: float
    strained_at: tuple[str, ...]  # one sentence per decision


@dataclass(frozen=True)
class RiskEvent:
    """One line of the risk ledger told in order."""

    kind: str  # "raised", "mitigated" or "materialised"
    after: int  # the decision it came with (raised, mitigated) or after (materialised)
    risk_title: str
    risk_text: str
    section: str  # MODULE#ANCHOR of the risk in its lesson
    section_title: str
    cause: str  # the choice taken, or the event that fired


@dataclass(frozen=True)
class Provenance:
    """Who played, when, how and on which course: what makes an exported debrief a record."""

    learner: str | None
    mode: str  # training, assessment, or how a headless play was made
    when: float  # when the attempt started (seconds since the epoch)
    course_version: str

    def lines(self) -> list[tuple[str, str]]:
        from datetime import datetime

        stamp = datetime.fromtimestamp(self.when).astimezone().strftime("%d %b %Y %H:%M %Z")
        return [
            ("Learner", self.learner or "not recorded"),
            ("Mode", self.mode),
            ("When", stamp.strip()),
            ("Course", self.course_version),
        ]


def course_version(scenario: Scenario) -> str:
    """The program's version and the scenario file's own content hash."""
    from .. import __version__

    digest = scenario.digest[:12] or "unknown"
    return f"mltcourse {__version__}, {scenario.id} file {digest}"


@dataclass(frozen=True)
class Debrief:
    scenario: Scenario
    state: GameState
    ending_id: str | None
    ending_title: str
    ending_text: str
    outcome: str | None
    score: Score
    ledger: RiskLedger
    decisions: tuple[ReviewedDecision, ...]
    history: dict[str, list[float]]
    principle_notes: tuple[PrincipleNote, ...]
    risk_story: tuple[RiskEvent, ...]
    provenance: Provenance | None = None


def _titles(course: Course):
    principles = {p.id: p.title for p in course.principles.values()}
    risks = {r.id: r.title for r in course.risks.values()}
    return principles, risks


def _review_option(choice: Choice, chosen: str, verdict, scenario, principles, risks, before):
    return OptionReview(
        id=choice.id,
        text=text_in(choice.text, before),
        value=choice.value,
        chosen=choice.id == chosen,
        verdict=verdict,
        effects=tuple(
            (scenario.indicators[name].label, delta)
            for name, delta in choice.effects.items()
            if delta and name in scenario.indicators
        ),
        honours=tuple((principles.get(p, p), v) for p, v in choice.principles.items() if v > 0),
        strains=tuple((principles.get(p, p), v) for p, v in choice.principles.items() if v < 0),
        raises=tuple(risks.get(r, r) for r in choice.raises),
        mitigates=tuple(risks.get(r, r) for r in choice.mitigates),
        feedback=text_in(choice.feedback, before),
    )


def _why(options: list[OptionReview]) -> str:
    """The doctrine's weighing at one decision, in a sentence or three."""
    best = [o for o in options if o.verdict == "doctrine-best"]
    rest = sorted((o for o in options if o.verdict != "doctrine-best"), key=lambda o: -o.value)
    if not rest:
        return "Every open option was worth the same here, so this decision is not scored."
    top = best[0]
    reason = (
        f"The doctrine prefers “{top.text}” (worth {top.value:+d}) to the next option "
        f"(worth {rest[0].value:+d})"
    )
    honours = ", ".join(f"{title} {score:+d}" for title, score in top.honours)
    mitigates = " and ".join(f"“{title}”" for title in top.mitigates)
    if honours and mitigates:
        reason += f": it honours {honours} and mitigates {mitigates}."
    elif honours or mitigates:
        reason += f": it honours {honours}." if honours else f": it mitigates {mitigates}."
    else:
        reason += "."
    costs = top.costs()
    reason += f" It is not free: {', '.join(costs)}." if costs else ""
    defensible = [o for o in options if o.verdict == "defensible"]
    if defensible:
        names = " and ".join(f"“{o.text}”" for o in defensible)
        reason += (
            f" A close call: {names} came within a point of it and is defensible too; "
            "each buys something the other gives up."
        )
    return reason


def build_debrief(
    scenario: Scenario,
    state: GameState,
    course: Course,
    provenance: Provenance | None = None,
    start: GameState | None = None,
) -> Debrief:
    """The debrief of a play; ``start`` is the state it began in when that was not the
    scenario's start (``play --from``)."""
    scored = score(scenario, state)
    principles, risks = _titles(course)
    reviewed = []
    befores = states_before(scenario, state, start)
    skipped = len(state.decisions) - len(befores)
    for number, (decision, judged, before) in enumerate(
        zip(state.decisions[skipped:], scored.decisions[skipped:], befores, strict=True), 1
    ):
        node = scenario.node(decision.node)
        choice = scenario.choice(decision.node, decision.choice)
        best = scenario.choice(decision.node, judged.best[0])
        open_options = [c for c in node.choices if c.id in decision.open]
        defensible = tuple(c.id for c in judgement.defensible_of(open_options))
        options = [
            _review_option(
                c,
                decision.choice,
                "doctrine-best"
                if c.id in judged.best
                else "defensible"
                if c.id in defensible
                else None,
                scenario,
                principles,
                risks,
                before,
            )
            for c in open_options
        ]
        reviewed.append(
            ReviewedDecision(
                number=number,
                node=node.id,
                node_title=text_in(node.title, before),
                choice=choice.id,
                choice_text=text_in(choice.text, before),
                feedback=text_in(choice.feedback, before),
                section=choice.section,
                section_title=section_title(course, choice.section),
                quality=judged.quality,
                best=judged.best,
                best_text=text_in(best.text, before),
                best_feedback=text_in(best.feedback, before),
                defensible=defensible,
                is_inject=decision.node not in scenario.scenes,
                options=tuple(options),
                why=_why(options),
            )
        )
    ending = next((e for e in scenario.endings if e.id == state.ending), None)
    return Debrief(
        scenario=scenario,
        state=state,
        ending_id=ending.id if ending else None,
        ending_title=text_in(ending.title, state) if ending else "Not finished",
        ending_text=text_in(ending.text, state) if ending else "",
        outcome=ending.rating if ending else None,
        score=scored,
        ledger=risk_ledger(scenario, state),
        decisions=tuple(reviewed),
        history=history(scenario, state, start),
        principle_notes=_principle_notes(scenario, state, scored, principles),
        risk_story=_risk_story(scenario, state, course),
        provenance=provenance,
    )


def _signed(number: int) -> str:
    return f"{number:+d}" if number else "0"


def _principle_notes(scenario, state, scored: Score, titles) -> tuple[PrincipleNote, ...]:
    notes = []
    for principle, value in scored.principles.items():
        if value >= 1:
            continue
        sentences = []
        for number, (decision, judged) in enumerate(
            zip(state.decisions, scored.decisions, strict=True), 1
        ):
            if judged.principles.get(principle, 1) >= 1:
                continue
            node = scenario.node(decision.node)
            chosen = scenario.choice(decision.node, decision.choice)
            open_options = [c for c in node.choices if c.id in decision.open]
            top = max(c.principles.get(principle, 0) for c in open_options)
            mine = chosen.principles.get(principle, 0)
            sentence = (
                f"Decision {number}, {node.title}: your choice scored {_signed(mine)} on it "
                f"where another open option scored {_signed(top)}."
            )
            if decision.choice in judged.best:
                sentence += (
                    " It was still the doctrine-best choice overall: what it bought on other "
                    "principles and risks outweighed this strain."
                )
            sentences.append(sentence)
        notes.append(PrincipleNote(titles.get(principle, principle), value, tuple(sentences)))
    return tuple(notes)


def _risk_story(scenario: Scenario, state: GameState, course: Course) -> tuple[RiskEvent, ...]:
    """Raised at decision N by which choice, mitigated at M, materialised after K: in order."""

    def event(kind, after, risk_id, cause):
        risk = course.risks.get(risk_id)
        if risk is None:
            return RiskEvent(kind, after, risk_id, "", "", "", cause)
        where = section_title(course, risk.anchor)
        return RiskEvent(kind, after, risk.title, risk.text, risk.anchor, where, cause)

    story: list[tuple[int, int, RiskEvent]] = []
    for number, decision in enumerate(state.decisions, 1):
        choice = scenario.choice(decision.node, decision.choice)
        cause = f"“{choice.text.rstrip('.')}”"
        story += [(number, 0, event("raised", number, r, cause)) for r in choice.raises]
        story += [(number, 0, event("mitigated", number, r, cause)) for r in choice.mitigates]
    injects = {i.id: i for i in scenario.injects}
    for fired in state.events:
        inject = injects[fired.inject]
        story += [
            (fired.after, 1, event("materialised", fired.after, r, inject.title))
            for r in inject.materializes
        ]
    return tuple(item for _, _, item in sorted(story, key=lambda t: (t[0], t[1])))


def principle_profile(debrief: Debrief, course: Course) -> list[tuple[str, float]]:
    """(principle title, decision quality) per principle scored, titled from the course."""
    titles = {p.id: p.title for p in course.principles.values()}
    return [(titles.get(p, p), value) for p, value in debrief.score.principles.items()]


def debrief_json(debrief: Debrief) -> dict:
    """The stable JSON shape of ``play --report json``."""
    return {
        "scenario": debrief.scenario.id,
        "ending": debrief.ending_id,
        "outcome": debrief.outcome,
        "decisions": [
            {
                "scene": d.node,
                "choice": d.choice,
                "quality": d.quality,
                "best": list(d.best),
                "defensible": list(d.defensible),
                "options": [
                    {"id": o.id, "value": o.value, "verdict": o.verdict} for o in d.options
                ],
            }
            for d in debrief.decisions
        ],
        "score": {"overall": debrief.score.overall, "principles": debrief.score.principles},
        "risks": {
            "raised": list(debrief.ledger.raised),
            "mitigated": list(debrief.ledger.mitigated),
            "materialized": list(debrief.ledger.materialized),
        },
        "indicators": dict(debrief.state.values),
    }


_SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(series: list[float], low: float = 0, high: float = 100) -> str:
    span = (high - low) or 1
    return "".join(_SPARKS[min(7, max(0, int((v - low) / span * 7.999)))] for v in series)
