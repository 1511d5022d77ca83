"""The phases of the planner, one module each, in the order `plan()` folds them."""
