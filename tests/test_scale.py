"""Scale-out and faults through nginx (deploy/nginx.conf): two replicas on one PostgreSQL, headless Debian Chromium.

What is proven, in file order (one cluster for the module, see tests/cluster.py):
- the route cookie pins a browser to one replica, page and WebSocket alike;
- an analyst publishes through replica A's upload page → a viewer on replica B sees it on its next rerun;
- after a publish (CLI) every page on both replicas shows the new version, also in sessions whose caches
  held the old one;
- a shared link renders the same widget values and the same figures on both replicas;
- the shared cookie secret keeps an OIDC login when another replica serves the browser (a replica started
  with another secret does not accept it);
- PostgreSQL stopped mid-session → read-only banner on the last data, back without restarting the app;
- a replica SIGKILLed → the browser continues on the other one, the restarted replica rejoins.
Measured times are printed (`pytest -s`) and appended to the file named by $SCALE_RESULTS, if set.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import expect

import store
from store import accounts
from tests.browser import IDLE, ROOT
from tests.cluster import ROUTE_COOKIE, Cluster, wait_for
from tests.cluster import scale_cluster  # noqa: F401  (the module's cluster fixture)

A, B = 0, 1
CHART = "[data-testid=stPlotlyChart] .main-svg"
OUTCOMES = ".st-key-chart_recruitment_outcomes .main-svg"
BANNER = "Die Datenbank ist gerade nicht erreichbar"
LOGGED_IN = "Angemeldet als Ana Muster"
UPLOAD_NAV = "[data-testid=stSidebarNav] a:has-text('Daten hochladen')"
CLI_ANALYST, CLI_PASSWORD = "cli-analyst", "ein-langes-passwort-fuer-die-cli"
#: The pilot whose "recruited" count the tests change (it publishes a target, so the outcomes chart shows it).
PILOT = "catt-usbekistan-azubis"
MUNICIPALITIES_FILE = ROOT / "data/raw/destatis-genesis/11111-02-01-4_zahl_gemeinden_kreise_2024-12-31_thueringen.csv"
#: Shared links with non-default values (bound widgets with format_func carry their label in the URL).
SHARED_LINKS = [
    "/explorer?" + urlencode([("explorer_indicator", "Household income"),
                              ("explorer_regions", "Erfurt, kreisfreie Stadt"),
                              ("explorer_regions", "Jena, kreisfreie Stadt"), ("explorer_chart", "Bar"),
                              ("explorer_periods", "2005"), ("explorer_periods", "2015"), ("lang", "English")]),
    "/fachkraeftebedarf?" + urlencode([("demand_tab", "Beschäftigung"), ("demand_laender", "Bayern"),
                                       ("demand_laender", "Sachsen")]),
]
RESULTS: list[str] = []


# --- fixtures ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster(scale_cluster) -> Cluster:
    return scale_cluster


@pytest.fixture(scope="module")
def chromium(browser):
    """The module's Chromium (conftest); afterwards the measured recovery times are printed (pytest -s)."""
    yield browser
    if RESULTS:
        text = "\n".join(RESULTS) + "\n"
        print("\n" + text)
        if os.environ.get("SCALE_RESULTS"):
            with open(os.environ["SCALE_RESULTS"], "a", encoding="utf-8") as results:
                results.write(text)


@pytest.fixture(scope="module")
def analyst(chromium, cluster):
    """A browser pinned to replica A, logged in as analyst `ana` through OIDC (st.login, via nginx)."""
    context = pinned(chromium, cluster, A)
    page = context.new_page()
    page.goto(cluster.url + "/", timeout=60_000)
    box = page.locator("[data-testid=stSidebar] [data-testid=stExpander]", has_text="Anmeldung für")
    expect(box).to_be_visible(timeout=90_000)
    box.get_by_text("Anmeldung für").click()
    page.locator("[data-testid=stSidebar]").get_by_role("button", name="Anmelden (SSO)").click()
    page.wait_for_url(f"{cluster.oidc_issuer}/oauth2/authorize**", timeout=30_000)
    page.get_by_role("button", name="ana").click()
    page.wait_for_url(f"{cluster.url}/**", timeout=30_000)
    expect(page.locator("[data-testid=stSidebar]").get_by_text(LOGGED_IN)).to_be_visible(timeout=60_000)
    yield context, page
    context.close()


