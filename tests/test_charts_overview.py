"""Builders of the pages "Überblick" and "Aussagen" on the real bundled data (charts/overview.py, statements.py)."""
import pandas as pd
import pytest

from charts.base import MAX_FIGURE_JSON_BYTES, figure_json_bytes
from charts.markers import statement_marker_ids
from charts.overview import headlines, statement_timeline
from charts.statements import chart_kind, claim_chart, statement_detail, statement_ids, statement_list
from charts.verdicts import PRESS_RELEASE_ID

ARRIVALS_CLAIM = PRESS_RELEASE_ID + "-fluechtlingszahlen-sinkend"
DEMAND_CLAIM = PRESS_RELEASE_ID + "-fachkraeftebedarf-2025"


@pytest.fixture(scope="module")
def german_headlines(bundled_frames):
    return {h.key: h for h in headlines(bundled_frames, lang="de")}


def test_headline_asylum_first_applications_newest_year_with_its_caveat(german_headlines):
    figure = german_headlines["asylum"]
    assert figure.label == "Asylerstanträge 2025" and figure.value == "3.100"
    assert figure.source_ids == ["volksstimme-2025-12-asylerstantraege"]
    assert "Jahr evtl. unvollständig" in figure.detail and "Stand: 2025" in figure.help


def test_headline_asylum_shows_conflicting_figures_side_by_side(bundled_frames):
    frames = dict(bundled_frames)
    indicators = frames["indicators"]
    newest = indicators[(indicators["indicator_id"] == "asylum_first_applications")
                        & (indicators["region_code"] == "16") & (indicators["period"] == "2025")]
    frames["indicators"] = pd.concat([indicators, newest.assign(source_id="bimf-zahlen", value=3250.0)],
                                     ignore_index=True)
    figure = {h.key: h for h in headlines(frames, lang="de")}["asylum"]
    assert figure.value == "3.100 / 3.250"
    assert figure.detail == "abweichende Angaben: 3.100 (volksstimme-2025-12-asylerstantraege); 3.250 (bimf-zahlen)"


def test_headline_protection_seekers_sum_only_the_top_level_statuses(german_headlines):
    figure = german_headlines["protection"]
    assert figure.label == "Schutzsuchende" and figure.value == "72.755"
    assert figure.detail.startswith("anerkannt 60.095 · offen 9.250 · ohne Schutzstatus 3.410")


def test_headline_employees_with_foreign_share_and_both_agreeing_sources(german_headlines):
    figure = german_headlines["employees"]
    assert figure.label == "SV-Beschäftigte" and figure.value == "783.130"
    assert figure.detail == "davon ausländisch 78.539 (10,0 %)"
    assert figure.caption == "davon ausländisch 78.539 (10,0 %) · Stand: 30.06.2025"
    assert set(figure.source_ids) == {"destatis-13111-0005", "destatis-13111-01-03-4-2025"}


def test_headline_demand_is_the_newest_study(german_headlines, bundled_frames):
    figure = german_headlines["demand"]
    assert figure.label == "Fehlende Fachkräfte bis 2035" and figure.value == "250.000"
    assert figure.caption.startswith("neueste Studie: Fachkräftestudie im Auftrag")
    assert "Stand: 31.12.2024" in {h.key: h for h in headlines(bundled_frames, lang="de")}["protection"].caption
    assert "24.04.2024" in figure.detail and figure.source_ids == ["mdr-2024-04-fachkraefte-2035"]


def test_headlines_in_english(bundled_frames):
    figures = {h.key: h for h in headlines(bundled_frames, lang="en")}
    assert figures["employees"].value == "783,130" and figures["employees"].detail.endswith("(10.0 %)")
    assert figures["asylum"].label == "First-time asylum applications 2025"


def test_timeline_one_mark_per_statement_and_the_press_release_highlighted(bundled_frames):
    chart = statement_timeline(bundled_frames, lang="de")
    statements = bundled_frames["policy_statements"]
    lanes, highlight = chart.figure.data[:-1], chart.figure.data[-1]
    assert sum(len(trace.x) for trace in lanes) == len(statements) == len(chart.table)
    assert [trace.name for trace in lanes] == ["Fachkräfte", "Bevölkerung", "Asyl", "Rekrutierung"]
    assert highlight.name == "Pressemitteilung 18.05.2016" and list(highlight.x) == ["2016-05-18"]
    assert chart.figure.layout.xaxis.title.text == "Datum" and chart.figure.layout.separators == ",."
    assert chart.alt.startswith(f"{len(statements)} Aussagen von 2008 bis 2025")
    assert figure_json_bytes(chart.figure) <= MAX_FIGURE_JSON_BYTES


def test_timeline_topic_filter_and_english_labels(bundled_frames):
    chart = statement_timeline(bundled_frames, lang="en", topics=["rekrutierung"])
    assert [trace.name for trace in chart.figure.data] == ["Skilled labour", "Recruitment", "Press release 18 May 2016"]
    assert chart.figure.layout.xaxis.title.text == "Date" and chart.figure.layout.separators == ".,"
    assert len(chart.table) < len(bundled_frames["policy_statements"])


