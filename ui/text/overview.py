"""UI strings of the page "Überblick"."""

STRINGS = {
    "overview_intro": (
        "Wo steht Thüringen bei Fachkräften und Zuwanderung – und was sagen die Daten zu den Aussagen der "
        "Landesregierung? Jede Zahl nennt ihre Quelle und ihren Stand.",
        "Where does Thuringia stand on skilled labour and immigration – and what do the data say about the "
        "Land government's statements? Every figure names its source and reference date."),
    "overview_headlines": ("Kennzahlen", "Key figures"),
    "overview_timeline": ("Aussagen im Zeitverlauf", "Statements over time"),
    "overview_topics": ("Themen", "Topics"),
    "overview_verdicts": ("Pressemitteilung vom 18. Mai 2016: die Aussagen und die Daten",
                          "Press release of 18 May 2016: the claims and the data"),
    "overview_verdicts_intro": (
        "Für jede Aussage steht hier, was die Daten zeigen. Die Einstufung bewertet nur, ob die verfügbaren "
        "Zahlen die Aussage stützen; sie bewertet nicht die Politik dahinter.",
        "For each claim, this shows what the data say. The rating only states whether the available figures "
        "support the claim; it does not rate the policy behind it."),
    "overview_to_statements": ("Alle Aussagen mit Diagrammen", "All statements with charts"),
}
