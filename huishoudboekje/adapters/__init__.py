"""The edge: persistence (tables, repositories, unit of work), Alembic migrations and
the YAML configuration reader/writer. Stands on the domain; never imported by the
entry points (web, CLI, scheduler), which go through `huishoudboekje.services`."""
