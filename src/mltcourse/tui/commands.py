"""The command palette: jump to any lesson, scenario or glossary term."""

from __future__ import annotations

from functools import partial

from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from .screens.dialog import DismissOnce
from .text import literal


class CoursePalette(DismissOnce, CommandPalette):
    """Textual's palette, closed once: Enter pressed fast twice or more would dismiss it
    again, closing the screen beneath it (see screens/dialog.py)."""


class CourseCommands(Provider):
    def _entries(self) -> list[tuple[str, str, str]]:
        """(text shown, target, help) for everything one can jump to."""
        course = getattr(self.app, "course", None)
        if course is None:
            return []
        entries = [
            (f"Lesson {m.order}: {m.title}", f"lesson:{m.id}#overview", "Open the lesson")
            for m in sorted(course.modules, key=lambda m: m.order)
        ]
        entries += [
            (f"Scenario: {s.title}", f"scenario:{s.id}", "Play the scenario")
            for s in course.scenarios.values()
        ]
        entries += [
            (
                f"Glossary: {t.term}" + (f" ({t.expansion})" if t.expansion else ""),
                f"term:{t.term}",
                "Look up the term",
            )
            for t in course.glossary
        ]
        entries.append(("Search the course", "app:search", "Lessons, glossary and scenes (/)"))
        entries.append(("Review what is due", "app:review", "Spaced review of what you missed"))
        entries.append(("Your notes and bookmarks", "app:notes", "Open the place of any note"))
        entries.append(("Switch learner", "app:switch_learner", "Choose or add a profile"))
        entries.append(("Show content problems", "app:problems", "Files that failed to load"))
        entries.append(("Facilitate a group exercise", "app:facilitate", "Teams on a projector"))
        return entries

    _ran = False

    def _run(self, target: str) -> None:
        """Go to the command's target: once per opening of the palette (a provider lives as
        long as its palette), however many Enters reached the palette."""
        if not self._ran:
            self._ran = True
            self.app.go(target)

    async def discover(self) -> Hits:
        for text, target, help_text in self._entries():
            yield DiscoveryHit(literal(text), partial(self._run, target), text, help_text)

    def _search_for(self, words: str) -> None:
        """The search dialog with what was typed in the palette (once, as ``_run``)."""
        if not self._ran and getattr(self.app, "course", None) is not None:
            self._ran = True
            self.app.search_query = words
            self.app.go("app:search")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, target, help_text in self._entries():
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score, _highlight(matcher, text), partial(self._run, target), text, help_text
                )
        if query.strip() and getattr(self.app, "course", None) is not None:
            text = f"Search the course for “{query.strip()}”"
            help_text = "Full text: lessons, glossary and scenes"
            yield Hit(0.3, literal(text), partial(self._search_for, query.strip()), text, help_text)


def _highlight(matcher, text: str) -> Content:
    """The matched letters emphasised, the text itself taken literally (not as markup)."""
    content = literal(text)
    _, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets:
        content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
