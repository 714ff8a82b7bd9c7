"""Qt widgets, models and the controller that runs async work under qasync."""
