"""The escalation-signal timeline: a Streamlit dashboard over the pipeline's events table.

    streamlit run app.py                          # the demo (built on first start, then cached)
    streamlit run app.py -- --events out.csv      # an events table made by the pipeline
    ESCALATION_EVENTS=out.parquet streamlit run app.py
    streamlit run app.py -- --store DIR           # an event store, filtered with DuckDB (not loaded)

This file only does the UI: the sidebar's widgets, the URL, and showing what the `pipeline`
package computes (`pipeline.dashboard.data_io` loads and exports, `pipeline.dashboard.views` filters and
aggregates, `pipeline.dashboard.trend` summarises, `pipeline.dashboard.charts` draws, `pipeline.dashboard.colours` colours,
`pipeline.dashboard.selection` keeps what the reader picked, `pipeline.dashboard.evidence` writes the card and the
small screen's list, `pipeline.dashboard.uploads` places the reader's own data, `pipeline.dashboard.layout` styles
the page for a small screen).
"""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:  # `streamlit run` adds it; AppTest and other runners may not
    sys.path.insert(0, str(ROOT))

from pipeline.dashboard import data_io, store_queries  # noqa: E402
from pipeline.store import tables  # noqa: E402
from pipeline.dashboard.charts import CHART_TABS, POINT_LIMIT, TABLE_LIMIT, build_view  # noqa: E402
from pipeline.dashboard.colours import change_colour, style_changes, style_evidence  # noqa: E402
from pipeline.dashboard.evidence import (  # noqa: E402
    event_card_html,
    evidence_cards_html,
    evidence_rows,
    statement_sources,
)
from pipeline.dashboard.layout import CARDS_KEY, TABLE_KEY, responsive_css  # noqa: E402
from pipeline.schema import STANCES  # noqa: E402
from pipeline.dashboard.selection import (  # noqa: E402
    Selected,
    card_event,
    chart_pick,
    evidence_rows_for,
    follow_selection,
    selected_position,
    table_key,
)
from pipeline.dashboard.trend import WINDOWS  # noqa: E402
from pipeline.dashboard.uploads import (  # noqa: E402
    SESSION_NOTE,
    UPLOAD_MODES,
    FileStatus,
    combine,
    file_status,
    filters_showing,
    mode_label,
    status_table,
    uploaded_events,
    without_file_name,
)
from pipeline.dashboard.views import (  # noqa: E402
    GROUP_BY,
    MAX_TOP_N,
    NET_ESCALATION,
    NET_ESCALATION_HELP,
    PERIODS,
    Dataset,
    Filters,
    option_label,
    speaker_options,
)

URL_KEYS = ("speaker", "country", "from", "to", "stance", "min", "q", "group", "period", "top", "reports", "precise", "found")
DEFAULTS = Filters()

st.set_page_config(page_title="Escalation-signal timeline", page_icon="📈", layout="wide")
st.html(responsive_css())
st.title("Escalation-signal timeline")


# --- loading ------------------------------------------------------------------------------


@st.cache_data(show_spinner="Loading the events table…", max_entries=4)
def load_events_file(path: str, modified: float) -> Dataset:
    """The prepared events of a table on disk (`modified` keys the cache to the file's version)."""
    return Dataset.from_frame(data_io.read_events_file(path), f"the events table {path}")


@st.cache_data(show_spinner="Loading the demo…", max_entries=2)
def load_demo(fingerprint: str) -> tuple[Dataset, list[str]]:
    """The prepared demo events, read from the on-disk cache built for `fingerprint`."""
    build = data_io.cached_demo(fingerprint)
    if build is None:  # removed since the check in `initial_dataset`: build again, quietly
        build = data_io.load_demo_events()
    return Dataset.from_frame(build.events, "the demo (a fictional crisis)"), build.errors


