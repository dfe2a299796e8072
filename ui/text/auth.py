"""UI strings of the login box in the sidebar (ui/auth_views.py)."""

STRINGS = {
    "auth_expander": ("Anmeldung für Analystinnen und Analysten", "Login for analysts"),
    "auth_intro": (
        "Zum Ansehen der Daten ist keine Anmeldung nötig. Anmelden müssen sich nur Personen, die Daten "
        "hochladen, veröffentlichen oder zurücksetzen.",
        "No login is needed to view the data. Only people who upload, publish or roll back data log in."),
    "auth_sso_button": ("Anmelden (SSO)", "Log in (SSO)"),
    "auth_sso_button_named": ("Anmelden mit {provider}", "Log in with {provider}"),
    "auth_sso_failed": (
        "Die Anmeldung über SSO ist falsch eingerichtet: {detail}",
        "Single sign-on is not set up correctly: {detail}"),
    "auth_local_heading": ("Lokales Analyse-Konto", "Local analyst account"),
    "auth_username": ("Benutzername", "User name"),
    "auth_password": ("Passwort", "Password"),
    "auth_submit": ("Anmelden", "Log in"),
    "auth_missing_input": ("Bitte Benutzername und Passwort eingeben.", "Please enter user name and password."),
    "auth_no_account_yet": (
        "Es ist noch kein Analyse-Konto eingerichtet. Wie eines auf dem Server angelegt wird, steht beim Start "
        "in der Konsole und in der README.",
        "No analyst account has been set up yet. How to create one on the server is printed to the console at "
        "start-up and described in the README."),
    "auth_logged_in_as": ("Angemeldet als {name}", "Logged in as {name}"),
    "auth_role_analyst": ("Rolle: Analyse (Hochladen, Veröffentlichen, Zurücksetzen)",
                          "Role: analyst (upload, publish, roll back)"),
    "auth_role_viewer": (
        "Rolle: nur lesen — diese Anmeldung steht nicht auf der Liste der Analyse-Berechtigten.",
        "Role: read-only — this login is not on the list of analysts."),
    "auth_logout": ("Abmelden", "Log out"),
}
