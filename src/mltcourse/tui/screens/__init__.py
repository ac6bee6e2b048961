"""The app's screens; each is imported only when first shown."""
