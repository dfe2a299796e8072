"""Districts and the region registry: both layouts, Eisenach's move, geometries a map can draw."""
import json

import pytest

from datasets import districts, regions
from datasets.base import RAW_DIR

EISENACH_CENTRE = (10.319, 50.981)


@pytest.fixture(scope="module")
def built():
    return districts.build(RAW_DIR)


def rings_of(geometry: dict) -> list[list[list[list[float]]]]:
    """Polygons as lists of rings, for Polygon and MultiPolygon alike."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    assert geometry["type"] == "MultiPolygon", geometry["type"]
    return geometry["coordinates"]


def ring_contains(ring, x: float, y: float) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def contains(geometry: dict, x: float, y: float) -> bool:
    """Ray casting: inside the outer ring and outside every hole of one polygon."""
    for outer, *holes in rings_of(geometry):
        if ring_contains(outer, x, y) and not any(ring_contains(hole, x, y) for hole in holes):
            return True
    return False


def test_build_validates_and_has_one_row_per_district_and_layout(built):
    districts.DistrictsSchema.validate(built, lazy=True)
    assert list(built.columns) == districts.COLUMNS
    assert built.groupby("layout")["region_code"].nunique().to_dict() == {"22": 22, "23": 23}


def test_eisenach_is_a_district_only_until_june_2021(built):
    layout_23 = set(built.loc[built["layout"] == "23", "region_code"])
    layout_22 = set(built.loc[built["layout"] == "22", "region_code"])
    assert layout_23 - layout_22 == {"16056"}
    assert layout_22 < layout_23
    eisenach = built[built["region_code"] == "16056"].iloc[0]
    assert (eisenach["valid_to"], eisenach["region_name"]) == ("2021-06-30", "Eisenach, kreisfreie Stadt")
    assert set(built.loc[built["layout"] == "22", "valid_from"]) == {"2021-07-01"}


def test_every_geometry_parses_and_lies_in_thuringia(built):
    for row in built.itertuples():
        geometry = json.loads(row.geometry)
        for polygon in rings_of(geometry):
            for ring in polygon:
                assert len(ring) >= 4 and ring[0] == ring[-1], f"{row.region_code}: ring not closed"
                for lon, lat in ring:
                    assert 9.8 < lon < 12.7 and 50.1 < lat < 51.7, f"{row.region_code}: ({lon}, {lat}) outside Thuringia"


def test_a_point_in_eisenach_centre_belongs_to_eisenach_then_to_the_wartburgkreis(built):
    def containing(layout: str) -> list[str]:
        rows = built[built["layout"] == layout]
        return [row.region_code for row in rows.itertuples() if contains(json.loads(row.geometry), *EISENACH_CENTRE)]

    assert containing("23") == ["16056"]
    assert containing("22") == ["16063"]


def test_geojson_feature_ids_are_the_ags_for_plotly(built):
    for layout, count in (("23", 23), ("22", 22)):
        collection = districts.geojson(layout)
        assert collection["type"] == "FeatureCollection" and len(collection["features"]) == count
        assert [feature["id"] for feature in collection["features"]] == \
            regions.thuringia_districts(layout)["region_code"].tolist()
        assert all(feature["geometry"]["type"] in {"Polygon", "MultiPolygon"} for feature in collection["features"])
    with pytest.raises(ValueError):
        districts.geojson("21")


def test_the_edited_22_district_file_is_marked_medium_and_its_sources_are_declared(built):
    declared = {source.source_id: source for source in districts.SOURCES}
    assert set(built["source_id"]) == set(declared)
    assert declared["bkg-vg250-kreise-2021-geocaching-edit"].confidence == "medium"
    assert "edited" in declared["bkg-vg250-kreise-2021-geocaching-edit"].note
    for source in declared.values():
        assert (RAW_DIR / source.raw_path).is_file()


def test_kind_matches_bkg_and_there_are_six_then_five_cities():
    layout_23, layout_22 = regions.thuringia_districts("23"), regions.thuringia_districts("22")
    assert (layout_23["kind"] == "kreisfreie Stadt").sum() == 6
    assert (layout_22["kind"] == "kreisfreie Stadt").sum() == 5
    assert set(layout_22.loc[layout_22["kind"] == "kreisfreie Stadt", "region_code"]) == {
        "16051", "16052", "16053", "16054", "16055"}
    with pytest.raises(ValueError):
        regions.thuringia_districts("24")


@pytest.mark.parametrize("period, layout", [
    ("2020", "23"), ("2021-06", "23"), ("2021-06-30", "23"), ("2021-07-01", "22"), ("2021", "22"),
    ("2021-07", "22"), ("2024-12-31", "22"), ("2016-01/2016-09", "23"), ("2021-01/2021-12", "22"),
])
def test_layout_follows_the_end_of_the_period(period, layout):
    assert regions.layout_for_period(period) == layout


def test_one_canonical_name_per_code_without_indentation():
    assert regions.region_name("16051") == "Erfurt, kreisfreie Stadt"
    assert regions.region_name("16063") == "Wartburgkreis"
    assert regions.region_name("16") == "Thüringen"
    assert regions.region_name("DG") == "Deutschland"
    assert regions.region_name("01001") == "Flensburg, Kreisfreie Stadt"
    assert regions.region_name("16099") == ""
    assert regions.normalise_region_name("      Erfurt, krsfr. Stadt") == "Erfurt, krsfr. Stadt"


def test_known_codes_hold_germany_the_laender_and_every_kreis_of_the_raw_files():
    known = regions.known_region_codes()
    assert {"DG", *(f"{number:02d}" for number in range(1, 17))} <= known
    assert regions.thuringia_district_codes() <= known
    assert len([code for code in known if len(code) == 5]) >= 400, "12411 (classic) lists all German Kreise"
    assert "16099" not in known and "17" not in known