@pytest.fixture(scope="module")
def cli_analyst(cluster) -> str:
    """A local analyst account for `python -m store` (the CLI publishes only as an existing analyst)."""
    connection = store.connect(cluster.database_url)
    try:
        accounts.add_user(connection, CLI_ANALYST, CLI_PASSWORD)
    finally:
        connection.close()
    return CLI_ANALYST


# --- helpers -----------------------------------------------------------------------------------------------------


def record(line: str) -> None:
    RESULTS.append(f"- {line}")


def pinned(chromium, cluster: Cluster, index: int):
    """A fresh browser context whose route cookie leads to replica `index`."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    context.add_cookies([{"name": ROUTE_COOKIE, "value": cluster.route_to(index), "url": cluster.url}])
    return context


def set_route(context, cluster: Cluster, index: int) -> None:
    context.add_cookies([{"name": ROUTE_COOKIE, "value": cluster.route_to(index), "url": cluster.url}])


def settled(page) -> None:
    """The script run has finished (no running indicator, app idle)."""
    expect(page.locator("[data-testid=stStatusWidgetRunningIcon]")).to_have_count(0, timeout=90_000)
    page.wait_for_selector(IDLE, timeout=90_000)


def visit(page, cluster: Cluster, path: str, *, ready: str = CHART):
    """Open `path` through nginx, wait until `ready` is visible and the run is done; return the replica."""
    return visit_each([page], cluster, path, ready=ready)[0]


def visit_each(pages: list, cluster: Cluster, path: str, *, ready: str = CHART) -> list:
    """`visit` in several tabs at once (their replicas work in parallel); the replica that served each."""
    responses = [page.goto(cluster.url + path, timeout=90_000, wait_until="commit") for page in pages]
    for page, response in zip(pages, responses):
        assert response is not None and response.ok, f"{path}: {response and response.status}\n{cluster.logs()}"
        expect(page.locator(ready).first).to_be_visible(timeout=90_000)
        settled(page)
        assert_no_exception(page)
    return [cluster.replica_at(response.headers["x-upstream"]) for response in responses]


def assert_no_exception(page) -> None:
    assert page.locator("[data-testid=stException]").count() == 0, page.locator(
        "[data-testid=stException]").first.inner_text()


def rerun(page) -> None:
    """A rerun of this session (not a reload): flip the sidebar's statement-marker toggle."""
    page.locator(".st-key-markers label").first.click()


def outcomes(page) -> list[list]:
    """[name, x values] per trace of the recruitment page's "target vs achieved" chart, as the browser holds it."""
    return json.loads(page.evaluate(
        "() => JSON.stringify((document.querySelector('.st-key-chart_recruitment_outcomes .js-plotly-plot') || {})"
        ".data?.map(trace => [trace.name, Array.from(trace.x)]) || [])"))


def recruited_values(page) -> list:
    return dict((name, x) for name, x in outcomes(page)).get("Angeworben", [])


def figures(page) -> list:
    """Every drawn plotly figure on the page (chart key, data, layout title), in page order."""
    count = page.locator("[data-testid=stPlotlyChart]").count()
    assert count, "no chart on the page"
    page.wait_for_function("n => document.querySelectorAll('[data-testid=stPlotlyChart] .main-svg').length >= n",
                           arg=count, timeout=90_000)
    return json.loads(page.evaluate("""() => JSON.stringify(Array.from(
        document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')).map(gd => ({
            key: (gd.closest('[class*="st-key-chart_"]') || {className: ''}).className.match(/st-key-chart_\\S+/)?.[0],
            data: gd.data, title: gd.layout.title, xaxis: gd.layout.xaxis && gd.layout.xaxis.title})))"""))


