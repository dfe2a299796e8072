"""datasets.upload: analyse → suggest_mapping → prepare (all problems at once, by line and column) → diff."""
import datetime
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import datasets
from datasets.base import RAW_DIR, Source
from datasets.indicators import IndicatorsSchema
from datasets.upload import analyse, prepare, problems_table, suggest_mapping
from loaders import load_file

TODAY = datetime.date(2026, 11, 25)
FIXTURES = Path(__file__).parent / "fixtures" / "upload"
POPULATION_2024 = RAW_DIR / "destatis-genesis" / "12411-01-01-4_bevoelkerung_kreise_2024-12-31_thueringen.csv"
POPULATION_CLASSIC = RAW_DIR / "regionalstatistik-genesapi-data" / "12411-01-01-4_00.csv"
POPULATION_2024_SOURCE = "destatis-12411-01-01-4-2024"


def codes(problems) -> list[str]:
    return [problem.code for problem in problems]


def csv_bytes(frame: pd.DataFrame, **options) -> bytes:
    return frame.to_csv(index=False, **options).encode("utf-8")


def prepare_indicators(data: bytes, filename: str, live, **options):
    return prepare(data, filename, target="indicators", live=live, today=TODAY, **options)


# --- a real GENESIS file as an indicator upload ------------------------------------------------------------------


def test_real_genesis_flat_file_becomes_a_valid_new_indicator(bundled_frames):
    live = bundled_frames["indicators"]
    prepared = prepare_indicators(POPULATION_2024.read_bytes(), POPULATION_2024.name, live,
                                  indicator_id="population_upload", source_id=POPULATION_2024_SOURCE)

    assert prepared.problems == [] and prepared.publishable
    candidate = prepared.candidate
    IndicatorsSchema.validate(candidate)
    assert len(candidate) == len(live) + 69
    assert prepared.diff.counts["added"] == 69 and prepared.diff.counts["removed"] == 0
    assert prepared.diff.counts["changed"] == 0
    uploaded = candidate[candidate["indicator_id"] == "population_upload"]
    erfurt = uploaded[(uploaded["region_code"] == "16051") & (uploaded["sex"] == "")]
    loaded = load_file(POPULATION_2024).frame
    expected = loaded[(loaded["region_code"] == "16051") & (loaded["Geschlecht"] == "Insgesamt")]["value"].item()
    assert erfurt["value"].item() == expected and erfurt["period"].item() == "2024-12-31"
    assert erfurt["unit"].item() == "Anzahl" and erfurt["source_id"].item() == POPULATION_2024_SOURCE
    eisenach = uploaded[uploaded["region_code"] == "16056"]
    assert eisenach["value"].isna().all() and set(eisenach["flag"]) == {"-"}, "markers stay NA with their flag"
    assert set(uploaded["sex"]) == {"", "männlich", "weiblich"}


def test_real_genesis_file_as_update_of_its_live_series_changes_only_the_eisenach_note(bundled_frames):
    live = bundled_frames["indicators"]
    prepared = prepare_indicators(POPULATION_2024.read_bytes(), POPULATION_2024.name, live,
                                  indicator_id="population", source_id=POPULATION_2024_SOURCE)
    assert prepared.problems == []
    counts = prepared.diff.counts
    assert (counts["added"], counts["removed"], counts["changed"]) == (0, 0, 3)
    assert set(prepared.diff.cells["column"]) == {"note"}
    assert set(prepared.diff.cells["region_code"]) == {"16056"}
    assert prepared.candidate["unit"][prepared.candidate["indicator_id"] == "population"].eq("Personen").all()


def test_real_classic_export_maps_the_unnamed_sex_row_and_other_pairs_stay(bundled_frames):
    live = bundled_frames["indicators"]
    analysis = analyse(POPULATION_CLASSIC.read_bytes(), POPULATION_CLASSIC.name)
    assert analysis.format == "genesis-classic" and analysis.problems == []
    mapping = suggest_mapping(analysis, "indicators")
    assert mapping["sex"] == "Merkmal" and mapping["period"] == "time" and mapping["value"] == "value"
    prepared = prepare_indicators(POPULATION_CLASSIC.read_bytes(), POPULATION_CLASSIC.name, live,
                                  indicator_id="population_classic_upload",
                                  source_id="regionalstatistik-12411-01-01-4", analysis=analysis)
    assert prepared.problems == [] and prepared.publishable
    others = prepared.candidate[prepared.candidate["indicator_id"] != "population_classic_upload"]
    pd.testing.assert_frame_equal(others.reset_index(drop=True), live.reset_index(drop=True))