def initial_dataset() -> tuple[Dataset, bool, list[str]]:
    """What to show when a session starts: --events / $ESCALATION_EVENTS, else the demo."""
    path = data_io.events_source(sys.argv[1:])
    if path is not None:
        try:
            return load_events_file(str(path.resolve()), path.stat().st_mtime), False, []
        except (OSError, tables.StoreError) as exc:
            problem = exc.strerror if isinstance(exc, OSError) else exc.problem
            st.error(f"Cannot open the events table **{path}**: {problem}")
            st.stop()
    fingerprint = data_io.demo_fingerprint()
    if data_io.cached_demo(fingerprint) is None:
        bar = st.progress(0.0, text="First start: running the pipeline over the demo articles…")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total if total else 1.0, text=f"First start: extracting statements from the demo articles ({done}/{total})…")

        try:
            data_io.load_demo_events(progress=progress)
        except Exception as exc:  # noqa: BLE001 - shown to the user instead of a traceback
            st.error(f"The demo could not be built: {exc}")
            st.stop()
        bar.empty()
    dataset, errors = load_demo(fingerprint)
    return dataset, True, errors


@st.cache_resource(show_spinner="Opening the event store (once for every session)…", max_entries=1)
def open_event_store(folder: str, version: str) -> store_queries.Store:
    """The store's shared DuckDB connection and column cache; `version` keys it to the data files."""
    return store_queries.open_store(folder)


STORE_DIR = data_io.store_source(sys.argv[1:])
store: store_queries.Store | None = None
if STORE_DIR is not None:
    try:
        store = open_event_store(str(STORE_DIR.resolve()), store_queries.store_version(STORE_DIR))
    except store_queries.StoreQueryError as exc:
        st.error(f"Cannot open the event store **{STORE_DIR}**: {exc.problem}")
        st.stop()
    cursor = store.cursor()  # this rerun's connection to the shared database
    for name, value in dict(dataset=None, is_demo=False, load_problems=[], uploaded=False, own_only=False, messages=[]).items():
        st.session_state.setdefault(name, value)

if "dataset" not in st.session_state:
    st.session_state.dataset, st.session_state.is_demo, st.session_state.load_problems = initial_dataset()
    st.session_state.own_only = False  # the data shown is only the reader's uploads
    st.session_state.uploaded = False  # the data shown holds uploads (which live in this session only)
    st.session_state.messages = []
    st.session_state.seen_uploads = set()
    st.session_state.file_statuses = []


def replace_dataset(dataset: Dataset, *, is_demo: bool) -> None:
    st.session_state.dataset = dataset
    st.session_state.is_demo = is_demo


# --- the user's own data (sidebar, first: it may change the data the filters offer) ------


def add_events(results: list[data_io.UploadResult], mode: str) -> None:
    """Report each upload's outcome in the status list and the messages, add the statements
    found as `mode` says, and jump the view to them (a failure changes nothing)."""
    st.session_state.file_statuses += [file_status(result) for result in results]
    messages = []
    for result in results:
        unchanged = "" if len(result.events) else " Nothing was added; the data shown is unchanged."
        messages += [("error", f"Upload problem: {problem}.{unchanged}") for problem in result.errors]
        if len(result.events):
            messages.append(("success", f"{result.summary()} added to the view."))
        elif result.articles:
            messages.append(("warning", f"{result.summary()}: nothing to add."))
    new = uploaded_events(results)
    if len(new):
        current: Dataset = st.session_state.dataset
        combined = combine(current.events, current.label, new, mode=mode, own_only=st.session_state.own_only)
        replace_dataset(Dataset.from_frame(combined.events, combined.label), is_demo=st.session_state.is_demo and not combined.own_only)
        st.session_state.own_only = combined.own_only
        st.session_state.uploaded = True
        st.session_state.jump = filters_showing(new, st.session_state.get("view_filters", DEFAULTS))
        messages.append(("info", "The view now shows the dates of the new statements; *Reset filters* shows everything."))
    st.session_state.messages += messages


def progress_bar(where, text: str):
    bar = where.progress(0.0, text=text)
    return bar, lambda done, total: bar.progress(done / total if total else 1.0, text=f"{text} ({done}/{total})")


