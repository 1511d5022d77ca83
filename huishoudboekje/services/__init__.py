"""Use cases: the only code that opens a unit of work. The one door for the CLI, the
scheduler and the web; stands on the domain and the adapters."""