def widget_values(page) -> dict[str, str]:
    """What every keyed input widget on the page shows (select boxes, multiselects, radios, sliders, toggles)."""
    return page.evaluate("""() => {
        const values = {};
        for (const element of document.querySelectorAll('[class*="st-key-"]')) {
            const key = [...element.classList].find(c => c.startsWith('st-key-')).slice(7);
            const sliders = [...element.querySelectorAll('input[type=range]')]
                .map(s => s.getAttribute('aria-valuetext'));
            const tags = [...element.querySelectorAll('[data-tag]')].map(t => t.getAttribute('aria-label'));
            const combo = element.querySelector('[role=combobox]');
            const radio = element.querySelector('label:has(input[type=radio]:checked)');
            const toggle = element.querySelector('input[type=checkbox]');
            if (sliders.length) values[key] = sliders.join(' – ');
            else if (tags.length) values[key] = tags.join(' | ');
            else if (combo) values[key] = combo.value;
            else if (radio) values[key] = radio.textContent.trim();
            else if (toggle) values[key] = String(toggle.checked);
        }
        return values;
    }""")


def catalogue_rows(page) -> dict[str, list[str]]:
    """The rows of the catalogue's overview table (Datensatz → Version, Veröffentlicht, von, Zeilen, …)."""
    grid = page.locator("[data-testid=stDataFrame]").first
    expect(grid.locator("[role=gridcell]").first).to_be_attached(timeout=60_000)
    rows = {}
    for row in grid.locator("[role=row]").all():
        cells = [cell.text_content() or "" for cell in row.locator("[role=gridcell]").all()]
        if cells:
            rows[cells[0]] = cells[1:]
    return rows


def german_int(text: str) -> int:
    return int(text.replace(".", ""))


def sidebar_stand(page) -> str:
    return page.locator("[data-testid=stSidebar]").get_by_text("Datenstand:").inner_text()


def cli(cluster: Cluster, *arguments: str) -> str:
    """`python -m store …` against the cluster's database, as an operator runs it on any machine."""
    done = subprocess.run([sys.executable, "-m", "store", *arguments], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env={**os.environ, "DATABASE_URL": cluster.database_url})
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def publish_pilot_recruited(cluster: Cluster, recruited: int) -> int:
    """Publish recruitment_pilots with PILOT's "recruited" set (store API from the test process); the number."""
    connection = store.connect(cluster.database_url)
    try:
        live = connection.live_version("recruitment_pilots")
        frame = connection.read("recruitment_pilots")
        frame.loc[frame["pilot_id"] == PILOT, "recruited"] = recruited
        version = connection.publish("recruitment_pilots", frame, actor=store.Actor("ana@example.com", "analyst"),
                                     note=f"Skalierungstest: {recruited} angeworben",
                                     parent_version_id=live.version_id)
        return version.number
    finally:
        connection.close()


def pilots_csv(cluster: Cluster, recruited: int) -> bytes:
    connection = store.connect(cluster.database_url)
    try:
        frame = connection.read("recruitment_pilots")
    finally:
        connection.close()
    frame.loc[frame["pilot_id"] == PILOT, "recruited"] = recruited
    return frame.to_csv(index=False).encode("utf-8")


def live_number(cluster: Cluster, dataset: str) -> int:
    connection = store.connect(cluster.database_url)
    try:
        return connection.live_version(dataset).number
    finally:
        connection.close()


def choose(page, label: str, option: str) -> None:
    """Pick `option` in the select box labelled `label` (typing filters the virtualised list)."""
    box = page.locator("[data-testid=stSelectbox]", has=page.get_by_text(label, exact=True)).first
    for attempt in range(3):
        box.click()
        box.locator("input").fill(option)
        page.get_by_role("option", name=option).first.click()
        settled(page)
        try:
            expect(box.get_by_role("combobox")).to_have_value(option, timeout=20_000)
            return
        except AssertionError:
            # NOTE: on a loaded machine a choice made while the previous rerun still runs can be lost.
            if attempt == 2:
                raise