def handle_article_uploads(files, published: date | None, mode: str) -> None:
    results = []
    for upload in files or []:
        if upload.file_id in st.session_state.seen_uploads:
            continue
        st.session_state.seen_uploads.add(upload.file_id)
        bar, progress = progress_bar(st.sidebar, f"Reading {upload.name}…")
        results.append(data_io.process_upload(upload.name, upload.getvalue(), published=published, progress=progress))
        bar.empty()
    if results:
        add_events(results, mode)


def handle_events_upload(upload) -> None:
    if upload is None or upload.file_id in st.session_state.seen_uploads:
        return
    st.session_state.seen_uploads.add(upload.file_id)
    frame, problem = data_io.read_events_upload(upload.name, upload.getvalue())
    if problem:
        st.session_state.file_statuses.append(FileStatus(upload.name, problems=(without_file_name(upload.name, problem),)))
        st.session_state.messages.append(("error", f"Cannot open the events table {problem}. The data shown is unchanged."))
        return
    st.session_state.file_statuses.append(FileStatus(upload.name, statements=len(frame)))
    replace_dataset(Dataset.from_frame(frame, f"the uploaded events table {upload.name}"), is_demo=False)
    st.session_state.update(own_only=False, uploaded=True, jump=filters_showing(frame, st.session_state.get("view_filters", DEFAULTS)))
    st.session_state.messages.append(("success", f"Opened {upload.name}: {len(frame):,} statements."))


if store is None:  # the reader's own data joins a table in memory, not a store
    with st.sidebar:
        st.header("Data")
        with st.expander("Add your own articles or events", expanded=False):
            st.session_state.messages = []
            mode_labels = {option: mode_label(option, is_demo=st.session_state.is_demo) for option in UPLOAD_MODES}
            mode = st.radio(
                "Your articles",
                UPLOAD_MODES,
                format_func=mode_labels.__getitem__,
                key="upload_mode",
                help="Only my articles: the first upload replaces the data shown, later ones join it.",
            )
            articles = st.file_uploader(
                "Articles to run through the pipeline",
                type=list(data_io.ARTICLE_TYPES),
                accept_multiple_files=True,
                key="upload_articles",
                help="News articles as .txt pages, .jsonl or .csv records (with a `text` column) or saved .html pages.",
            )
            published = st.date_input(
                "Date for articles that carry none", value=None, key="upload_published", format="YYYY-MM-DD",
                help="Without it, an article with no date of its own is listed as a problem and skipped.",
            )  # fmt: skip
            handle_article_uploads(articles, published, mode)
            with st.form("paste", border=False):  # kept after a submit: a refused text is not lost
                pasted = st.text_area("…or paste an article's text", height=120, key="paste_text")
                pasted_day = st.date_input("Its publication date (required)", value=None, key="paste_date", format="YYYY-MM-DD")
                pasted_source = st.text_input("Its source (optional)", key="paste_source")
                if st.form_submit_button("Extract statements"):
                    add_events([data_io.process_pasted(pasted, pasted_day, source=pasted_source)], mode)
            events_file = st.file_uploader(
                "Or open an events table (replaces the data)",
                type=list(data_io.EVENTS_TYPES),
                key="upload_events",
                help="A .csv or .parquet table written by the pipeline (`python -m pipeline … --out events.csv`).",
            )
            handle_events_upload(events_file)
            if st.session_state.file_statuses:
                st.markdown("**Your files**")
                st.dataframe(status_table(st.session_state.file_statuses), key="file_status", hide_index=True)
            st.caption(SESSION_NOTE)

dataset = st.session_state.dataset if store is None else store  # the store offers the same counts and dates
TOTAL = len(dataset.events) if store is None else store.events  # every report loaded


def offered_speakers(countries) -> dict[str, int]:
    """The speakers the sidebar offers for the chosen countries, with their counts."""
    if store is not None:
        return store_queries.speaker_options(cursor, store, countries)
    return speaker_options(dataset.events, countries, dataset.speaker_counts)


