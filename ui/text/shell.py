"""UI strings of the shared shell: share link, presentation mode, notice about invalid link values."""

STRINGS = {
    "link_copy": ("Link kopieren", "Copy link"),
    "link_copy_help": (
        "Dieser Link öffnet genau diese Ansicht (Seite, Sprache und alle Auswahlen). "
        "Kopieren mit dem Symbol rechts im Feld.",
        "This link opens exactly this view (page, language and every selection). "
        "Copy it with the icon on the right of the box."),
    "present_toggle": ("Präsentationsmodus", "Presentation mode"),
    "present_exit_hint": (
        "Präsentation beenden: Esc / Link ohne present · Weiter und zurück: Pfeiltasten oder Bild auf/ab",
        "Leave the presentation: Esc / link without present · Next and previous: arrow keys or Page Up/Down"),
    "invalid_query_notice": (
        "Einige Angaben im Link waren ungültig oder veraltet und wurden durch Standardwerte ersetzt: {names}",
        "Some values in the link were invalid or outdated and were replaced by defaults: {names}"),
}