# --- tests -------------------------------------------------------------------------------------------------------


def test_the_route_cookie_pins_page_and_websocket_to_one_replica(chromium, cluster):
    route_a, route_b = cluster.route_to(A), cluster.route_to(B)
    assert route_a != route_b
    assert cluster.served_by(route=route_a).index == A and cluster.served_by(route=route_b).index == B

    fresh = chromium.new_context()                       # no cookie yet: nginx hands one out, HttpOnly
    page = fresh.new_page()
    response = page.goto(cluster.url + "/_stcore/health", timeout=30_000)
    handed_out = next(c for c in fresh.cookies() if c["name"] == ROUTE_COOKIE)
    assert handed_out["httpOnly"] and re.fullmatch(r"[0-9a-f]{32}", handed_out["value"])
    assert any(value.startswith(ROUTE_COOKIE + "=") for value in response.header_values("set-cookie"))
    again = page.goto(cluster.url + "/_stcore/health", timeout=30_000)
    assert not any(ROUTE_COOKIE in value for value in again.header_values("set-cookie")), "set once, then kept"
    assert again.headers["x-upstream"] == response.headers["x-upstream"]
    fresh.close()

    contexts = [pinned(chromium, cluster, index) for index in (A, B)]
    pages = [context.new_page() for context in contexts]
    served = visit_each(pages, cluster, "/daten", ready="[data-testid=stDataFrame]")    # drawn via the WebSocket
    assert [replica.index for replica in served] == [A, B]
    for context in contexts:
        context.close()
    for index, route in ((A, route_a), (B, route_b)):
        # nginx logs the WebSocket when it closes: it was upgraded (101) on the same replica.
        address = cluster.replicas[index].address
        wait_for(lambda: re.search(rf"101 GET /_stcore/stream route={route} upstream={re.escape(address)} ",
                                   (cluster.nginx_prefix / "access.log").read_text()),
                 timeout=30, what=f"the WebSocket of route {route} in nginx's access log")


def test_a_publish_on_replica_a_shows_on_replica_b_at_its_next_rerun(chromium, cluster, analyst):
    viewer_context = pinned(chromium, cluster, B)
    viewer = viewer_context.new_page()
    assert visit(viewer, cluster, "/rekrutierung", ready=OUTCOMES).index == B
    viewer.evaluate("window.__sameSession = true")
    assert 4321 not in recruited_values(viewer)
    before = live_number(cluster, "recruitment_pilots")
    pids = [replica.process.pid for replica in cluster.replicas]

    # The analyst on replica A: upload page → file → no problems → note → publish (in A's process).
    _, page = analyst
    assert visit(page, cluster, "/daten-hochladen", ready="h1:has-text('Daten hochladen')").index == A
    choose(page, "Datensatz", "Anwerbe- und Ausbildungsprojekte")
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
        {"name": "pilots.csv", "mimeType": "text/csv", "buffer": pilots_csv(cluster, 4321)})
    expect(page.get_by_text("Keine Probleme gefunden.")).to_be_visible(timeout=90_000)
    page.get_by_label(re.compile("^Notiz")).fill("Skalierungstest: CATT 4321 angeworben")
    settled(page)
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.get_by_text(f"Version {before + 1} ist veröffentlicht")).to_be_visible(timeout=90_000)
    assert_no_exception(page)
    assert live_number(cluster, "recruitment_pilots") == before + 1

    published = time.monotonic()
    rerun(viewer)                                        # the viewer's next rerun, same session on replica B
    wait_for(lambda: 4321 in recruited_values(viewer), timeout=60, what="the new version on replica B")
    record(f"publish on A (upload page) → visible on B after one rerun: {time.monotonic() - published:.1f} s")
    expect(viewer.get_by_text(f"(Version {before + 1})").first).to_be_visible(timeout=30_000)
    assert viewer.evaluate("window.__sameSession") is True, "no reload happened"
    assert [replica.process.pid for replica in cluster.replicas] == pids, "no replica was restarted"
    assert_no_exception(viewer)
    viewer_context.close()


