"""Who may use jobapp: API tokens and rate limits (users, passwords and sessions live beside them)."""
