"""Every real raw file loads; one cell per GENESIS file, read by eye from the raw line, comes out exactly."""
import math
from pathlib import Path

import pandas as pd
import pytest

import loaders
from loaders.result import TIDY_COLUMNS

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
FLAT = RAW / "destatis-genesis"
CLASSIC = RAW / "regionalstatistik-genesapi-data"
ALL_CSV = sorted(RAW.rglob("*.csv"))


@pytest.fixture(scope="module")
def loaded():
    cache = {}

    def load(path: Path):
        if path not in cache:
            cache[path] = loaders.load_file(path)
        return cache[path]
    return load


def one_cell(frame: pd.DataFrame, **where) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column, wanted in where.items():
        mask &= frame[column] == wanted
    rows = frame[mask]
    assert len(rows) == 1, f"expected exactly one cell for {where}, found {len(rows)}"
    return rows.iloc[0]


@pytest.mark.parametrize("path", ALL_CSV, ids=[path.name for path in ALL_CSV])
def test_every_raw_csv_loads_into_the_tidy_contract(path, loaded):
    result = loaded(path)
    frame = result.frame
    assert list(frame.columns[:8]) == TIDY_COLUMNS and frame.columns[-1] == "source_line"
    assert len(frame) > 0
    assert frame["value"].dtype == "float64"
    assert frame["value"].notna().sum() > 0
    assert not frame["region_code"].str.startswith(" ").any()
    assert not frame["region_name"].str.startswith(" ").any()


def test_genesis_files_are_recognised_as_such(loaded):
    for path in FLAT.glob("1*.csv"):
        assert loaded(path).format == "genesis-flat", path.name
    for path in CLASSIC.glob("*.csv"):
        assert loaded(path).format == "genesis-classic", path.name


# --- GENESIS flat (ffcsv) -------------------------------------------------------------------------------

def test_flat_12531_protection_seekers_erfurt_tolerated_turkish_men(loaded):
    # line 36: …;16051;Erfurt, kreisfreie Stadt;…;AUSRPFL-G;Geduldet ausreisepflichtig;…;GESM;männlich;…
    #          …;ST163;Türkei;25;Anzahl;…
    result = loaded(FLAT / "12531-0043_schutzsuchende_kreise_2024-12-31_thueringen.csv")
    cell = one_cell(result.frame, source_line=36)
    assert cell["value"] == 25.0 and cell["flag"] == ""
    assert (cell["table"], cell["time"], cell["unit"], cell["variable"]) == \
        ("12531-0043", "2024-12-31", "Anzahl", "Schutzsuchende")
    assert (cell["region_code"], cell["region_name"]) == ("16051", "Erfurt, kreisfreie Stadt")
    assert (cell["Schutzstatuskategorie"], cell["Geschlecht"], cell["Staatsangehörigkeit"]) == \
        ("Geduldet ausreisepflichtig", "männlich", "Türkei")
    assert result.encoding == "utf-8-sig" and result.delimiter == ";"


def test_flat_12411_dissolved_eisenach_is_nan_with_dash_flag(loaded):
    # line 61: …;16056;Eisenach, kreisfreie Stadt;GES;Geschlecht;;Insgesamt;-;Anzahl;BEVSTD;Bevölkerungsstand
    frame = loaded(FLAT / "12411-01-01-4_bevoelkerung_kreise_2024-12-31_thueringen.csv").frame
    cell = one_cell(frame, region_code="16056", Geschlecht="Insgesamt")
    assert math.isnan(cell["value"]) and cell["flag"] == "-" and cell["source_line"] == 61
    assert (cell["table"], cell["time"], cell["variable"], cell["unit"]) == \
        ("12411-01-01-4", "2024-12-31", "Bevölkerungsstand", "Anzahl")
    saalfeld = one_cell(frame, region_code="16073", Geschlecht="männlich")
    assert saalfeld["value"] == 49203.0 and saalfeld["region_name"] == "Saalfeld-Rudolstadt, Landkreis"