def test_after_a_publish_every_page_on_both_replicas_shows_the_new_version(chromium, cluster, cli_analyst):
    contexts = [pinned(chromium, cluster, index) for index in (A, B)]
    pages = [context.new_page() for context in contexts]
    # Both replicas show the old version first: their caches hold it.
    served = visit_each(pages, cluster, "/daten", ready="[data-testid=stDataFrame]")
    assert [replica.index for replica in served] == [A, B]
    title = "Indikatoren (beobachtete Reihen)"
    old = catalogue_rows(pages[A])[title]
    assert catalogue_rows(pages[B])[title] == old

    output = cli(cluster, "import", str(MUNICIPALITIES_FILE), "--dataset", "indicators", "--note",
                 "Gemeinden je Kreis (Skalierungstest)", "--author", cli_analyst,
                 "--indicator-id", "gemeinden_je_kreis", "--source-id", "destatis-11111-02-01-4-2024")
    number = int(old[0]) + 1
    assert f"Version {number}" in output

    for page in pages:                                  # the same sessions, at their next rerun
        rerun(page)
    for index, page in zip((A, B), pages):
        wait_for(lambda: catalogue_rows(page).get(title, [""])[0] == str(number), timeout=60,
                 what=f"version {number} in the catalogue of replica {index}")
        row = catalogue_rows(page)[title]
        assert german_int(row[3]) == german_int(old[3]) + 23 and row[2] == cli_analyst
        assert_no_exception(page)
    assert sidebar_stand(pages[A]) == sidebar_stand(pages[B])
    for context in contexts:
        context.close()

    contexts = [pinned(chromium, cluster, index) for index in (A, B)]        # and new sessions on both
    pages = [context.new_page() for context in contexts]
    assert [r.index for r in visit_each(pages, cluster, "/daten", ready="[data-testid=stDataFrame]")] == [A, B]
    assert [catalogue_rows(page)[title][0] for page in pages] == [str(number)] * 2
    for context in contexts:
        context.close()


def test_a_shared_link_renders_the_same_widgets_and_figures_on_both_replicas(chromium, cluster):
    contexts = [pinned(chromium, cluster, index) for index in (A, B)]
    pages = [context.new_page() for context in contexts]
    for link in SHARED_LINKS:
        assert [replica.index for replica in visit_each(pages, cluster, link)] == [A, B]
        shown = []
        for page in pages:
            assert parse_qs(urlsplit(page.url).query) == parse_qs(urlsplit(link).query), "every link value is valid"
            shown.append((widget_values(page), figures(page)))
        (widgets_a, figures_a), (widgets_b, figures_b) = shown
        assert widgets_a == widgets_b
        assert figures_a == figures_b and all(figure["data"] for figure in figures_a)
        if link.startswith("/explorer"):
            assert (widgets_a["explorer_indicator"], widgets_a["explorer_chart"]) == ("Household income", "Bar")
            assert widgets_a["explorer_regions"] == "Erfurt, kreisfreie Stadt | Jena, kreisfreie Stadt"
            assert widgets_a["explorer_periods"] == "2005 – 2015" and widgets_a["lang"] == "English"
        else:
            assert widgets_a["demand_laender"] == "Bayern | Sachsen"
            assert len(figures_a) == 3, "the open tab's charts (Beschäftigung), no others"
    for context in contexts:
        context.close()


