"""Countersigning across desks: the package format and reading it safely."""
