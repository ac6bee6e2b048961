"""mltcourse: peacebuilding for UN Mission Leadership Teams, as a course and scenario game."""

__version__ = "0.1.0"
