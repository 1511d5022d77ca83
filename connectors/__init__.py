"""Bank file connectors: importers (statement files → `Statement`s) and exporters (pain.001)."""
