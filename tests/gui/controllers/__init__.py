"""GUI tests for app/ui/controllers/."""
