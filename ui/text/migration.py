"""UI strings of the page "Zuwanderung & Asyl"."""

STRINGS = {
    "migration_intro": (
        "Ankünfte, Asylanträge, Leistungsempfänger und Schutzsuchende in Thüringen – jede Zahl mit ihrer Quelle. "
        "Weichen Quellen voneinander ab, stehen ihre Angaben nebeneinander.",
        "Arrivals, asylum applications, benefit recipients and persons seeking protection in Thuringia – every "
        "figure with its source. Where sources disagree, their figures stand side by side."),
    "migration_per_year": ("Ankünfte und Asylanträge je Jahr, 2014–2025",
                           "Arrivals and asylum applications per year, 2014–2025"),
    "migration_partial": ("Teiljahres- und Monatswerte", "Part-year and monthly figures"),
    "migration_tab_asylum": ("Ankünfte und Asylanträge", "Arrivals and applications"),
    "migration_tab_benefits": ("Asylbewerberleistungen", "Asylum-seeker benefits"),
    "migration_tab_protection": ("Schutzsuchende", "Persons seeking protection"),
    "migration_tab_inkar": ("Kreisindikatoren (INKAR)", "District indicators (INKAR)"),
    "migration_benefit_year": ("Stichtag 31.12. des Jahres", "Reference date 31 Dec of the year"),
    "migration_benefits_map": ("Empfänger von Asylbewerberregelleistungen nach Kreisen, 31.12.{year}",
                               "Recipients of standard asylum-seeker benefits by district, 31 Dec {year}"),
    "migration_districts": ("Regionen", "Regions"),
    "migration_benefits_lines": ("Empfänger von Asylbewerberregelleistungen 2010–2015 in den gewählten Regionen",
                                 "Recipients of standard asylum-seeker benefits 2010–2015 in the chosen regions"),
    "migration_benefits_thuringia": ("Thüringen: amtliche Reihe und Angaben aus Presseseiten",
                                     "Thuringia: official series and figures from press pages"),
    "migration_measure": ("Darstellung", "Measure"),
    "migration_measure_absolute": ("absolut", "absolute"),
    "migration_measure_per_1000": ("je 1.000 Einwohner", "per 1,000 inhabitants"),
    "migration_protection_map": ("Schutzsuchende nach Kreisen, 31.12.2024 ({measure})",
                                 "Persons seeking protection by district, 31 Dec 2024 ({measure})"),
    "migration_protection_status": ("Schutzsuchende in Thüringen nach Schutzstatus, 31.12.2024",
                                    "Persons seeking protection in Thuringia by protection status, 31 Dec 2024"),
    "migration_protection_nationalities": ("Häufigste Staatsangehörigkeiten der Schutzsuchenden, 31.12.2024",
                                           "Most frequent nationalities of persons seeking protection, 31 Dec 2024"),
    "migration_inkar_indicator": ("Indikator", "Indicator"),
    "migration_inkar_year": ("Jahr", "Year"),
    "migration_inkar_map": ("{indicator} nach Kreisen, {year}", "{indicator} by district, {year}"),
}
