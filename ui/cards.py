"""Verdict cards: status badge, claim, verdict and its sources — one bordered box per claim (two elements), or a
list of them in one box (two elements for the whole list)."""
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


#: Between two verdicts of a list: a horizontal rule (blank lines around it, so it never turns the line above into
#: a heading).
SEPARATOR = "\n\n---\n\n"


def verdict_list(lines: list[dict]):
    """Every verdict of `lines` (dicts with status, colour, claim, text, sources — escaped like `card_markdown`
    wants them) in one bordered box, separated by rules: two elements for the whole list instead of two per
    verdict (Überblick's nine verdicts were 18 of its 34 elements, resent on every rerun)."""
    box = st.container(border=True)
    box.markdown(SEPARATOR.join(card_markdown(line["status"], line["colour"], line["claim"], line["text"],
                                              line["sources"]) for line in lines))
    return box
