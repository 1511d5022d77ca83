"""scheduler (built in a later issue)."""
