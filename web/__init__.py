"""web (built in a later issue)."""