# --- filters, from and to the URL ---------------------------------------------------------


def date_range(start: date | None, end: date | None) -> tuple:
    """(start, end) clamped to the data's dates; the whole range when that leaves nothing."""
    first, last = dataset.first_day, dataset.last_day
    if first is None:
        return ()
    start, end = min(max(start or first, first), last), max(min(end or last, last), first)
    return (start, end) if start <= end else (first, last)


def set_widgets(filters: Filters) -> None:
    """Put `filters` into the widgets' state (before the widgets are drawn)."""
    first, last = dataset.first_day, dataset.last_day
    st.session_state.f_speakers = list(filters.speakers)
    st.session_state.f_countries = list(filters.countries)
    st.session_state.f_dates = date_range(filters.start or first, filters.end or last)
    st.session_state.f_stances = list(filters.stances)
    st.session_state.f_min = filters.min_abs_score
    st.session_state.f_text = filters.text
    st.session_state.f_group = filters.group_by
    st.session_state.f_period = filters.period
    st.session_state.f_top = filters.top_n
    st.session_state.f_statements = not filters.every_report
    st.session_state.f_precise = filters.precise_only
    st.session_state.f_attributed = filters.attributed_only
    st.session_state.date_bounds = (first, last)


def keep_widgets_valid() -> None:
    """After the data or the countries changed: drop the speakers and countries no longer
    offered (speakers follow the chosen countries), stretch an unnarrowed date range."""
    state = st.session_state
    state.f_countries = [c for c in state.f_countries if c in dataset.country_counts]
    offered = offered_speakers(state.f_countries)
    state.f_speakers = [s for s in state.f_speakers if s in offered]
    first, last = dataset.first_day, dataset.last_day
    if state.get("date_bounds") != (first, last):
        old = state.get("date_bounds") or (None, None)
        chosen = tuple(state.get("f_dates") or ())
        start = chosen[0] if len(chosen) > 0 and chosen[0] != old[0] else None
        end = chosen[1] if len(chosen) > 1 and chosen[1] != old[1] else None
        state.f_dates = date_range(start, end)
        state.date_bounds = (first, last)


if "f_speakers" not in st.session_state:
    url = {key: st.query_params.get_all(key) for key in st.query_params.keys()}
    set_widgets(Filters.from_params(url, speakers=dataset.speaker_counts, countries=dataset.country_counts))
if "jump" in st.session_state:  # after an upload: show the new statements
    set_widgets(st.session_state.pop("jump"))
keep_widgets_valid()
speaker_counts = offered_speakers(st.session_state.f_countries)

with st.sidebar:
    st.header("Filters")
    countries = st.multiselect(
        "Countries",
        options=list(dataset.country_counts),
        format_func=lambda name: option_label(name, dataset.country_counts),
        key="f_countries",
        placeholder="All countries",
    )
    speakers = st.multiselect(
        "Speakers",
        options=list(speaker_counts),
        format_func=lambda name: option_label(name, speaker_counts),
        key="f_speakers",
        placeholder="All speakers" if not countries else "All speakers of these countries",
        help="Only the speakers of the countries chosen above, counted there.",
    )
    if dataset.first_day:
        chosen_dates = st.date_input("Dates", min_value=dataset.first_day, max_value=dataset.last_day, key="f_dates", format="YYYY-MM-DD")
    else:
        chosen_dates = ()
    stances = st.segmented_control(
        "Stance", options=list(STANCES), selection_mode="multi", key="f_stances", help="None chosen shows every stance."
    )
    min_abs = st.slider("Minimum |score|", 0.0, 1.0, step=0.05, key="f_min", help="Hide statements weaker than this, either way.")
    text = st.text_input("Quote contains", key="f_text", placeholder="e.g. ceasefire")
    precise = st.toggle(
        "Only dates known to the day", key="f_precise",
        help="Hide statements dated only by a vague cue (“last week”, “earlier this month”) or by the publication date.",
    )  # fmt: skip
    attributed = st.toggle(
        "Only statements with a reporting verb", key="f_attributed",
        help="Hide statements read from a sentence with no reporting verb (“Rwanda has disputed the claims”), "
        "which a learned model kept: the least sure.",
    )  # fmt: skip
    st.header("View")
    group_by = st.radio(
        "Colour and group by",
        GROUP_BY,
        key="f_group",
        horizontal=True,
        help="Sides (countries) first; speaker drills down, with unnamed officials and institutions gathered per country.",
    )
    period = st.radio(f"{NET_ESCALATION.capitalize()} per", PERIODS, key="f_period", horizontal=True)
    per_statement = st.toggle(
        "One point per statement", key="f_statements",
        help="A statement reported by several articles counts once, its point sized by the number of reports. "
        "Off: every report counts (media volume).",
    )  # fmt: skip
    top_n = st.slider(
        "Groups shown (the rest are “other”)",
        1,
        MAX_TOP_N,
        key="f_top",
        help="More are shown when “other” would otherwise be the largest group.",
    )
    st.button("Reset filters", on_click=lambda: set_widgets(DEFAULTS), width="stretch")

