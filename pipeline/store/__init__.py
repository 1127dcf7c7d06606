"""Storing events: `tables` writes and reads one events table (CSV or Parquet) atomically."""
