"""Benchmarks: `python -m bench` (see bench/__main__.py); every corpus they build is synthetic."""