chosen_dates = tuple(chosen_dates or ())
start = chosen_dates[0] if len(chosen_dates) > 0 else None
end = chosen_dates[1] if len(chosen_dates) > 1 else None
filters = Filters(
    speakers=tuple(speakers),
    countries=tuple(countries),
    start=None if start == dataset.first_day else start,
    end=None if end == dataset.last_day else end,
    stances=tuple(stances),
    min_abs_score=round(float(min_abs), 2),
    text=text.strip(),
    group_by=group_by,
    period=period,
    top_n=int(top_n),
    every_report=not per_statement,
    precise_only=bool(precise),
    attributed_only=bool(attributed),
)
st.session_state.view_filters = filters  # the view settings an upload's jump keeps

wanted = filters.to_params()
if wanted != {key: st.query_params.get_all(key) for key in URL_KEYS if key in st.query_params}:
    for key in URL_KEYS:
        if key in wanted:
            st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]


# --- the page -----------------------------------------------------------------------------

if st.session_state.is_demo:
    st.info(
        "**The demo crisis is fictional.** The demo articles describe invented countries, officials and events, "
        "written to show what the pipeline does; none of it happened. Add your own articles or open an events "
        "table under *Data* in the sidebar.",
        icon="ℹ️",
    )
if st.session_state.uploaded:
    st.info(SESSION_NOTE, icon=":material/save:")
if st.session_state.load_problems:
    problems = st.session_state.load_problems
    with st.expander(f"⚠️ {len(problems)} input{'s' if len(problems) != 1 else ''} could not be read (the rest are shown)"):
        st.markdown("\n".join(f"- `{problem}`" for problem in problems))
for kind, message in st.session_state.messages:
    getattr(st, kind)(message)

if store is None:
    view = build_view(dataset.events, filters, point_limit=POINT_LIMIT, table_limit=TABLE_LIMIT)
else:
    view = store_queries.build_store_view(cursor, store, filters, point_limit=POINT_LIMIT, table_limit=TABLE_LIMIT)
dates = f", {dataset.first_day:%d %b %Y} to {dataset.last_day:%d %b %Y}" if dataset.first_day else ""
counted = f"{TOTAL:,} statements" if store is None else f"{TOTAL:,} reports of {store.statements:,} statements"
st.caption(
    f"Showing {dataset.label}: {counted} by officials{dates}, each scored from −1 "
    "(de-escalation) to +1 (escalation) by the pipeline."
)

if TOTAL == 0:
    st.warning(
        "There are no statements to show: the pipeline found none in these articles. "
        "Add articles or open an events table under *Data* in the sidebar."
    )
    st.stop()

if view.matching == 0:
    with st.container(border=True, key="empty_state"):
        st.markdown("#### No statements match these filters")
        st.markdown(
            f"None of the {TOTAL:,} statements loaded passes every filter in the sidebar. "
            "Widen a filter there, or start again from everything."
        )
        st.button("Reset filters", key="reset_empty", on_click=lambda: set_widgets(DEFAULTS), icon=":material/restart_alt:")
    st.stop()