def test_flat_1000A_census_quality_flag_and_suppressed_cell(loaded):
    frame = loaded(FLAT / "1000A-2022_zensus2022_alter_einwanderungsgeschichte_thueringen_und_de.csv").frame
    # line 83: …;GEOBL1;Bundesländer;16;Thüringen;…;Unter 10 Jahre;…;;Insgesamt;178143;Anzahl;PRS018;Personen;e
    cell = one_cell(frame, source_line=83)
    assert (cell["value"], cell["flag"], cell["region_code"], cell["region_name"]) == (178143.0, "e", "16", "Thüringen")
    assert (cell["Alter (10er-Jahresgruppen)"], cell["Einwanderungsgeschichte (ausführlich)"]) == \
        ("Unter 10 Jahre", "Insgesamt")
    assert (cell["table"], cell["time"], cell["variable"]) == ("1000A-2022", "2022-05-15", "Personen")
    # line 82: …;Mit einseitiger Einwanderungsgeschichte;-;Anzahl;PRS018;Personen;   (empty value_q)
    suppressed = one_cell(frame, source_line=82)
    assert math.isnan(suppressed["value"]) and suppressed["flag"] == "-"
    # line 2: Germany row uses GEODL1 with code DG
    assert one_cell(frame, source_line=2)["region_code"] == "DG"


def test_flat_11111_number_of_municipalities_weimarer_land(loaded):
    # line 2: …;16071;Weimarer Land, Landkreis;38;Anzahl;GEM001;Zahl der Gemeinden
    cell = one_cell(loaded(FLAT / "11111-02-01-4_zahl_gemeinden_kreise_2024-12-31_thueringen.csv").frame,
                    region_code="16071")
    assert (cell["value"], cell["unit"], cell["variable"], cell["time"], cell["flag"]) == \
        (38.0, "Anzahl", "Zahl der Gemeinden", "2024-12-31", "")


def test_flat_13111_0005_saarland_men_end_of_2023(loaded):
    # line 2: …;2023-12-31;DLAND;Bundesländer;10;Saarland;GES;Geschlecht;GESM;männlich;211786;Anzahl;ERW065;…
    cell = one_cell(loaded(FLAT / "13111-0005_svb_arbeitsort_laender_quartale_2023-2025_alle_laender.csv").frame,
                    source_line=2)
    assert (cell["table"], cell["time"], cell["region_code"], cell["region_name"], cell["Geschlecht"]) == \
        ("13111-0005", "2023-12-31", "10", "Saarland", "männlich")
    assert cell["value"] == 211786.0 and cell["variable"] == "Sozialvers.pflichtig Beschäftigte am Arbeitsort"


def test_flat_13111_01_03_4_thuringia_foreign_women_and_total(loaded):
    frame = loaded(FLAT / "13111-01-03-4_svb_arbeitsort_nationalitaet_2025-06-30_thueringen.csv").frame
    women = one_cell(frame, source_line=2)
    assert (women["region_code"], women["Nationalität"], women["Geschlecht"], women["value"]) == \
        ("16", "ausländisch", "weiblich", 28066.0)
    total = one_cell(frame, source_line=4)
    assert (total["Nationalität"], total["Geschlecht"], total["value"], total["time"]) == \
        ("Insgesamt", "Insgesamt", 783130.0, "2025-06-30")


# --- classic GENESIS / Regionalstatistik ------------------------------------------------------------------

def test_classic_12411_erfurt_population_end_of_2015(loaded):
    # line 512: 16051;      Erfurt, krsfr. Stadt;210118;102259;107859;…   under 31.12.2015 / Insgesamt
    result = loaded(CLASSIC / "12411-01-01-4_00.csv")
    cell = one_cell(result.frame, region_code="16051", time="2015-12-31", Merkmal="Insgesamt")
    assert cell["value"] == 210118.0 and cell["flag"] == "" and cell["source_line"] == 512
    assert (cell["table"], cell["region_name"], cell["variable"], cell["unit"]) == \
        ("12411-01-01-4", "Erfurt, krsfr. Stadt", "Bevölkerungsstand", "Anzahl")
    assert one_cell(result.frame, region_code="16051", time="1995-12-31", Merkmal="weiblich")["source_line"] == 512
    assert any(note.startswith("Stand: 10.10.2017") for note in result.notes)
    assert any("Datenlizenz Deutschland" in note for note in result.notes)


