"""Values and pure rules: money, ledger, households, schedules, matching, planner,
forecast, signals. No I/O, clock, environment, logging, SQL, YAML or Flask."""