# --- re-uploading live content ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [name for name in datasets.NAMES if name != "indicators"])
def test_reuploading_live_content_gives_an_empty_diff_and_nothing_to_publish(bundled_frames, name):
    live = bundled_frames[name]
    prepared = prepare(csv_bytes(live), f"{name}.csv", target=name, live=live, sources=bundled_frames["sources"])
    assert prepared.problems == []
    assert prepared.diff is not None and prepared.diff.empty
    assert not prepared.publishable


@pytest.mark.parametrize("pair", [("protection_seekers", "destatis-12531-0043-2024"),
                                  ("asylum_applications_unspecified", "hebammenhilfe-daten-thueringen")])
def test_reuploading_a_live_indicator_series_gives_an_empty_diff(bundled_frames, pair):
    live = bundled_frames["indicators"]
    rows = live[(live["indicator_id"] == pair[0]) & (live["source_id"] == pair[1])]
    data = csv_bytes(rows, sep=";", decimal=",")
    prepared = prepare_indicators(data, "series.csv", live, sources=bundled_frames["sources"])
    assert prepared.problems == []
    assert (prepared.indicator_id, prepared.source_id) == pair
    assert prepared.diff.empty and not prepared.publishable


def test_reuploading_live_content_as_xlsx_and_parquet_gives_an_empty_diff(bundled_frames):
    live = bundled_frames["recruitment_pilots"]
    xlsx, parquet = io.BytesIO(), io.BytesIO()
    live.to_excel(xlsx, index=False)
    live.to_parquet(parquet, index=False)
    for data, filename in ((xlsx.getvalue(), "pilots.xlsx"), (parquet.getvalue(), "pilots.parquet")):
        prepared = prepare(data, filename, target="recruitment_pilots", live=live)
        assert prepared.problems == [] and prepared.diff.empty, filename


def test_an_edited_table_is_publishable_with_the_edit_in_the_diff(bundled_frames):
    live = bundled_frames["recruitment_pilots"]
    edited = live.copy()
    edited.loc[0, "recruited"] = 99
    prepared = prepare(csv_bytes(edited), "pilots.csv", target="recruitment_pilots", live=live)
    assert prepared.problems == [] and prepared.publishable
    assert prepared.diff.counts["changed"] == 1
    assert prepared.diff.cells[["column", "after"]].values.tolist() == [["recruited", 99]]
    assert str(prepared.candidate["recruited"].dtype) == "Int64"


# --- every problem class, with line and column -------------------------------------------------------------------


def test_a_file_with_three_different_problems_reports_all_three_at_once(bundled_frames):
    path = FIXTURES / "synthetic-indicators-three-problems.csv"
    prepared = prepare_indicators(path.read_bytes(), path.name, bundled_frames["indicators"],
                                  source_id=POPULATION_2024_SOURCE)
    found = {(problem.code, problem.line, problem.column) for problem in prepared.problems}
    assert found == {("negative-count", 3, "value"), ("unknown-region", 4, "region_code"), ("schema", 5, "flag")}
    assert prepared.candidate is None and not prepared.publishable
    assert prepared.diff is not None and prepared.diff.counts["added"] == 4, "the draft diff is still shown"
    table = problems_table(prepared.problems)
    assert table["Zeile"].tolist() == [3, 4, 5]


def test_loader_error_becomes_problems_not_an_exception(bundled_frames):
    analysis = analyse(b"", "empty.csv")
    assert codes(analysis.problems) == ["empty-file"] and analysis.frame is None
    image = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    prepared = prepare_indicators(image, "chart.csv", bundled_frames["indicators"], indicator_id="x",
                                  source_id=POPULATION_2024_SOURCE)
    assert prepared.problems and prepared.candidate is None and prepared.diff is None
    assert all(problem.message_de and problem.message_en for problem in prepared.problems)


def test_ragged_row_in_a_plain_table_is_named_by_line(bundled_frames):
    data = b"projection_id,study\na,b\nc,d,e\n"
    prepared = prepare(data, "projections.csv", target="projections", live=bundled_frames["projections"])
    assert ("ragged-row", 3) in {(problem.code, problem.line) for problem in prepared.problems}


