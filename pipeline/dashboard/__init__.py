"""The dashboard's computations, without Streamlit (`app.py` only wires widgets to them).

`data_io` loads, builds the demo, takes uploads and exports; `views` filters and aggregates;
`trend` writes the answer at the top; `charts` draws; `timeaxis` keeps time honest; `colours` gives
red and blue to stance only; `selection` keeps what the reader picked; `evidence` and
`cue_reading` explain a statement; `uploads` places the reader's own data; `layout` styles small
screens. `bench` and `bench_browser` measure the dashboard's speed.
"""
