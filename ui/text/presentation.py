"""UI strings of the page "Präsentation" (saved views played as a deck)."""

STRINGS = {
    "page_presentation": ("Präsentation", "Presentation"),
    "presentation_intro": (
        "Gespeicherte Ansichten als Folien: eine Präsentation wählen und Folie für Folie zeigen. Jede Folie "
        "zeigt die Diagramme der Ansicht genau so, wie sie gespeichert wurde – angeheftete Ansichten mit ihrem "
        "damaligen Datenstand.",
        "Saved views as slides: choose a deck and show it slide by slide. Every slide shows the view's charts "
        "exactly as saved – pinned views with their data as of saving."),
    "presentation_deck": ("Präsentation", "Deck"),
    "presentation_slide": ("Folie", "Slide"),
    "presentation_prev": ("Zurück", "Previous"),
    "presentation_next": ("Weiter", "Next"),
    "presentation_slide_of": ("Folie {number} von {total}", "Slide {number} of {total}"),
    "presentation_no_decks": ("Noch keine Präsentation gespeichert.", "No deck saved yet."),
    "presentation_empty_deck": ("Diese Präsentation hat noch keine Folien.", "This deck has no slides yet."),
    "presentation_unknown_deck": (
        "Die Präsentation aus dem Link gibt es nicht (mehr); gezeigt wird die neueste.",
        "The deck in the link does not exist (any more); showing the newest one."),
    "presentation_unknown_slide": (
        "Die Folie aus dem Link gibt es in dieser Präsentation nicht; gezeigt wird Folie 1.",
        "The slide in the link does not exist in this deck; showing slide 1."),
    "presentation_open_view": ("Ansicht „{page}“ öffnen", "Open the view “{page}”"),
    "presentation_unknown_page": ("Die Seite dieser Ansicht gibt es nicht mehr.",
                                  "The page of this view no longer exists."),
    "presentation_mode_live": ("live – immer die neuesten Daten", "live – always the newest data"),
    "presentation_mode_pinned": ("angeheftet – Datenstand beim Speichern", "pinned – data as of saving"),
    "presentation_view_meta": ("Gespeichert von {author} am {when} · {mode}", "Saved by {author} on {when} · {mode}"),
    "presentation_pinned_as_of": ("Angehefteter Stand", "Pinned as of"),
    "presentation_pinned_line": ("{dataset}: Version {number} vom {when}", "{dataset}: version {number} of {when}"),
    "presentation_pinned_newer": ("{dataset}: inzwischen neuere Version {number} vom {when}",
                                  "{dataset}: since then newer version {number} of {when}"),
    "presentation_pinned_missing": ("{dataset}: Version nicht mehr vorhanden", "{dataset}: version no longer there"),
    "presentation_pinned_live_note": (
        "Der Link öffnet die Ansicht mit diesem angehefteten Stand; von dort führt „Neueste Daten zeigen“ weiter.",
        "The link opens the view at this pinned state; “Show newest data” there leads on."),
    "presentation_no_charts": (
        "Diese Ansicht wurde ohne Diagramm gespeichert; der Link oben öffnet sie.",
        "This view was saved without a chart; the link above opens it."),
    "presentation_chart_failed": (
        "Dieses Diagramm der Ansicht lässt sich mit der aktuellen Version des Dashboards nicht mehr zeichnen.",
        "This chart of the view can no longer be drawn by the current version of the dashboard."),
    "presentation_notes_statements": ("Aussagen", "Statements"),
    "presentation_notes_claims": ("Behauptungen", "Claims"),
    "presentation_download_pptx": ("Präsentation als PowerPoint herunterladen", "Download the deck as PowerPoint"),
    "presentation_manage": ("Ansichten und Präsentationen verwalten", "Manage views and decks"),
    "presentation_save": ("Ansichten speichern", "Saving views"),
    "presentation_save_help": (
        "Eine Ansicht speichern Sie auf ihrer Seite: Seitenleiste → „Ansicht speichern“. Dort wählen Sie die "
        "Diagramme der Folie und ob die Ansicht live bleibt oder den Datenstand anheftet.",
        "Save a view on its own page: sidebar → “Save view”. There you choose the charts of the slide and "
        "whether the view stays live or pins the data as of now."),
    "presentation_title": ("Titel", "Title"),
    "presentation_note": ("Notiz (für die Folie)", "Note (for the slide)"),
    "presentation_mode": ("Daten", "Data"),
    "presentation_save_button": ("Ansicht speichern", "Save view"),
    "presentation_saved": ("Ansicht „{title}“ gespeichert.", "View “{title}” saved."),
    "presentation_views": ("Gespeicherte Ansichten", "Saved views"),
    "presentation_no_views": ("Noch keine Ansicht gespeichert.", "No view saved yet."),
    "presentation_col_id": ("Nr.", "No."),
    "presentation_col_title": ("Titel", "Title"),
    "presentation_col_page": ("Seite", "Page"),
    "presentation_col_mode": ("Daten", "Data"),
    "presentation_col_author": ("von", "by"),
    "presentation_col_updated": ("geändert", "changed"),
    "presentation_delete_view": ("Ansicht löschen", "Delete view"),
    "presentation_delete_view_button": ("Gewählte Ansicht löschen", "Delete the chosen view"),
    "presentation_view_deleted": ("Ansicht gelöscht.", "View deleted."),
    "presentation_new_deck": ("Neue Präsentation", "New deck"),
    "presentation_deck_views": ("Folien (in dieser Reihenfolge)", "Slides (in this order)"),
    "presentation_create_deck": ("Präsentation anlegen", "Create deck"),
    "presentation_deck_created": ("Präsentation „{title}“ angelegt.", "Deck “{title}” created."),
    "presentation_edit_deck": ("Folien von „{title}“", "Slides of “{title}”"),
    "presentation_save_items": ("Folien speichern", "Save slides"),
    "presentation_items_saved": ("Folien gespeichert.", "Slides saved."),
    "presentation_delete_deck": ("Präsentation löschen", "Delete deck"),
    "presentation_deck_deleted": ("Präsentation gelöscht.", "Deck deleted."),
    "view_save": ("Ansicht speichern", "Save view"),
    "view_save_charts": ("Diagramme auf der Folie", "Charts on the slide"),
    "view_save_charts_help": (
        "Die Folie zeigt diese Diagramme der Seite mit genau den Einstellungen von jetzt.",
        "The slide shows these charts of the page with exactly the settings of now."),
    "view_pinned_banner": (
        "Gespeicherte Ansicht „{title}“: angehefteter Datenstand vom {when}.",
        "Saved view “{title}”: pinned data as of {when}."),
    "view_pinned_missing": ("Nicht mehr vorhanden, daher aktuell: {datasets}.",
                            "No longer there, hence current: {datasets}."),
    "view_show_newest": ("Neueste Daten zeigen", "Show newest data"),
    "view_unknown": ("Die gespeicherte Ansicht aus dem Link gibt es nicht (mehr); gezeigt werden die aktuellen Daten.",
                     "The saved view in the link does not exist (any more); showing the current data."),
}