st.subheader(view.charts.summary.sentence())
change = view.charts.change
m1, m2, m3, m4 = st.columns(4)
m1.metric("Statements matching", f"{view.matching:,}", help=f"of {TOTAL:,} reports loaded; " + ("every report counts" if filters.every_report else "a statement reported several times counts once"))
if change is not None:
    delta = change.net - change.previous_net
    m2.metric(
        f"{NET_ESCALATION.capitalize()}, {change.label}",
        f"{change.net:+,.1f}",
        delta=f"{delta:+,.1f} on the {change.period} before",
        delta_color=change_colour(delta),
        help=NET_ESCALATION_HELP + f" The delta compares the last {change.period} of the selection with the one before.",
    )
    m3.metric(
        f"Statements, {change.label}",
        f"{change.events:,}",
        delta=f"{change.events - change.previous_events:+,} on the {change.period} before",
        delta_color="off",
    )
if store is None:
    m4.metric("Speakers", f"{dataset.events['speaker'].iloc[view.rows].nunique():,}" if view.matching else "0")
else:
    m4.metric("Speakers", f"{view.speakers:,}")

bars, drivers = st.columns([3, 2])
bars.plotly_chart(view.charts.net_bars, key="net_bars", config={"displaylogo": False})
with drivers:
    st.markdown("**Who is driving it**")
    st.caption(
        f"Each side's change in {NET_ESCALATION} over the last {', '.join(map(str, WINDOWS[:-1]))} and {WINDOWS[-1]} days "
        "of the selection, against the days just before; red towards escalation, blue towards de-escalation. "
        "The sides add up to the last row."
    )
    st.dataframe(
        style_changes(view.charts.drivers),
        key="drivers",
        hide_index=True,
        column_config={c: st.column_config.NumberColumn(c, format="%+.1f") for c in view.charts.drivers.columns if c != "side"},
    )

# The detailed charts, one at a time: only the open tab's chart is drawn and sent to the browser
# (drawing all three made every filter change wait for the browser to redraw them).
# The clickable charts' keys change when "Show all matching" drops the pick, which clears their selection.
charts_round = st.session_state.setdefault("charts_round", 0)
tabs = dict(zip(CHART_TABS.values(), st.tabs(list(CHART_TABS), key="chart", on_change="rerun", bind="query-params")))
selections = {}
if tabs["timeline"].open:
    with tabs["timeline"]:
        timeline = st.plotly_chart(
            view.charts.timeline, key=f"timeline-{charts_round}", config={"displaylogo": False}, on_select="rerun", selection_mode="points"
        )
        selections["timeline"] = timeline["selection"]["points"]
        if view.charts.points_shown < view.matching:
            st.caption(
                f"⚠️ The timeline draws a random sample of {view.charts.points_shown:,} of the {view.matching:,} matching "
                f"statements as points; its lines, the {NET_ESCALATION} charts, the heatmap and the download use all of them."
            )
if tabs["index"].open:
    with tabs["index"]:
        st.plotly_chart(view.charts.index, key="index", config={"displaylogo": False})
if tabs["heatmap"].open:
    with tabs["heatmap"]:
        heatmap = st.plotly_chart(
            view.charts.heatmap, key=f"heatmap-{charts_round}", config={"displaylogo": False}, on_select="rerun", selection_mode="points"
        )
        selections["heatmap"] = heatmap["selection"]["points"]
st.session_state.pick, st.session_state.pick_seen = chart_pick(st.session_state.get("pick"), st.session_state.get("pick_seen", {}), selections)

# --- evidence -----------------------------------------------------------------------------

st.subheader("Evidence")
pick = st.session_state.pick
if store is None:
    evidence = evidence_rows_for(dataset.events, view.rows, view.groups, pick)
    table = view.table if pick is None else evidence_rows(dataset.events.iloc[evidence[:TABLE_LIMIT]], TABLE_LIMIT)
    listed_count = len(evidence)
