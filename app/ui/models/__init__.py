"""Qt models over the app's data (tested without a widget)."""
