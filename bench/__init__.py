"""Benchmarks. Run one with `.venv/bin/python -m bench.<name>`; see docs/benchmarks.md."""
