"""Learner progress, kept in SQLite (stdlib only; no Textual here)."""

from .opening import open_store
from .paths import data_dir
from .progress import ASSESSMENT, TRAINING, ProgressStore

__all__ = ["ASSESSMENT", "TRAINING", "ProgressStore", "data_dir", "open_store"]
