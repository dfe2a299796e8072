"""UI strings of the page "Fachkräftebedarf"."""

STRINGS = {
    "demand_intro": (
        "Wie viele Fachkräfte braucht Thüringen? Hier stehen alle veröffentlichten Prognosen nebeneinander – "
        "auch die Aussage der Staatskanzlei vom 18.05.2016 („Bis 2025 werden in Thüringen 280.000 Fachkräfte "
        "benötigt“) – und daneben die beobachtete Entwicklung von Beschäftigung und Bevölkerung.",
        "How many skilled workers does Thuringia need? All published projections are shown side by side – "
        "including the State Chancellery's statement of 18 May 2016 (“By 2025, Thuringia will need 280,000 "
        "skilled workers”) – next to the observed development of employment and population."),
    "demand_tab_projections": ("Prognosen", "Projections"),
    "demand_tab_employment": ("Beschäftigung", "Employment"),
    "demand_tab_population": ("Bevölkerung", "Population"),
    "demand_tab_sectors": ("Branchen nach Kreisen", "Sectors by district"),
    "demand_measures": ("Größen der Prognosen", "Projection measures"),
    "demand_vintages_title": ("Prognosen zum Fachkräftebedarf nach Zieljahr",
                              "Projections of skilled-labour demand by target year"),
    "demand_split_title": ("Bedarf bis 2030: Ersatz- und Erweiterungsbedarf",
                           "Demand by 2030: replacement and expansion"),
    "demand_employment_title": ("Erwerbstätige in Thüringen 1991–2020: zwei amtliche Berechnungsstände",
                                "Persons in employment in Thuringia 1991–2020: two official computations"),
    "demand_svb_title": ("Sozialversicherungspflichtig Beschäftigte: insgesamt und ausländisch",
                         "Employees subject to social insurance: total and foreign"),
    "demand_laender": ("Vergleich mit", "Compare with"),
    "demand_germany_sum": ("Deutschland (Summe der 16 Länder)", "Germany (sum of the 16 Länder)"),
    "demand_laender_title": ("Beschäftigung im Ländervergleich (Quartale, erstes Quartal = 100)",
                             "Employment compared with other Länder (quarters, first quarter = 100)"),
    "demand_population_title": ("Bevölkerung und Bevölkerungsvorausberechnungen",
                                "Population and population projections"),
    "demand_district": ("Kreis oder Land", "District or Land"),
    "demand_sectors_title": ("Beschäftigte nach Wirtschaftsabschnitt: {region} (30.06.2015)",
                             "Employees by economic section: {region} (30 June 2015)"),
}
