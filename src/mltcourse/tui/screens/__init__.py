"""The app's screens; each is imported only when first shown."""

from pathlib import Path

# The styles of the screens that show course content (see content.tcss); resolved as Textual
# resolves a screen's CSS_PATH, so loading it early is recognised when such a screen opens.
CONTENT_CSS = (Path(__file__).parent / "content.tcss").resolve()
