"""GUI tests for app/ui/window/."""
