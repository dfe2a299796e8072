"""Figure basics every chart relies on: separators, palette, statement markers, alt text."""
import pandas as pd
import plotly.graph_objects as go

from charts import style
from charts.alt_text import describe_series
from charts.markers import add_statement_markers, statement_marker_ids

synthetic_statements = pd.DataFrame({
    "statement_id": ["synthetic-a", "synthetic-b", "synthetic-undated"],
    "date": ["2016-05-18", "2018-03-05", ""],
    "title": ["Bis 2025 werden 280.000 Fachkräfte benötigt", "B", "C"],
})


def test_german_figures_use_comma_decimal_and_point_thousands():
    figure = style.apply(go.Figure(go.Scatter(x=[1, 2], y=[1234567.5, 2500.25])), lang="de")
    assert figure.layout.separators == ",."
    assert style.apply(go.Figure(), lang="en").layout.separators == ".,"


def test_palette_is_the_okabe_ito_set():
    figure = style.apply(go.Figure())
    assert list(figure.layout.colorway) == style.PALETTE
    assert len(set(style.PALETTE)) == 8


def test_one_marker_per_dated_statement():
    figure = add_statement_markers(go.Figure(go.Scatter(x=["2015-01-01", "2019-01-01"], y=[1, 2])),
                                   synthetic_statements)
    assert statement_marker_ids(figure) == ["synthetic-a", "synthetic-b"]
    assert figure.layout.shapes[0].x0 == "2016-05-18"


def test_markers_on_a_year_axis_sit_at_the_fractional_year():
    figure = add_statement_markers(go.Figure(), synthetic_statements.iloc[:1], x_is_year=True)
    assert 2016.37 < figure.layout.shapes[0].x0 < 2016.38


def test_alt_text_names_maximum_minimum_and_trend_in_german():
    text = describe_series(pd.Series([2015, 2016, 2017]), pd.Series([29622.0, 6600.0, float("nan")]),
                           what="Asylsuchende (Zugang)", unit="Personen")
    assert text == ("Asylsuchende (Zugang) von 2015 bis 2016: Höchstwert 29.622 Personen (2015), "
                    "Tiefstwert 6.600 Personen (2016); zuletzt fallend.")


def test_alt_text_in_english_and_for_no_data():
    text = describe_series(pd.Series([2015, 2016]), pd.Series([1.5, 2.5]), what="Rate", unit="%", lang="en")
    assert text.endswith("most recently rising.") and "2.5 %" in text
    assert describe_series(pd.Series([], dtype=int), pd.Series([], dtype=float), what="X", unit="") == \
        "X: keine Angabe."


def test_relevant_statements_by_claimed_indicator_or_topic():
    from charts.markers import relevant_statements

    statements = synthetic_statements.assign(topics=["fachkraefte;asyl", "", "rekrutierung"])
    claims = pd.DataFrame({"statement_id": ["synthetic-b"], "indicator_id": ["asylum_arrivals"], "measure": [""]})
    chosen = relevant_statements(statements, claims, indicator_ids=["asylum_arrivals"], topics=["fachkraefte"])
    assert list(chosen["statement_id"]) == ["synthetic-a", "synthetic-b"]
