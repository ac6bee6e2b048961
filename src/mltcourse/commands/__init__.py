"""The commands behind ``mltcourse SUBCOMMAND``, grouped by who uses them."""


class UsageError(Exception):
    """A mistake in how the command was called (exit 2)."""
