"""Controllers: objects that own the window's services, state and in-flight work (no widgets)."""
