"""Escalation-signal timeline: news articles in, dated and attributed escalation events out.

`python -m pipeline run INPUT... --out events.csv` is the command line; `pipeline.runner` the
library entry point; `pipeline.schema` the events table every part shares.
"""

__version__ = "0.1.0"
