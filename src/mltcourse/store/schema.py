"""The progress database's schema, as a list of migrations applied in order.

``PRAGMA user_version`` holds how many have been applied. A new schema version is a new entry
at the end of ``MIGRATIONS``; entries already released are never edited.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

MIGRATIONS: tuple[str, ...] = (
    # 1: learners, lesson progress, check answers, scenario attempts and their decisions
    """
    CREATE TABLE learners (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        created REAL NOT NULL,
        last_seen REAL NOT NULL
    );
    CREATE TABLE section_visits (
        learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
        module TEXT NOT NULL,
        anchor TEXT NOT NULL,
        first_seen REAL NOT NULL,
        last_seen REAL NOT NULL,
        PRIMARY KEY (learner_id, module, anchor)
    );
    CREATE TABLE lesson_reads (
        learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
        module TEXT NOT NULL,
        read_at REAL NOT NULL,
        PRIMARY KEY (learner_id, module)
    );
    CREATE TABLE check_answers (
        id INTEGER PRIMARY KEY,
        learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
        module TEXT NOT NULL,
        check_id TEXT NOT NULL,
        picked TEXT NOT NULL,
        correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
        answered REAL NOT NULL
    );
    CREATE INDEX check_answers_by_check ON check_answers (learner_id, module, check_id);
    CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
        scenario TEXT NOT NULL,
        digest TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('training', 'assessment')),
        source TEXT NOT NULL CHECK (source IN ('app', 'play')),
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'finished', 'closed')),
        started REAL NOT NULL,
        updated REAL NOT NULL,
        ending TEXT,
        outcome TEXT,
        score REAL,
        note TEXT
    );
    CREATE UNIQUE INDEX one_open_attempt ON attempts (learner_id, scenario)
        WHERE status = 'open';
    CREATE TABLE decisions (
        attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        node TEXT NOT NULL,
        choice TEXT NOT NULL,
        made REAL NOT NULL,
        PRIMARY KEY (attempt_id, seq)
    );
    """,
    # 2: group exercises: teams, role cards, each team's decisions and the vote tallies
    """
    CREATE TABLE exercises (
        id INTEGER PRIMARY KEY,
        scenario TEXT NOT NULL,
        digest TEXT NOT NULL,
        countdown INTEGER CHECK (countdown IS NULL OR countdown > 0),
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'finished', 'closed')),
        current_team INTEGER NOT NULL DEFAULT 0,
        started REAL NOT NULL,
        updated REAL NOT NULL,
        note TEXT
    );
    CREATE TABLE exercise_teams (
        exercise_id INTEGER NOT NULL REFERENCES exercises(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        tally TEXT,
        PRIMARY KEY (exercise_id, position)
    );
    CREATE TABLE exercise_roles (
        exercise_id INTEGER NOT NULL REFERENCES exercises(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        role TEXT NOT NULL,
        member TEXT NOT NULL,
        PRIMARY KEY (exercise_id, position, role)
    );
    CREATE TABLE exercise_decisions (
        exercise_id INTEGER NOT NULL REFERENCES exercises(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        node TEXT NOT NULL,
        choice TEXT NOT NULL,
        how TEXT NOT NULL CHECK (how IN ('recorded', 'majority', 'facilitator')),
        tally TEXT,
        made REAL NOT NULL,
        PRIMARY KEY (exercise_id, position, seq)
    );
    """,
    # 3 (this session): settings, and spaced review: each item a learner missed (a check by
    # module and id, scenario ''; a decision by scenario and scene, with the options that were
    # open), its FSRS card, and every review of it with FSRS's log; and when a decision's
    # training feedback was read (a take-back is offered until then; a resume shows it again)
    """
    ALTER TABLE decisions ADD COLUMN read REAL;
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE learner_settings (
        learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (learner_id, key)
    );
    CREATE TABLE review_items (
        id INTEGER PRIMARY KEY,
        learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('check', 'decision')),
        module TEXT NOT NULL,
        scenario TEXT NOT NULL DEFAULT '',
        item TEXT NOT NULL,
        options TEXT,
        card TEXT NOT NULL,
        due REAL NOT NULL,
        created REAL NOT NULL,
        UNIQUE (learner_id, kind, module, scenario, item)
    );
    CREATE INDEX review_items_due ON review_items (learner_id, due);
    CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES review_items(id) ON DELETE CASCADE,
        learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
        rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        answer TEXT NOT NULL,
        reviewed REAL NOT NULL,
        log TEXT NOT NULL
    );
    CREATE INDEX reviews_by_day ON reviews (learner_id, reviewed);
    """,
    # 4 (this session): a learner's notes and bookmarks, one per lesson page (place
    # MODULE#ANCHOR) or scenario decision (SCENARIO/NODE), with the place's title when written
    """
    CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('lesson', 'decision')),
        place TEXT NOT NULL,
        label TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT '',
        bookmark INTEGER NOT NULL DEFAULT 0 CHECK (bookmark IN (0, 1)),
        created REAL NOT NULL,
        updated REAL NOT NULL
    );
    CREATE UNIQUE INDEX one_note_per_place ON notes (learner_id, kind, place);
    """,
    # 5 (this session): an exercise's life: who ran it, the notes setting, each team's clock,
    # corrections of recorded decisions, and why the facilitator decided (tie-break or override)
    """
    ALTER TABLE exercises ADD COLUMN facilitator TEXT;
    ALTER TABLE exercises ADD COLUMN notes_hidden INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE exercise_teams ADD COLUMN clock REAL;
    ALTER TABLE exercise_decisions ADD COLUMN reason TEXT
        CHECK (reason IS NULL OR reason IN ('tie-break', 'override'));
    CREATE TABLE exercise_corrections (
        id INTEGER PRIMARY KEY,
        exercise_id INTEGER NOT NULL REFERENCES exercises(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        node TEXT NOT NULL,
        old_choice TEXT NOT NULL,
        old_how TEXT NOT NULL,
        old_reason TEXT,
        old_tally TEXT,
        old_made REAL NOT NULL,
        new_choice TEXT,
        made REAL NOT NULL
    );
    """,
    # 6 (this session): a served class: each seat's learner, team members' ballots, and the
    # injects the facilitator pushed into a team's play (after how many of its decisions;
    # when the room moved on from it; when it was taken back, if it was)
    """
    CREATE TABLE class_seats (
        id INTEGER PRIMARY KEY,
        class_id TEXT NOT NULL,
        seat TEXT NOT NULL,
        learner_id INTEGER REFERENCES learners(id) ON DELETE CASCADE,
        team INTEGER,
        joined REAL NOT NULL,
        last_seen REAL NOT NULL,
        place TEXT,
        UNIQUE (class_id, seat)
    );
    CREATE TABLE learner_pins (
        learner_id INTEGER PRIMARY KEY REFERENCES learners(id) ON DELETE CASCADE,
        salt TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE TABLE ballots (
        exercise_id INTEGER NOT NULL REFERENCES exercises(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        seat TEXT NOT NULL,
        choice TEXT NOT NULL,
        cast REAL NOT NULL,
        PRIMARY KEY (exercise_id, position, seq, seat)
    );
    CREATE TABLE exercise_pushes (
        id INTEGER PRIMARY KEY,
        exercise_id INTEGER NOT NULL REFERENCES exercises(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        inject TEXT NOT NULL,
        decisions INTEGER NOT NULL,
        pushed REAL NOT NULL,
        shown REAL,
        taken_back REAL
    );
    """,
    # 7 (this session): when the room moved on from the consequences of a team's decision
    # (NULL: still on the projector, so a resume shows them again); earlier ones were seen
    """
    ALTER TABLE exercise_decisions ADD COLUMN shown REAL;
    UPDATE exercise_decisions SET shown = made;
    """,
)


class SchemaTooNew(RuntimeError):
    """The database was written by a newer mltcourse than this one."""


def _version(connection: sqlite3.Connection) -> int:
    return connection.execute("PRAGMA user_version").fetchone()[0]


def _statements(script: str) -> Iterator[str]:
    """The script's statements one by one (a ``;`` inside a string does not end one)."""
    statement = ""
    for piece in script.split(";"):
        statement += piece + ";"
        if sqlite3.complete_statement(statement):
            yield statement.strip()
            statement = ""


def migrate(connection: sqlite3.Connection, migrations: tuple[str, ...] = MIGRATIONS) -> int:
    """Apply the migrations the database has not had yet, all in one transaction: a new
    progress file is created with one write to disk rather than one per migration (a first
    launch waits for each), and a failed migration leaves the file as it was.

    The transaction takes the write lock before it reads the version again, so two processes
    that open a new progress file at the same moment do not both try to create the tables.
    """
    if _version(connection) > len(migrations):
        raise SchemaTooNew(
            f"the progress database has schema version {_version(connection)}; this "
            f"mltcourse knows versions up to {len(migrations)}: upgrade mltcourse"
        )
    if _version(connection) < len(migrations):
        connection.execute("BEGIN IMMEDIATE")
        try:
            for version in range(_version(connection), len(migrations)):
                for statement in _statements(migrations[version]):
                    connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {len(migrations)}")
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
    return len(migrations)
