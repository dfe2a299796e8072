"""UI strings of the page "Explorer"."""

STRINGS = {
    "explorer_intro": (
        "Jede Kennzahl des Datensatzes „Indikatoren“ – auch neu hochgeladene – als Linie, Balken oder Karte. "
        "Kategorien werden nie addiert: gezeigt wird immer ein Wert je Merkmal, ohne Auswahl die Gesamtwerte.",
        "Every measure of the “indicators” dataset – including newly uploaded ones – as line, bar or map. "
        "Categories are never added up: one value per breakdown is shown, the totals by default."),
    "explorer_indicator": ("Kennzahl", "Measure"),
    "explorer_regions": ("Regionen", "Regions"),
    "explorer_breakdown": ("Aufschlüsselung nach", "Break down by"),
    "explorer_no_breakdown": ("keine (Gesamtwerte)", "none (totals)"),
    "explorer_value": ("Ausprägung", "Value"),
    "explorer_total": ("Insgesamt", "Total"),
    "explorer_periods": ("Zeitraum", "Period"),
    "explorer_single_period": ("Nur ein Zeitraum vorhanden: {period}", "Only one period available: {period}"),
    "explorer_chart_type": ("Darstellung", "Chart type"),
    "explorer_chart_line": ("Linie", "Line"),
    "explorer_chart_bar": ("Balken", "Bar"),
    "explorer_chart_map": ("Karte", "Map"),
    "explorer_map_regions": ("Die Karte zeigt alle Kreise; die Regionsauswahl gilt für Linie und Balken.",
                             "The map shows every district; the region choice applies to line and bar."),
    "explorer_chart_title": ("{indicator}", "{indicator}"),
}