def test_missing_duplicate_and_unexpected_columns(bundled_frames):
    live = bundled_frames["projections"]
    frame = live.drop(columns=["scenario"]).assign(extra="x")
    mapping = {column: column for column in live.columns if column != "scenario"}
    mapping["note"] = "study"
    prepared = prepare(csv_bytes(frame), "projections.csv", target="projections", live=live, mapping=mapping)
    found = {(problem.code, problem.column) for problem in prepared.problems}
    assert ("missing-column", "scenario") in found
    assert ("duplicate-mapping", "study") in found
    assert ("unexpected-column", "extra") in found
    assert ("unexpected-column", "note") in found
    assert all(problem.line == 1 for problem in prepared.problems)
    assert prepared.candidate is None and prepared.diff is None


def test_schema_failures_duplicate_keys_numbers_and_sources_carry_the_files_line_numbers(bundled_frames):
    live = bundled_frames["projections"]
    text = live.astype("object").to_csv(index=False)
    lines = text.splitlines()
    header = lines[0].split(",")
    rows = pd.read_csv(io.StringIO(text), dtype="str", keep_default_na=False)
    rows.loc[1, "measure"] = "wishful_thinking"           # file line 3 (after a blank line: 4)
    rows.loc[2, "base_year"] = "2016.5"
    rows.loc[3, "value"] = "viel"
    rows.loc[4, "projection_id"] = rows.loc[0, "projection_id"]
    rows.loc[5, "source_id"] = "nowhere"
    body = rows.to_csv(index=False).splitlines()
    data = ("\n".join([body[0], body[1], ""] + body[2:]) + "\n").encode()  # a blank line shifts every later row
    assert header == body[0].split(",")
    prepared = prepare(data, "projections.csv", target="projections", live=live, sources=bundled_frames["sources"])
    found = {(problem.code, problem.line, problem.column) for problem in prepared.problems}
    assert ("schema", 4, "measure") in found
    assert ("not-an-integer", 5, "base_year") in found
    assert ("invalid-number", 6, "value") in found
    assert ("duplicate-key", 7, "projection_id") in found
    assert ("unknown-source", 8, "source_id") in found
    duplicate = next(problem for problem in prepared.problems if problem.code == "duplicate-key")
    assert "Zeile 2" in duplicate.message_de and "line 2" in duplicate.message_en


def test_domain_checks_on_indicators_future_period_and_duplicate_key(bundled_frames):
    data = ("region_code;period;value;unit\n16051;2023;1;Anzahl\n16051;2023;2;Anzahl\n16052;2031;3;Anzahl\n"
            ).encode()
    prepared = prepare_indicators(data, "synthetic.csv", bundled_frames["indicators"], indicator_id="x_synthetic",
                                  source_id=POPULATION_2024_SOURCE)
    found = {(problem.code, problem.line, problem.column) for problem in prepared.problems}
    assert found == {("duplicate-key", 3, "region_code"), ("future-period", 4, "period")}


def test_unknown_source_id_and_a_declared_new_source(bundled_frames):
    live = bundled_frames["indicators"]
    data = POPULATION_2024.read_bytes()
    unknown = prepare_indicators(data, POPULATION_2024.name, live, indicator_id="population_upload",
                                 source_id="my-new-table", sources=bundled_frames["sources"])
    assert codes(unknown.problems) == ["unknown-source"] and unknown.problems[0].column == "source_id"
    source = Source(source_id="my-new-table", title="GENESIS 12411-01-01-4, Upload", publisher="Destatis",
                    url="https://www-genesis.destatis.de/", licence="dl-de/by-2-0", published="2025",
                    accessed="2026-11-25", confidence="high")
    declared = prepare_indicators(data, POPULATION_2024.name, live, indicator_id="population_upload",
                                  source_id="my-new-table", sources=bundled_frames["sources"], new_source=source)
    assert declared.problems == [] and declared.publishable
    assert "my-new-table" in set(declared.sources_candidate["source_id"])
    datasets.spec("sources").schema.validate(declared.sources_candidate)
    bad = prepare_indicators(data, POPULATION_2024.name, live, indicator_id="population_upload",
                             source_id="my-new-table", new_source=Source(**{**source.__dict__, "confidence": "??"}))
    assert [(p.code, p.column) for p in bad.problems] == [("new-source:schema", "confidence")]


