"""District maps: the layout follows the period, missing districts are grey, numbers German, JSON small."""
import pandas as pd

from charts.base import MAX_FIGURE_JSON_BYTES, figure_json_bytes
from charts.maps import NO_VALUE_COLOUR, choropleth, map_region_codes


def _values(frame: pd.DataFrame, codes) -> pd.DataFrame:
    return pd.DataFrame({"region_code": list(codes), "value": [1234.5 * (i + 1) for i in range(len(codes))]})


def test_2015_map_has_23_districts_with_eisenach_and_2024_map_22_without(bundled_frames):
    districts = bundled_frames["districts"]
    codes_23 = districts.loc[districts["layout"] == "23", "region_code"]
    map_2015 = choropleth(_values(districts, codes_23), period="2015", lang="de", title="2015", unit="Personen",
                          districts=districts)
    map_2024 = choropleth(_values(districts, codes_23), period="2024-12-31", lang="de", title="2024",
                          unit="Personen", districts=districts)
    assert len(map_region_codes(map_2015)) == 23 and "16056" in map_region_codes(map_2015)
    assert len(map_region_codes(map_2024)) == 22 and "16056" not in map_region_codes(map_2024)
    assert "16056" not in map_2024.data[0].locations


def test_period_on_30_june_2021_still_uses_23_districts(bundled_frames):
    districts = bundled_frames["districts"]
    figure = choropleth(pd.DataFrame({"region_code": ["16051"], "value": [1.0]}), period="2021-06-30", lang="de",
                        title=None, unit="", districts=districts)
    assert len(map_region_codes(figure)) == 23


def test_districts_without_value_are_grey_and_say_keine_angabe(bundled_frames):
    districts = bundled_frames["districts"]
    values = pd.DataFrame({"region_code": ["16051", "16053", "16054"], "value": [218793.0, float("nan"), 5.0]})
    figure = choropleth(values, period="2024-12-31", lang="de", title="Test", unit="Personen", districts=districts)
    assert len(figure.data) == 2
    assert list(figure.data[0].locations) == ["16051", "16054"]
    grey = figure.data[1]
    assert set(grey.locations) == set(map_region_codes(figure)) - {"16051", "16054"}
    assert grey.colorscale[0][1] == NO_VALUE_COLOUR and grey.showscale is False
    assert all(text.endswith("keine Angabe") for text in grey.text)
    english = choropleth(values, period="2024-12-31", lang="en", title="Test", unit="persons", districts=districts)
    assert english.data[1].text[0].endswith("not available")


def test_hover_and_colourbar_use_german_number_format(bundled_frames):
    districts = bundled_frames["districts"]
    values = pd.DataFrame({"region_code": ["16051", "16052"], "value": [1234.5, 88.49]})
    figure = choropleth(values, period="2015", lang="de", title="Test", unit="je 1000 Einwohner", districts=districts)
    assert figure.layout.separators == ",."
    assert "1.234,50 je 1000 Einwohner" in figure.data[0].text[0]
    assert "88,49" in figure.data[0].text[1]
    assert figure.data[0].colorbar.tickformat == ",.2f"
    assert figure.data[0].colorbar.title.text == "je 1000 Einwohner"


def test_map_json_stays_small_and_geometry_is_not_changed(bundled_frames):
    districts = bundled_frames["districts"]
    before = districts["geometry"].copy()
    codes = districts.loc[districts["layout"] == "23", "region_code"]
    figure = choropleth(_values(districts, codes), period="2010", lang="de", title="x", unit="", districts=districts)
    assert figure_json_bytes(figure) <= MAX_FIGURE_JSON_BYTES
    assert figure_json_bytes(figure) < 150_000
    assert districts["geometry"].equals(before)
    ring = figure.data[0].geojson["features"][0]["geometry"]["coordinates"][0]
    point = ring[0] if isinstance(ring[0][0], float) else ring[0][0]
    assert all(len(str(c).split(".")[-1]) <= 4 for c in point)
    assert figure.layout.geo.fitbounds == "locations" and figure.layout.geo.visible is False
