"""The dashboard's computations, without Streamlit (`app.py` only wires widgets to them).

`data_io` loads, builds the demo, takes uploads and exports; `views` filters and aggregates;
`trend` writes the answer at the top; `charts` draws; `timeaxis` keeps time honest; `colours` gives
red and blue to stance only; `selection` keeps what the reader picked; `evidence` and
`cue_reading` explain a statement; `uploads` places the reader's own data; `layout` styles small
screens. On an event store, `store_queries` answers the same questions with DuckDB, and
`generate_store` makes a synthetic store of any size. `bench`, `bench_browser` and `bench_store`
measure the dashboard's speed.
"""
