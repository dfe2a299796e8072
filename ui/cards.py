"""A verdict card: status badge, claim, verdict and its sources in one bordered box (two elements per card)."""
from __future__ import annotations

import streamlit as st

#: Colours the Markdown badge directive knows (charts.verdicts.STATUS_COLOURS uses these).
BADGE_COLOURS = frozenset({"blue", "green", "orange", "red", "violet", "gray", "grey", "primary"})


def card_markdown(status: str, colour: str, heading: str, text: str, sources: str = "") -> str:
    """The card's Markdown. `heading`, `text` and `sources` must already be Markdown-escaped (they carry data
    text); `status` is one of our own labels, its square brackets are escaped here like st.badge does."""
    colour = colour if colour in BADGE_COLOURS else "gray"
    label = status.replace("[", "\\[").replace("]", "\\]")
    body = f":{colour}-badge[{label}]  \n**{heading}**  \n{text}"
    return body + (f"  \n:small[:gray[{sources}]]" if sources else "")


def verdict_card(status: str, colour: str, heading: str, text: str, sources: str = ""):
    """Render the card; returns its container (e.g. for the chart that tests the claim)."""
    box = st.container(border=True)
    box.markdown(card_markdown(status, colour, heading, text, sources))
    return box
