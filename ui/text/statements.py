"""UI strings of the page "Aussagen"."""

STRINGS = {
    "statements_intro": (
        "Jede erfasste Aussage mit Datum, Institution, Zitat und Quelle. Wählen Sie eine Aussage: unter jeder ihrer "
        "Behauptungen steht das Diagramm, mit dem sie sich prüfen lässt.",
        "Every recorded statement with date, institution, quote and source. Choose a statement: under each of its "
        "claims is the chart that tests it."),
    "statements_order": ("Reihenfolge", "Order"),
    "statements_order_newest": ("neueste zuerst", "newest first"),
    "statements_order_oldest": ("älteste zuerst", "oldest first"),
    "statements_topics": ("Themen", "Topics"),
    "statements_all_topics": ("alle Themen", "all topics"),
    "statements_open": ("öffnen", "open"),
    "statements_select": ("Aussage", "Statement"),
    "statements_none": ("Keine Aussage zu diesen Themen.", "No statement on these topics."),
    "statements_source_link": ("Quelle öffnen", "Open source"),
    "statements_claims": ("Behauptungen und Daten", "Claims and data"),
    "statements_no_chart": ("Keine Daten zum Prüfen dieser Behauptung (keine Angabe).",
                            "No data to test this claim (not available)."),
}