def test_indicator_id_problems_are_named(bundled_frames):
    live = bundled_frames["indicators"]
    path = FIXTURES / "synthetic-indicators-three-problems.csv"
    data = path.read_bytes()
    mismatch = prepare_indicators(data, path.name, live, indicator_id="other_id", source_id=POPULATION_2024_SOURCE)
    assert [p.line for p in mismatch.problems if p.code == "indicator-id-mismatch"] == [2, 3, 4, 5]
    without = data.replace(b"x_synthetic;", b"").replace(b"indicator_id;", b"")
    missing = prepare_indicators(without, path.name, live, source_id=POPULATION_2024_SOURCE)
    assert "missing-indicator-id" in codes(missing.problems)
    invalid = prepare_indicators(without, path.name, live, indicator_id="Bad Id", source_id=POPULATION_2024_SOURCE)
    assert codes(invalid.problems).count("bad-indicator-id") == 1
    assert "schema" not in {p.code for p in invalid.problems if p.column == "indicator_id"}


def test_unit_that_does_not_fit_a_known_indicator(bundled_frames):
    data = b"region_code;period;value;unit\n16051;2023;1;%\n"
    prepared = prepare_indicators(data, "synthetic.csv", bundled_frames["indicators"], indicator_id="population",
                                  source_id=POPULATION_2024_SOURCE)
    assert codes(prepared.problems) == ["unit-mismatch"]


# --- text is stored as text ---------------------------------------------------------------------------------------


def test_markers_stay_na_and_formula_and_html_labels_are_stored_verbatim(bundled_frames):
    path = FIXTURES / "synthetic-indicators-markers-formula-html.csv"
    prepared = prepare_indicators(path.read_bytes(), path.name, bundled_frames["indicators"],
                                  indicator_id="x_synthetic", source_id=POPULATION_2024_SOURCE)
    assert prepared.problems == []
    rows = prepared.candidate[prepared.candidate["indicator_id"] == "x_synthetic"].set_index("region_code")
    assert np.isnan(rows.loc["16051", "value"]) and rows.loc["16051", "flag"] == "-"
    assert np.isnan(rows.loc["16052", "value"]) and rows.loc["16052", "flag"] == "."
    assert rows.loc["16051", "breakdown"] == 'Merkmal==HYPERLINK("http://example.org","klick")'
    assert rows.loc["16052", "breakdown"] == "Merkmal=<svg><script>window.__xss=1</script></svg>"


def test_formula_text_in_a_statement_quote_is_kept_as_text(bundled_frames):
    live = bundled_frames["policy_statements"]
    edited = live.copy()
    edited.loc[0, "quote"] = '=HYPERLINK("http://evil.example","Quelle")'
    edited.loc[1, "speaker"] = "<img src=x onerror=alert(1)>"
    prepared = prepare(csv_bytes(edited), "statements.csv", target="policy_statements", live=live)
    assert prepared.problems == [] and prepared.publishable
    assert prepared.candidate.loc[0, "quote"] == '=HYPERLINK("http://evil.example","Quelle")'
    assert prepared.candidate.loc[1, "speaker"] == "<img src=x onerror=alert(1)>"


# --- mapping -------------------------------------------------------------------------------------------------------


def test_german_headers_are_mapped_and_other_breakdowns_become_label_value(bundled_frames):
    path = FIXTURES / "synthetic-indicators-german-headers.csv"
    analysis = analyse(path.read_bytes(), path.name)
    mapping = suggest_mapping(analysis, "indicators")
    assert {target: mapping[target] for target in ("sex", "nationality", "status", "sector", "age_group")} == {
        "sex": "Geschlecht", "nationality": "Staatsangehörigkeit", "status": "Schutzstatuskategorie",
        "sector": "Wirtschaftszweig", "age_group": "Altersgruppen"}
    assert mapping["period"] == "time" and mapping["region_code"] == "region_code"
    prepared = prepare_indicators(path.read_bytes(), path.name, bundled_frames["indicators"],
                                  indicator_id="x_synthetic", source_id=POPULATION_2024_SOURCE, analysis=analysis)
    assert prepared.problems == []
    row = prepared.upload.iloc[0]
    assert (row["sex"], row["nationality"], row["sector"], row["unit"]) == ("weiblich", "Syrien", "", "Personen")
    assert row["breakdown"] == "Art der Leistung=Grundleistungen"
    assert row["region_name"] == "Erfurt, kreisfreie Stadt", "known regions carry the registry name"


