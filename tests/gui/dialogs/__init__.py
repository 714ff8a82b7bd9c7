"""GUI tests for app/ui/dialogs/."""