def test_the_shared_cookie_secret_keeps_an_oidc_login_on_the_other_replica(cluster, analyst):
    context, page = analyst
    set_route(context, cluster, B)                       # as after a failover: replica B serves this browser
    assert visit(page, cluster, "/daten", ready="[data-testid=stDataFrame]").index == B
    sidebar = page.locator("[data-testid=stSidebar]")
    expect(sidebar.get_by_text(LOGGED_IN)).to_be_visible(timeout=60_000)   # A's signed cookie, accepted by B
    expect(page.locator(UPLOAD_NAV)).to_be_visible()

    # Control: replica B with another secret rejects the same cookie (the browser still sends it).
    cluster.stop_replica(B)
    cluster.start_replica(B, cookie_secret="a-different-secret-for-replica-b-0123456789")
    try:
        wait_for(lambda: cluster.served_by(route=cluster.route_to(B)).index == B, timeout=60,
                 what="nginx to route to the restarted replica B")
        assert visit(page, cluster, "/daten", ready="[data-testid=stDataFrame]").index == B
        assert any(cookie["name"] == "_streamlit_user" for cookie in context.cookies())
        expect(sidebar.get_by_text("Anmeldung für Analystinnen und Analysten")).to_be_visible(timeout=60_000)
        expect(sidebar.get_by_text("Angemeldet als")).to_have_count(0)
        expect(page.locator(UPLOAD_NAV)).to_have_count(0)
    finally:
        cluster.stop_replica(B)
        cluster.start_replica(B)
    wait_for(lambda: cluster.served_by(route=cluster.route_to(B)).index == B, timeout=60,
             what="nginx to route to replica B again")
    assert visit(page, cluster, "/daten", ready="[data-testid=stDataFrame]").index == B
    expect(sidebar.get_by_text(LOGGED_IN)).to_be_visible(timeout=60_000)
    set_route(context, cluster, A)


def test_postgres_stopped_mid_session_gives_the_banner_and_the_app_recovers_without_restart(chromium, cluster):
    contexts = [pinned(chromium, cluster, index) for index in (A, B)]
    pages = [context.new_page() for context in contexts]
    assert [r.index for r in visit_each(pages, cluster, "/rekrutierung", ready=OUTCOMES)] == [A, B]
    pids = [replica.process.pid for replica in cluster.replicas]
    charts_before = pages[A].locator(CHART).count()

    stopped = time.monotonic()
    cluster.stop_postgres()
    record(f"PostgreSQL `pg_ctl stop -m fast`: {time.monotonic() - stopped:.1f} s")
    try:
        assert not cluster.postgres_answers()
        started = time.monotonic()
        rerun(pages[A])                                  # a rerun of an open session during the outage
        expect(pages[A].get_by_text(BANNER)).to_be_visible(timeout=60_000)
        settled(pages[A])
        record(f"rerun during the outage → read-only banner on A after {time.monotonic() - started:.1f} s")
        assert pages[A].locator(CHART).count() == charts_before, "the last loaded data are still drawn"
        assert_no_exception(pages[A])

        started = time.monotonic()                       # a new visitor during the outage, on replica B
        assert visit(pages[B], cluster, "/rekrutierung", ready=OUTCOMES).index == B
        expect(pages[B].get_by_text(BANNER)).to_be_visible(timeout=30_000)
        record(f"new session on B during the outage: charts and banner after {time.monotonic() - started:.1f} s")
        pages[B].locator("[data-testid=stSidebarNav] a:has-text('Daten & Quellen')").click()
        expect(pages[B].get_by_role("heading", name="Daten & Quellen")).to_be_visible(timeout=60_000)
        expect(pages[B].locator("[data-testid=stDataFrame]").first).to_be_visible(timeout=60_000)
        expect(pages[B].get_by_text(BANNER)).to_be_visible()
        assert_no_exception(pages[B])
    finally:
        restarted = time.monotonic()
        cluster.start_postgres()
    record(f"PostgreSQL start (pg_ctl start -w): {time.monotonic() - restarted:.1f} s")

    back = time.monotonic()
    rerun(pages[A])
    expect(pages[A].get_by_text(BANNER)).to_have_count(0, timeout=60_000)
    record(f"PostgreSQL back → banner gone on A at the next rerun: {time.monotonic() - back:.1f} s")
    number = publish_pilot_recruited(cluster, 5555)       # a write after the outage reaches both replicas
    rerun(pages[A])                                      # next rerun on A; B's tab is on "Daten & Quellen"
    pages[B].locator("[data-testid=stSidebarNav] a:has-text('Rekrutierung')").click()
    for index, page in zip((A, B), pages):
        wait_for(lambda: 5555 in recruited_values(page), timeout=60,
                 what=f"the version published after the outage on replica {index}")
        expect(page.get_by_text(BANNER)).to_have_count(0)
        expect(page.get_by_text(f"(Version {number})").first).to_be_visible(timeout=30_000)
        assert_no_exception(page)
    record(f"publish after recovery visible on A and B: {time.monotonic() - back:.1f} s after the restart")
    assert [replica.process.pid for replica in cluster.replicas] == pids, "no replica was restarted"
    for context in contexts:
        context.close()


