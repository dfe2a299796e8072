"""Figure builders of the page "Rekrutierung": time axis, target vs achieved ("keine Angabe", never 0), MobiPro-EU."""
import pytest

from charts import recruitment, style
from charts.base import MAX_FIGURE_JSON_BYTES, figure_json_bytes
from charts.markers import statement_marker_ids

GREEK = "griechenland-pflege-azubis"
PRESS_RELEASE = "2016-05-18-staatskanzlei-integrationskonzept"


@pytest.mark.parametrize("builder, params", [("pilot_timeline", {"highlight": GREEK}),
                                             ("pilot_outcomes", {"highlight": GREEK}), ("mobipro_applicants", {})])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_figure_is_small_styled_and_described(bundled_frames, builder, params, lang):
    result = getattr(recruitment, builder)(bundled_frames, lang=lang, **params)
    assert figure_json_bytes(result.figure) <= MAX_FIGURE_JSON_BYTES
    assert result.figure.layout.separators == style.SEPARATORS[lang]
    assert result.alt.endswith(".") and result.source_ids and not result.table.empty


def test_timeline_has_one_row_per_pilot_and_does_not_draw_unknown_dates(bundled_frames):
    pilots = bundled_frames["recruitment_pilots"]
    result = recruitment.pilot_timeline(bundled_frames, lang="de")
    rows = list(result.figure.layout.yaxis.categoryarray)
    assert len(rows) == len(pilots)
    drawn = {y for trace in result.figure.data for y in trace.y if y is not None}
    undated = pilots[(pilots["announced"] == "") & (pilots["start"] == "") & (pilots["end"] == "")]
    assert undated["name"].map(recruitment.short_name).isin(drawn).sum() == 0 and len(undated) == 4
    assert all(name in result.notes[0] for name in undated["name"]) and "keine Angabe" in result.notes[0]
    no_date_labels = [a for a in result.figure.layout.annotations if a.text == "keine Angabe"]
    assert len(no_date_labels) == len(undated)
    school = result.table.set_index("Projekt").loc["German Professional School Eisenach (Pilotphase)"]
    assert (school["Beginn"], school["Ende"], school["Angekündigt"]) == ("2024", "2026", "keine Angabe")


def test_timeline_spans_are_bars_and_single_dates_points(bundled_frames):
    result = recruitment.pilot_timeline(bundled_frames, lang="de")
    names = [t.name for t in result.figure.data]
    assert names[:3] == ["Laufzeit", "Angekündigt", "Beginn"]
    span = result.figure.data[0]
    assert span.mode == "lines" and span.line.width >= 10
    assert str(span.x[0])[:10] == "2024-01-01" and str(span.x[1])[:10] == "2026-12-31"


def test_timeline_highlight_marks_the_chosen_pilot(bundled_frames):
    plain = recruitment.pilot_timeline(bundled_frames, lang="de")
    chosen = recruitment.pilot_timeline(bundled_frames, lang="de", highlight=GREEK)
    assert [s.name for s in chosen.figure.layout.shapes if s.name.startswith("highlight:")] == ["highlight:" + GREEK]
    assert not [s for s in plain.figure.layout.shapes if s.name.startswith("highlight:")]
    assert chosen.figure.data[-1].marker.line.color == style.HIGHLIGHT_COLOUR
    assert len(chosen.figure.data) == len(plain.figure.data) + 1


def test_timeline_markers_name_the_press_release_once(bundled_frames):
    ids = statement_marker_ids(recruitment.pilot_timeline(bundled_frames, lang="de").figure)
    assert ids.count(PRESS_RELEASE) == 1
    assert statement_marker_ids(recruitment.pilot_timeline(bundled_frames, lang="de", markers=False).figure) == []


def test_outcomes_say_keine_angabe_for_the_greek_pilot_never_zero(bundled_frames):
    result = recruitment.pilot_outcomes(bundled_frames, lang="de")
    greek = result.table.set_index("Projekt").loc[bundled_frames["recruitment_pilots"].set_index("pilot_id")
                                                  .at[GREEK, "name"]]
    assert list(greek) == ["keine Angabe"] * 5
    assert "0" not in set(result.table.drop(columns="Projekt").to_numpy().ravel())
    bars = {(y, t.name): x for t in result.figure.data for x, y in zip(t.x, t.y) if x is not None}
    assert not any(x.startswith("Griechische") for x, _ in bars)
    assert bars[("Pflege-Azubis aus El Salvador", "Ausbildung begonnen")] == 17
    assert bars[("German Professional School Eisenach (Pilotphase)", "Ziel (geplante Teilnehmende)")] == 1000
    assert "1.000" in next(t for t in result.figure.data if t.name.startswith("Ziel")).text
    assert result.figure.layout.xaxis.separatethousands          # 1.000, not 1,000, on the axis
    assert any("Griechische" in note and "nicht 0" in note for note in result.notes)
    english = recruitment.pilot_outcomes(bundled_frames, lang="en").table
    assert "not available" in set(english["Target (planned participants)"])


def test_outcomes_highlight_dims_the_other_pilots(bundled_frames):
    result = recruitment.pilot_outcomes(bundled_frames, lang="de", highlight="catt-usbekistan-azubis")
    target = next(t for t in result.figure.data if t.name.startswith("Ziel"))
    assert sorted(target.marker.opacity) == [0.35] * (len(target.y) - 1) + [1.0]
    greek = recruitment.pilot_outcomes(bundled_frames, lang="de", highlight=GREEK).figure.data[0]
    assert set(greek.marker.opacity) == {1.0}          # nothing to highlight: no bar is dimmed


def test_mobipro_is_labelled_as_germany_as_a_whole(bundled_frames):
    result = recruitment.mobipro_applicants(bundled_frames, lang="de")
    bars = result.figure.data[0]
    assert bars.name == "Deutschland gesamt" and list(bars.x) == ["Spanien", "Ungarn", "Italien", "Portugal"]
    assert list(bars.y) == [5642.0, 527.0, 487.0, 407.0]
    assert "Deutschland gesamt" in result.notes[0] and "9.177" in result.notes[0] and "2.114" in result.notes[0]
    assert result.figure.layout.yaxis.title.text == "Personen"
    assert recruitment.mobipro_applicants(bundled_frames, lang="en").figure.data[0].name == "Germany as a whole"


def test_statements_about_recruitment_with_date_institution_quote_and_link(bundled_frames):
    table = recruitment.recruitment_statements(bundled_frames, lang="de")
    assert list(table.columns[:4]) == ["Datum", "Institution", "Person", "Aussage"]
    press = table[table["Datum"] == "18.05.2016"].iloc[0]
    assert "Griechische Jugendliche" in press["Projekte"] and press["Link"].startswith("https://")
    assert (table["Link"].str.startswith("http")).all()


def test_pilot_details_list_every_field_with_keine_angabe_and_sources(bundled_frames):
    details = recruitment.pilot_details(bundled_frames, lang="de", pilot_id=GREEK)
    fields = details["fields"].set_index("Angabe")["Wert"]
    assert len(fields) == len(recruitment.FIELDS)
    assert fields["Ausbildung begonnen"] == "keine Angabe" and fields["Angekündigt"] == "07/2015"
    assert len(details["sources"]) == 2 and details["sources"]["Adresse"].str.startswith("http").all()
    assert recruitment.default_pilot(bundled_frames) == GREEK
