"""Huishoudboekje: the pure budget-smoothing engine and its services."""