def test_claim_chart_of_falling_arrivals_highlights_the_claimed_year_and_marks_the_statement(bundled_frames):
    chart = claim_chart(bundled_frames, lang="de", claim_id=ARRIVALS_CLAIM)
    layout = chart.figure.layout
    assert statement_marker_ids(chart.figure) == [PRESS_RELEASE_ID]
    assert any(shape.name == f"claim:{ARRIVALS_CLAIM}" for shape in layout.shapes)
    assert any(a.text == "Aussage: sinkend" for a in layout.annotations)
    assert layout.yaxis.title.text == "Personen" and layout.xaxis.title.text == "Zeitraum"
    bimf = chart.table[chart.table["Quelle"].str.startswith("Beauftragte")]
    assert bimf.set_index("Zeitraum")["Wert"].to_dict() == {"2015": 29622.0, "2016": 6600.0}
    assert "Höchstwert 29.622 Personen (2015)" in chart.alt
    no_markers = claim_chart(bundled_frames, lang="de", claim_id=ARRIVALS_CLAIM, markers=False)
    assert statement_marker_ids(no_markers.figure) == []


def test_claim_chart_with_a_claimed_value_adds_a_highlighted_mark(bundled_frames):
    claim_id = "2017-01-weniger-asylsuchende-2016-asylum-arrivals-2016"
    chart = claim_chart(bundled_frames, lang="de", claim_id=claim_id)
    star = chart.figure.data[-1]
    assert star.name == "Aussage: 6.600" and list(star.y) == [6600.0] and star.marker.symbol == "star"


def test_claim_chart_of_a_projection_shows_every_study_by_target_year(bundled_frames):
    chart = claim_chart(bundled_frames, lang="de", claim_id=DEMAND_CLAIM)
    studies, claimed = chart.figure.data
    assert dict(zip(studies.x, studies.y)) == {2020: 200000.0, 2030: 344000.0}
    assert (list(claimed.x), list(claimed.y)) == ([2025], [280000.0])
    ranges = [s for s in chart.figure.layout.shapes if (s.y0, s.y1) == (75000.0, 280000.0)]
    assert len(ranges) == 1
    assert chart.figure.layout.xaxis.title.text == "Zieljahr"


def test_claims_without_data_have_no_chart(bundled_frames):
    claims = bundled_frames["claims"].set_index("claim_id")
    for slug in ("spurwechsel", "griechenland-pilot-angelaufen", "eckpunkte-vor-sommerpause"):
        claim = claims.loc[f"{PRESS_RELEASE_ID}-{slug}"].copy()
        claim["claim_id"] = f"{PRESS_RELEASE_ID}-{slug}"
        assert chart_kind(claim, bundled_frames) == ""
    with pytest.raises(ValueError, match="keine Angabe"):
        claim_chart(bundled_frames, lang="de", claim_id=f"{PRESS_RELEASE_ID}-spurwechsel")


def test_pilot_chart_keeps_unknown_figures_unknown(bundled_frames):
    chart = claim_chart(bundled_frames, lang="de",
                        claim_id="2024-03-german-professional-school-eisenach-pilot-teilnehmende-geplant")
    assert list(chart.figure.data[0].y) == [1000.0]
    assert chart.table["Wert"].isna().sum() == 4 and chart.notes[0].startswith("Keine Angabe:")


def test_every_claim_chart_is_small_labelled_and_described(bundled_frames):
    claims = bundled_frames["claims"]
    charted = 0
    for _, claim in claims.iterrows():
        if not chart_kind(claim, bundled_frames):
            continue
        chart = claim_chart(bundled_frames, lang="en", claim_id=claim["claim_id"])
        assert figure_json_bytes(chart.figure) <= MAX_FIGURE_JSON_BYTES
        assert chart.figure.layout.yaxis.title.text and chart.figure.layout.separators == ".,"
        assert chart.alt and chart.source_ids and len(chart.table)
        charted += 1
    assert charted >= 60


def test_statement_list_order_and_topic_filter(bundled_frames):
    newest = statement_list(bundled_frames, lang="de", order="newest")
    oldest = statement_list(bundled_frames, lang="en", order="oldest", topics=["fachkraefte"])
    assert len(newest) == len(bundled_frames["policy_statements"])
    assert newest["Datum"].iloc[0] == "12/2025" and oldest["Date"].iloc[0] == "2015-07"
    assert list(newest.columns)[-1] == "Quelle" and newest["Quelle"].str.startswith("http").all()
    assert statement_ids(bundled_frames, order="oldest")[0] == "2008-10-13-innenministerium-aufnahmequote"


def test_statement_detail_escapes_text_and_lists_each_claim_with_its_chart_kind(bundled_frames):
    detail = statement_detail(bundled_frames, lang="de", statement_id=PRESS_RELEASE_ID)
    assert detail["quote"].startswith(r"Bis 2025 werden in Thüringen 280\.000 Fachkräfte benötigt\.")
    kinds = {c["claim_id"].removeprefix(PRESS_RELEASE_ID + "-"): c["kind"] for c in detail["claims"]}
    assert kinds["fachkraeftebedarf-2025"] == "projection" and kinds["fluechtlingszahlen-sinkend"] == "indicator"
    assert kinds["spurwechsel"] == ""
    assert statement_detail(bundled_frames, lang="de", statement_id="nope") is None
