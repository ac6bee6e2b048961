"""Who is studying: the app asks before any screen that records progress opens, and a served
seat signs its learner in once and keeps them. A mixin of ``CourseApp``."""

from __future__ import annotations

from collections.abc import Callable

from ..store.progress import Learner

NOBODY_CHOSEN = "No learner was chosen, so nothing was recorded. Run mltcourse again to start."


class LearnerFlow:
    """Needs the app's ``store``, ``learner``, ``learner_name``, ``seat``, ``facilitating``
    and ``_waiting_for_learner``."""

    def _known_learner(self) -> Learner | None:
        """--learner, else the only profile there is; None means the learner must be asked."""
        assert self.store is not None
        if self.seat is not None:  # a seat never studies as whoever was here before
            return None
        if self.learner_name:
            return self.store.learner(self.learner_name)
        known = self.store.learners()
        return self.store.learner(known[0].name) if len(known) == 1 else None

    def with_learner(self, then: Callable[[Learner], None]) -> None:
        """Run ``then`` with the learner, asking who is studying first if nobody is chosen
        yet: the one way to a screen that records progress (see navigation.route)."""
        if self.learner is not None:
            then(self.learner)
        else:
            self._waiting_for_learner.append(then)
            self.action_switch_learner()

    def action_switch_learner(self) -> None:
        if self.seat is not None:
            self._sign_in_seat()
            return
        from .screens.learners import LearnerPicker

        assert self.store is not None
        if any(isinstance(screen, LearnerPicker) for screen in self.screen_stack):
            return  # already asking (the palette may be open over the question)

        def chosen(name: str | None) -> None:
            waiting, self._waiting_for_learner = self._waiting_for_learner, []
            if not name:
                if self.learner is None and not self.facilitating:
                    self.exit(message=NOBODY_CHOSEN)
                return
            assert self.store is not None
            learner = self.store.learner(name)
            if self.learner is not None and learner.id != self.learner.id:
                self.action_course_map()  # a screen studies for one learner: close them
            self.learner = learner
            for then in waiting:
                then(learner)

        first = self.learner is None and not self.facilitating
        self.push_screen(LearnerPicker(self.store.learners(), first), chosen)

    def _sign_in_seat(self) -> None:
        """A served seat: its learner signs in once and stays (another is another browser)."""
        from ..store.classroom import ClassStore
        from .screens.seat_sign_in import SeatSignIn

        assert self.store is not None and self.seat is not None
        if self.learner is not None:
            self.notify(
                f"This browser studies as {self.learner.name}. To study as someone else, "
                "close it and open the class's join link in another browser.",
                markup=False,
            )
            return
        if any(isinstance(screen, SeatSignIn) for screen in self.screen_stack):
            return

        def signed_in(learner: Learner | None) -> None:
            if learner is None:
                self.exit()
                return
            waiting, self._waiting_for_learner = self._waiting_for_learner, []
            self.learner = learner
            for then in waiting:
                then(learner)

        self.push_screen(SeatSignIn(ClassStore(self.store), self.seat), signed_in)

    def _seat_seen(self) -> None:
        """Tell the trainer's roster that this seat is here, and what it shows."""
        from ..store.classroom import ClassStore

        if self.store is not None and self.seat is not None and self.learner is not None:
            place = self.screen.title or self.screen.sub_title or None
            ClassStore(self.store).seen(self.seat.class_id, self.seat.seat, place)
