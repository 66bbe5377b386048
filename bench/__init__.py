"""`make bench`: build, predict and serving measurements against the real data (see bench/run.py)."""