elif pick is None:
    table, listed_count = view.table, view.matching
elif pick.event_id:
    picked = store_queries.event_row(cursor, store, pick.event_id, filters)
    table = store_queries.as_evidence_table(picked)
    listed_count = len(table)
else:
    extra, extra_params = store_queries.pick_conditions(store, view, pick.group, pick.week)
    table = store_queries.evidence_table(cursor, store, filters, TABLE_LIMIT, extra, extra_params)
    listed_count = store_queries.pick_count(cursor, store, filters, extra, extra_params)
shown = len(table)
if pick is not None:
    narrowed, show_all = st.columns([4, 1])
    narrowed.info(f"Showing {pick.describe()}: {listed_count:,} statement{'s' if listed_count != 1 else ''}.", icon=":material/filter_alt:")
    show_all.button(
        "Show all matching",
        on_click=lambda: st.session_state.update(pick=None, charts_round=charts_round + 1),
        width="stretch",
    )
if listed_count == 1:
    listed = "The one statement."
else:
    listed = f"{'The first ' + format(shown, ',') + ' of ' if shown < listed_count else 'All '}{listed_count:,} statements, newest first."
st.caption(
    f"{listed} Select a row, or click a point of the timeline or a cell of the heatmap, to read the whole "
    "sentence with the quote and its cue words marked, why it scores as it does, and every article that reports it."
)
shown_ids = table["event_id"].tolist()
key = table_key(shown_ids)
with st.container(key=TABLE_KEY):
    selection = st.dataframe(
        style_evidence(table),
        key=key,
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        height=380,
        column_config={
            "date": st.column_config.TextColumn("date", width=92),
            "speaker": st.column_config.TextColumn("speaker", width=150),
            "country": st.column_config.TextColumn("country", width=100),
            "stance": st.column_config.TextColumn("stance", width=108),
            "score": st.column_config.NumberColumn("score", format="%+.2f", width=60, help="−1 de-escalation … +1 escalation"),
            "quote": st.column_config.TextColumn("quote", width=330),
            "url": st.column_config.LinkColumn("source", display_text=r"https?://(?:www\.)?([^/]+)", width=140, help="The article (opens in a new tab)"),
            "event_id": None,
        },
    )
with st.container(key=CARDS_KEY):  # shown instead of the table on a small screen (pipeline/dashboard/layout.py)
    st.html(evidence_cards_html(table, matching=listed_count))
st.session_state.selected = follow_selection(st.session_state.get("selected", Selected()), key, selection.selection.rows, shown_ids)
chosen = card_event(st.session_state.selected, pick)
if store is None:
    position = selected_position(dataset.events, view.rows, chosen)
    event = dataset.events.iloc[position].to_dict() if position is not None else None
    sources = statement_sources(dataset.events, event) if event is not None else None
else:
    event = store_queries.event_row(cursor, store, chosen, filters) if chosen else None
    sources = store_queries.statement_sources(cursor, store, event) if event is not None else None
if event is not None:
    with st.container(border=True, key="evidence_card"):
        st.html(event_card_html(event, sources))
elif chosen:
    st.caption("The statement selected before does not match these filters.")

if store is None:
    export = data_io.CsvExport(dataset.events, view.rows)
else:
    export = store_queries.StoreExport(store, filters)
st.session_state.last_export = export  # what the download button holds (read by the tests)
st.download_button(
    f"Download the {min(view.matching, store_queries.EXPORT_LIMIT) if store is not None else view.matching:,} "
    f"{'newest ' if store is not None and view.matching > store_queries.EXPORT_LIMIT else ''}matching statements (CSV)",
    data=export,
    file_name="escalation_events.csv",
    mime="text/csv",
    on_click="ignore",
    disabled=view.matching == 0,
    icon=":material/download:",
    help="All matching statements, not only the rows shown, in the pipeline's events schema.",
)
