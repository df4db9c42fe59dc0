"""Small helpers shared by every app, below all of them (it imports no app)."""
