"""The Textual app: a thin shell over the content, engine, store and reports packages."""
