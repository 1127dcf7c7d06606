"""Watching news feeds: `python -m pipeline watch --feeds feeds.txt --store DIR`.

One cycle reads the feeds (`feeds`), fetches the pages of their new entries politely (`fetch`),
turns each page into an `Article` (`pages`), runs the extraction (`pipeline.runner`) and appends
the events to the event store (`watch`); what was seen and what failed is kept between cycles
(`state`). `command` is the command's options and what it prints.
"""
