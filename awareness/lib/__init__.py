"""App-free helpers: they import Django and the standard library, never an app of ours."""
