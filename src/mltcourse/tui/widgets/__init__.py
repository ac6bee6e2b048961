"""Reusable widgets: gauges, charts, sparklines, choice lists, knowledge checks."""
