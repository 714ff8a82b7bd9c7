"""GUI tests for app/ui/widgets/."""