def test_wide_table_with_years_as_columns_takes_the_period_from_the_column_names(bundled_frames):
    path = FIXTURES / "synthetic-indicators-wide-years.csv"
    prepared = prepare_indicators(path.read_bytes(), path.name, bundled_frames["indicators"],
                                  indicator_id="x_synthetic", source_id=POPULATION_2024_SOURCE, unit="Personen")
    assert prepared.mapping["period"] == "variable"
    assert prepared.problems == []
    assert sorted(prepared.upload["period"].unique()) == ["2022", "2023"]
    assert prepared.upload["breakdown"].eq("").all()


def test_plain_table_mapping_by_german_alias_and_explicit_mapping(bundled_frames):
    live = bundled_frames["projections"]
    renamed = live.rename(columns={"study": "Studie", "publisher": "Herausgeber", "note": "Anmerkung"})
    analysis = analyse(csv_bytes(renamed), "projektionen.csv")
    mapping = suggest_mapping(analysis, "projections")
    assert (mapping["study"], mapping["publisher"], mapping["note"]) == ("Studie", "Herausgeber", "Anmerkung")
    prepared = prepare(csv_bytes(renamed), "projektionen.csv", target="projections", live=live, mapping=mapping)
    assert prepared.problems == [] and prepared.diff.empty


def test_problems_table_in_both_languages_sorted_by_line(bundled_frames):
    path = FIXTURES / "synthetic-indicators-three-problems.csv"
    prepared = prepare_indicators(path.read_bytes(), path.name, bundled_frames["indicators"],
                                  source_id="nowhere")
    german = problems_table(prepared.problems, lang="de")
    english = problems_table(prepared.problems, lang="en")
    assert list(german.columns) == ["Zeile", "Spalte", "Wert", "Problem"]
    assert list(english.columns) == ["Line", "Column", "Value", "Problem"]
    assert german["Zeile"].isna().iloc[0], "whole-file problems (unknown source) come first"
    assert german["Zeile"].dropna().tolist() == sorted(german["Zeile"].dropna().tolist())
    assert "Quelle" in german["Problem"].iloc[0] and "source" in english["Problem"].iloc[0]


def test_genesis_export_for_a_plain_dataset_and_an_unknown_dataset_are_refused_with_a_reason(bundled_frames):
    prepared = prepare(POPULATION_2024.read_bytes(), POPULATION_2024.name, target="projections",
                       live=bundled_frames["projections"])
    assert codes(prepared.problems) == ["not-a-plain-table"] and prepared.candidate is None
    unknown = prepare(b"a;b\n1;2\n", "x.csv", target="no_such_dataset", live=None)
    assert codes(unknown.problems) == ["unknown-dataset"]


# --- property: edits made to a file show up one for one in the diff ---------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_edits_of_an_uploaded_table_appear_one_for_one_in_the_diff(bundled_frames, data):
    live = bundled_frames["projections"]
    count = len(live)
    removed = data.draw(st.sets(st.integers(0, count - 1), max_size=4), label="removed rows")
    kept = [position for position in range(count) if position not in removed]
    values = data.draw(st.sets(st.sampled_from(kept), max_size=5), label="value cells changed")
    notes = data.draw(st.sets(st.sampled_from(kept), max_size=5), label="note cells changed")
    added = data.draw(st.integers(0, 3), label="rows added")
    edited = live.copy()
    for position in values:
        old = edited.loc[position, "value"]
        edited.loc[position, "value"] = 1.0 if pd.isna(old) else np.nan
    for position in notes:
        edited.loc[position, "note"] = edited.loc[position, "note"] + " (geändert, synthetisch)"
    new_rows = edited.iloc[[0] * added].copy()
    new_rows["projection_id"] = [f"synthetic-{number}" for number in range(added)]
    edited = pd.concat([edited.drop(index=sorted(removed)), new_rows], ignore_index=True)

    prepared = prepare(csv_bytes(edited, sep=";", decimal=","), "projections.csv", target="projections", live=live)

    assert prepared.problems == []
    counts = prepared.diff.counts
    assert (counts["added"], counts["removed"]) == (added, len(removed))
    assert counts["changed"] == len(values | notes)
    assert counts["cells_changed"] == len(values) + len(notes)
    assert prepared.publishable == bool(removed or values or notes or added)
