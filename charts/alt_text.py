"""One-sentence alternative text for a chart, generated from the data it shows (trend, min, max)."""
from __future__ import annotations

import pandas as pd

from charts.format import number


def describe_series(x: pd.Series, y: pd.Series, *, what: str, unit: str, lang: str = "de") -> str:
    """E.g. "Asylerstanträge von 2014 bis 2025: Höchstwert 15.422 Anträge (2016), Tiefstwert 3.100 Anträge
    (2025); zuletzt fallend." NA values are skipped; an empty series says so."""
    data = pd.DataFrame({"x": x.to_numpy(), "y": pd.to_numeric(y, errors="coerce").to_numpy()}).dropna()
    if data.empty:
        return (f"{what}: no figures available." if lang == "en" else f"{what}: keine Angabe.")
    data = data.sort_values("x", kind="stable").reset_index(drop=True)
    xs, ys = data["x"].tolist(), data["y"].tolist()
    high = {"x": xs[ys.index(max(ys))], "y": max(ys)}
    low = {"x": xs[ys.index(min(ys))], "y": min(ys)}
    first, last = {"x": xs[0], "y": ys[0]}, {"x": xs[-1], "y": ys[-1]}
    fmt = lambda v: f"{number(v, lang)} {unit}".strip()  # noqa: E731
    if len(data) >= 2:
        previous = ys[-2]
        trend_de = "steigend" if last["y"] > previous else "fallend" if last["y"] < previous else "gleichbleibend"
        trend_en = "rising" if last["y"] > previous else "falling" if last["y"] < previous else "flat"
    else:
        trend_de = trend_en = ""
    if lang == "en":
        text = (f"{what} from {first['x']} to {last['x']}: highest {fmt(high['y'])} ({high['x']}), "
                f"lowest {fmt(low['y'])} ({low['x']})")
        return text + (f"; most recently {trend_en}." if trend_en else ".")
    text = (f"{what} von {first['x']} bis {last['x']}: Höchstwert {fmt(high['y'])} ({high['x']}), "
            f"Tiefstwert {fmt(low['y'])} ({low['x']})")
    return text + (f"; zuletzt {trend_de}." if trend_de else ".")
