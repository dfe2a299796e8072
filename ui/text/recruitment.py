"""UI strings of the page "Rekrutierung"."""

STRINGS = {
    "recruitment_intro": (
        "Anwerbe- und Ausbildungsprojekte für ausländische Fachkräfte und Auszubildende: wann sie angekündigt "
        "wurden und liefen, was geplant und was erreicht wurde. Unbekanntes steht als „keine Angabe“ da, "
        "nie als 0.",
        "Recruitment and training pilots for foreign skilled workers and apprentices: when they were announced "
        "and ran, what was planned and what was achieved. Unknown figures read “not available”, never 0."),
    "recruitment_pilot": ("Projekt hervorheben", "Highlight pilot"),
    "recruitment_timeline_title": ("Projekte auf der Zeitachse", "Pilots on a time axis"),
    "recruitment_details_title": ("Steckbrief: {name}", "Profile: {name}"),
    "recruitment_details_sources": ("Quellen dieses Projekts", "Sources of this pilot"),
    "recruitment_outcomes_title": ("Ziel und Ergebnis: Teilnehmende je Projekt",
                                   "Target and result: participants per pilot"),
    "recruitment_outcomes_table": ("Alle Projekte – Ziel und Ergebnis", "All pilots – target and result"),
    "recruitment_mobipro_title": ("MobiPro-EU: Antragstellende nach Herkunftsland (Deutschland gesamt)",
                                  "MobiPro-EU: applicants by country of origin (Germany as a whole)"),
    "recruitment_statements_title": ("Aussagen zu Anwerbung und Projekten",
                                     "Statements about recruitment and pilots"),
    "recruitment_statements_none": ("Keine Aussagen zu diesem Thema gespeichert.",
                                    "No statements on this topic stored."),
}
