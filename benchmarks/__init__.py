"""Benchmarks: one ``bench_<area>.py`` script per capability, each runnable on its own.

See ``benchmarks/README.md`` for what each one measures and the figures last recorded.
"""
