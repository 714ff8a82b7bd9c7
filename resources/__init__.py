"""Static files shipped with the app (icons, .desktop entry), read via importlib.resources."""
