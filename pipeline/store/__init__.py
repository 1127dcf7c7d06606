"""Storing events: `tables` writes and reads one events table (CSV or Parquet) atomically;
`dataset` is the event store, a growing Parquet dataset by month that runs append to."""
