"""How the page fits a small screen: the style sheet the app adds with `st.html`.

Streamlit lays a page out the same at every width, except that it stacks `st.columns` below
640 px. The evidence table is a canvas grid that cannot reflow, so below `NARROW_PX` it is
hidden and the same statements are shown as cards (`evidence.evidence_cards_html`); above it
the cards are hidden. The charts need nothing here: their legends sit below them at every width
(`charts.LEGEND_BELOW`).
"""
from __future__ import annotations

from .colours import STANCE_COLOURS

NARROW_PX = 640  # Streamlit's own breakpoint, where it stacks columns
TABLE_KEY, CARDS_KEY = "evidence_table", "evidence_cards"  # the containers' keys: CSS classes st-key-<key>


def responsive_css(narrow_px: int = NARROW_PX) -> str:
    """A <style> element: the evidence as a table on a wide screen and as cards on a narrow one."""
    stance_borders = "".join(f".evidence-cards li.{stance}{{border-left-color:{colour}}}" for stance, colour in STANCE_COLOURS.items())
    return (
        "<style>"
        f".st-key-{CARDS_KEY}{{display:none}}"
        f"@media (max-width:{narrow_px}px){{.st-key-{TABLE_KEY}{{display:none}}.st-key-{CARDS_KEY}{{display:block}}}}"
        ".evidence-cards{list-style:none;margin:0!important;padding:0!important}"
        ".evidence-cards li{border:1px solid #ddd;border-left:5px solid #9e9e9e;border-radius:6px;padding:.5rem .7rem;margin:0 0 .6rem 0}"
        ".evidence-cards p{margin:0 0 .3rem 0}.evidence-cards .stance{color:#555;font-size:.9rem}"
        f"{stance_borders}"
        "</style>"
    )
