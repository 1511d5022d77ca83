"""Benchmarks, each a script with a baseline measured in the same run (see bench/report.py).

A package only so that import-linter can hold that no product package imports it.
"""
