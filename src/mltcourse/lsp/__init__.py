"""The language server for course files (``mltcourse lsp``): never imports Textual or the app."""
