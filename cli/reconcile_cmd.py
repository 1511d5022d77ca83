from typing import Any


def register(subparsers: Any) -> None:
    """Placeholder until the reconcile command lands."""
