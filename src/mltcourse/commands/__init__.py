"""The commands behind ``mltcourse SUBCOMMAND``, grouped by who uses them."""
