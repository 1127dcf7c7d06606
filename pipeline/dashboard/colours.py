"""One meaning per colour on the dashboard: red and blue say stance, and only stance.

- `STANCE_COLOURS`: red for escalation, blue for de-escalation, grey for neutral (the net
  escalation bars, the evidence table's stance and score cells, the metrics' deltas; the
  heatmap's red-blue scale says the same).
- `ACTOR_PALETTE`: the colours of countries and speakers; greens, olives, ochres, browns, a
  teal and a mauve, no red and no blue (`is_red_or_blue` is the test), so an actor's colour is
  never read as a stance. `actor_colours` fixes each actor's colour for a table, whatever the
  filters; "other" is always `OTHER_COLOUR`.
- `style_evidence`, `style_changes`, `change_colour`: the same stance colours on tables and metrics.
"""
from __future__ import annotations

import colorsys
import hashlib
from collections.abc import Sequence

import pandas as pd
from pandas.io.formats.style import Styler

from .views import OTHER

STANCE_COLOURS = {"escalation": "#c62828", "de-escalation": "#1565c0", "neutral": "#9e9e9e"}
# In order of use: the most frequent actors get the most different colours.
ACTOR_PALETTE = (
    "#1b9e77", "#e6ab02", "#b07aa1", "#8c6d31", "#66a61e",
    "#bcbd22", "#00897b", "#a6761d", "#2e7d32", "#827717",
)  # fmt: skip
OTHER_COLOUR = "#bdbdbd"


def actor_colours(groups: Sequence[str], ranked: Sequence[str]) -> dict[str, str]:
    """A colour for each group label from `ACTOR_PALETTE`; "other" grey.

    `ranked` is every actor of the whole table, most frequent first (`views.ranked_actors`):
    the first ones get the palette's colours in turn, so the main actors never share one; the
    rest take a colour from a stable hash of their name. Neither depends on the filters, so an
    actor keeps its colour when the selection changes.
    """
    slot = {name: i for i, name in enumerate(ranked[: len(ACTOR_PALETTE)])}

    def colour(name: str) -> str:
        if name in slot:
            return ACTOR_PALETTE[slot[name]]
        digest = hashlib.sha1(name.encode("utf-8")).digest()
        return ACTOR_PALETTE[int.from_bytes(digest[:4], "big") % len(ACTOR_PALETTE)]

    return {g: OTHER_COLOUR if g.startswith(OTHER) else colour(g) for g in groups}


def is_red_or_blue(colour: str) -> bool:
    """Whether a "#rrggbb" colour reads as red or blue: a saturated hue within 25° of red (0°)
    or between 190° and 260° (blue)."""
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, _, saturation = colorsys.rgb_to_hls(red, green, blue)
    degrees = hue * 360
    return saturation > 0.25 and (degrees <= 25 or degrees >= 335 or 190 <= degrees <= 260)


def stance_cell_css(stance: str) -> str:
    """CSS for a table cell that shows a statement's stance or score: the stance's colour."""
    if stance not in ("escalation", "de-escalation"):
        return ""
    return f"color: {STANCE_COLOURS[stance]}; font-weight: 600"


def change_stance(delta: float) -> str:
    """The stance a change of net escalation points to: up is escalation, down de-escalation;
    a change too small to show at one decimal (|Δ| < 0.05) is none."""
    shown = round(delta, 1)
    return "escalation" if shown > 0 else "de-escalation" if shown < 0 else "neutral"


def change_colour(delta: float) -> str:
    """A Streamlit metric's delta colour for a change of net escalation: red up, blue down,
    grey for none (a rise in escalation is not a "good" green)."""
    return {"escalation": "red", "de-escalation": "blue", "neutral": "gray"}[change_stance(delta)]


def style_evidence(table: pd.DataFrame) -> Styler:
    """The evidence table with each stance and score cell in its stance's colour."""
    css = table["stance"].astype("string").fillna("").map(stance_cell_css).to_numpy()
    return table.style.apply(lambda column: css, subset=["stance", "score"])


def style_changes(table: pd.DataFrame) -> Styler:
    """A table of changes of net escalation (`trend.contributions`) with each number in the
    colour of the stance it moves towards."""
    numbers = [c for c in table.columns if pd.api.types.is_float_dtype(table[c])]
    return table.style.map(lambda value: stance_cell_css(change_stance(value)), subset=numbers)


__all__ = [
    "ACTOR_PALETTE",
    "OTHER_COLOUR",
    "STANCE_COLOURS",
    "actor_colours",
    "change_colour",
    "change_stance",
    "is_red_or_blue",
    "stance_cell_css",
    "style_changes",
    "style_evidence",
]
