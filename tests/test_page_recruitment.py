"""AppTest of the page "Rekrutierung": time axis, "keine Angabe" for the Greek pilot, MobiPro-EU, statements."""
import json
import re

import pandas as pd

from tests.app_helpers import markdown_tables

PAGE = "app_pages/recruitment.py"


def _figures(at) -> list[dict]:
    return [json.loads(element.proto.spec) for element in at.get("plotly_chart")]


def _table_with(at, column: str) -> pd.DataFrame:
    """The first table on the page that has this column."""
    return next(frame for frame in markdown_tables(at) if column in frame.columns)


def _highlighted(figure: dict) -> list[str]:
    return [s["name"] for s in figure["layout"].get("shapes", []) if s.get("name", "").startswith("highlight:")]


def test_page_shows_pilots_outcomes_mobipro_and_statements(open_page):
    at = open_page(PAGE)
    assert not at.exception, at.exception
    assert at.title[0].value == "Rekrutierung"
    figures = _figures(at)
    assert len(figures) == 3
    assert sum(c.value.startswith("Quelle: ") for c in at.caption) == 3
    assert _highlighted(figures[0]) == ["highlight:griechenland-pflege-azubis"]
    details = _table_with(at, "Angabe").set_index("Angabe")["Wert"]
    assert details["Ausbildung begonnen"] == "keine Angabe" and details["Angeworben"] == "keine Angabe"
    outcomes = _table_with(at, "Ziel (geplante Teilnehmende)").set_index("Projekt")
    greek = outcomes.loc[[n for n in outcomes.index if n.startswith("Griechische")][0]]
    assert set(greek) == {"keine Angabe"}
    assert figures[2]["data"][0]["name"] == "Deutschland gesamt"
    assert not at.dataframe                           # no data grid: the browser loads none before the charts
    (statements,) = [m.value for m in at.markdown if m.value.startswith("**") and "Aussage: " in m.value]
    records = statements.split("\n\n")
    assert any(r.startswith("**18\\.05\\.2016 · Thüringer Staatskanzlei**") for r in records)
    assert all(re.search(r"^\[Link\]\(https?://[^ ()]+\)$", r.split("  \n")[-1]) for r in records)
    addresses = _table_with(at, "Adresse")["Adresse"]
    assert len(addresses) and addresses.str.fullmatch(r"\[https?://[^\]]+\]\(https?://[^ ()]+\)").all()   # links


def test_choosing_a_pilot_moves_the_highlight_and_the_details(open_page):
    at = open_page(PAGE)
    at.selectbox(key="recruitment_pilot").set_value("catt-usbekistan-azubis").run()
    assert not at.exception, at.exception
    figures = _figures(at)
    assert _highlighted(figures[0]) == ["highlight:catt-usbekistan-azubis"]
    assert "CATT" in at.subheader[1].value
    assert _table_with(at, "Angabe").set_index("Angabe")["Wert"]["Ziel (geplante Teilnehmende)"] == "60"


def test_pilot_from_the_url_and_english(open_page):
    at = open_page(PAGE, lang="English", recruitment_pilot="Pflege-Azubis aus El Salvador")
    assert not at.exception, at.exception
    assert at.title[0].value == "Recruitment"
    figures = _figures(at)
    assert _highlighted(figures[0]) == ["highlight:el-salvador-pflege-azubis"]
    assert figures[0]["layout"]["xaxis"]["title"]["text"] == "Date"
    assert figures[2]["data"][0]["name"] == "Germany as a whole"
    details = _table_with(at, "Field").set_index("Field")["Value"]
    assert details["Started training"] == "17" and details["Completed"] == "not available"
