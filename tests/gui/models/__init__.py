"""GUI tests for app/ui/models/."""