def websocket_log_lines(cluster: Cluster, route: str, index: int) -> list[str]:
    """nginx's access-log lines of closed WebSockets with this route cookie that ended on replica `index`."""
    address = re.escape(cluster.replicas[index].address)
    pattern = rf"^.* 101 GET /_stcore/stream route={re.escape(route)} upstream=(?:[^ ]+, )?{address} .*$"
    return re.findall(pattern, (cluster.nginx_prefix / "access.log").read_text(), flags=re.MULTILINE)


def test_a_killed_replica_fails_over_to_the_other_and_rejoins_after_a_restart(chromium, cluster):
    route_a = cluster.route_to(A)
    context = pinned(chromium, cluster, A)
    page = context.new_page()
    sockets = []
    page.on("websocket", lambda socket: sockets.append(socket))
    assert visit(page, cluster, "/rekrutierung").index == A
    assert len(sockets) == 1
    page.evaluate("window.__sameTab = true")
    on_b = len(websocket_log_lines(cluster, route_a, B))

    killed = time.monotonic()
    # The open tab, no reload: its WebSocket to A breaks and the page opens a new one through nginx.
    with page.expect_websocket(timeout=90_000):
        cluster.kill_replica(A)
        assert cluster.served_by(route=route_a).index == B, "nginx passes A's requests to B"
    expect(page.locator("[data-testid=stConnectionStatus]")).to_have_count(0, timeout=90_000)
    rerun(page)
    settled(page)
    assert sockets[0].is_closed() and not sockets[-1].is_closed()
    expect(page.locator(OUTCOMES).first).to_be_visible(timeout=60_000)
    assert_no_exception(page)
    record(f"replica A SIGKILLed → the open tab reconnected (to B) and reruns, no reload: "
           f"{time.monotonic() - killed:.1f} s")
    assert page.evaluate("window.__sameTab") is True

    reloaded = time.monotonic()
    response = page.reload(timeout=90_000)
    assert cluster.replica_at(response.headers["x-upstream"]).index == B
    # The reload closed the reconnected WebSocket, and nginx logged where it went: B.
    wait_for(lambda: len(websocket_log_lines(cluster, route_a, B)) > on_b, timeout=30,
             what="the reconnected WebSocket on replica B in nginx's access log")
    expect(page.locator(OUTCOMES).first).to_be_visible(timeout=90_000)
    settled(page)
    assert_no_exception(page)
    record(f"reload while A is down: page with charts from B in {time.monotonic() - reloaded:.1f} s")

    seconds = cluster.start_replica(A)
    rejoined = time.monotonic()
    wait_for(lambda: cluster.served_by(route=route_a).index == A, timeout=60, what="nginx to route to A again")
    record(f"replica A restarted: healthy after {seconds:.1f} s; nginx sends its route cookie to A again "
           f"{time.monotonic() - rejoined:.1f} s later (fail_timeout=10s)")
    response = page.reload(timeout=90_000)
    assert cluster.replica_at(response.headers["x-upstream"]).index == A, "the route cookie leads back to A"
    expect(page.locator(OUTCOMES).first).to_be_visible(timeout=90_000)
    settled(page)
    assert_no_exception(page)
    context.close()
