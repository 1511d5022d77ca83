"""The `hhb` command line: thin wrappers around the service functions."""
