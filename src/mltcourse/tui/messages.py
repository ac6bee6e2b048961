"""Messages that travel up the DOM: widgets say what happened, screens and the app act."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from ..content.model import Course


class Navigate(Message):
    """Go somewhere in the course.

    ``target`` is ``lesson:MODULE#ANCHOR``, ``scenario:ID``, ``term:TERM`` or a web URL (which
    opens only after the learner confirms).
    """

    def __init__(self, target: str) -> None:
        super().__init__()
        self.target = target


class CourseLoaded(Message):
    """A (re)load of the course finished; ``changed`` are the files that triggered it."""

    def __init__(self, course: Course, changed: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.course = course
        self.changed = changed


class MapShown(Message):
    """The course map has been painted: the moment to load the full course behind it."""


class CheckAnswered(Message):
    """The learner answered a knowledge check."""

    def __init__(self, module: str, check_id: str, picked: frozenset[int]) -> None:
        super().__init__()
        self.module = module
        self.check_id = check_id
        self.picked = picked


class ChoicePicked(Message):
    """The learner picked an option in a scenario."""

    def __init__(self, choice_id: str) -> None:
        super().__init__()
        self.choice_id = choice_id
