"""Helpers shared by the tests: plain modules, imported by test modules; fixtures live in conftest files."""