def test_classic_13312_thuringia_employment_2014_in_thousands(loaded):
    # line 511: 2014;16;  Thüringen;1047,1;21,9;…   header: Erwerbstätige im Jahresdurchschnitt / Insgesamt / 1000
    frame = loaded(CLASSIC / "13312-01-04-4_00.csv").frame
    cell = one_cell(frame, region_code="16", time="2014", Merkmal="Insgesamt")
    assert (cell["value"], cell["unit"], cell["region_name"], cell["variable"]) == \
        (1047.1, "1000", "Thüringen", "Erwerbstätige im Jahresdurchschnitt")
    farming = one_cell(frame, region_code="16", time="2014", Merkmal="Land- und Forstwirtschaft, Fischerei (A)")
    assert farming["value"] == 21.9


def test_classic_22221_soemmerda_asylum_benefits_and_trailing_dash(loaded):
    # line 525: 31.12.2015;16068;      Sömmerda, Kreis;678;223;619;59;133;128;143;254;20;-
    frame = loaded(CLASSIC / "22221-01-01-4_00.csv").frame
    row = frame[frame["source_line"] == 525]
    assert row["value"].tolist()[:-1] == [678, 223, 619, 59, 133, 128, 143, 254, 20]
    first = row.iloc[0]
    assert (first["time"], first["region_code"], first["region_name"], first["variable"], first["unit"],
            first["Merkmal"]) == ("2015-12-31", "16068", "Sömmerda, Kreis", "Regelleistungsempfänger",
                                  "Anzahl", "Insgesamt")
    last = row.iloc[-1]
    assert math.isnan(last["value"]) and last["flag"] == "-" and last["Merkmal"] == "65 Jahre und mehr"


def test_classic_13111_07_05_4_gera_finance_sector_secret_cells(loaded):
    # line 7076: 16052;      Gera, krsfr. Stadt;Erbringung von Finanz- und Vers.leistungen (K);937;287;650;.;.;.
    frame = loaded(CLASSIC / "13111-07-05-4_00.csv").frame
    row = frame[frame["source_line"] == 7076]
    assert len(row) == 6
    assert set(row["time"]) == {"2015-06-30"} and set(row["region_name"]) == {"Gera, krsfr. Stadt"}
    assert set(row["Wirtschaftszweig"]) == {"Erbringung von Finanz- und Vers.leistungen (K)"}
    total_women = one_cell(row, Nationalität="Insgesamt", Geschlecht="weiblich")
    assert total_women["value"] == 650.0 and total_women["flag"] == ""
    foreign = row[row["Nationalität"] == "Ausländer(innen)"]
    assert foreign["value"].isna().all() and foreign["flag"].tolist() == [".", ".", "."]
    assert foreign["Geschlecht"].tolist() == ["Insgesamt", "männlich", "weiblich"]


def test_classic_13111_01_03_4_thuringia_2015_by_nationality_and_sex(loaded):
    # line 513: 30.06.2015;16;  Thüringen;786098;403059;383039;20529;13614;6915
    frame = loaded(CLASSIC / "13111-01-03-4_00.csv").frame
    cell = one_cell(frame, source_line=513, Nationalität="Ausländer(innen)", Geschlecht="weiblich")
    assert (cell["value"], cell["time"], cell["unit"]) == (6915.0, "2015-06-30", "Anzahl")
    assert cell["variable"] == "Sozialversicherungspfl. Beschäftigte (Arbeitsort)"
    assert one_cell(frame, source_line=513, Nationalität="Insgesamt", Geschlecht="Insgesamt")["value"] == 786098.0


def test_classic_export_re_encoded_as_cp1252_gives_an_identical_frame(loaded):
    path = CLASSIC / "22221-01-01-4_00.csv"
    original = loaded(path)
    windows = loaders.load_bytes(path.read_text(encoding="utf-8").encode("cp1252"), path.name)
    assert windows.encoding == "cp1252" and original.encoding == "utf-8"
    pd.testing.assert_frame_equal(windows.frame, original.frame)
