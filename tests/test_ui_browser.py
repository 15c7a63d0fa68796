"""The real Prefect UI in headless Chromium: start a backfill through the deployment's "Custom run" form.

A user opens the URL that `newswire serve` prints, goes to Deployments -> backfill -> Run -> Custom run,
picks the dates, the source and the mode, submits, and watches the flow run page until it says
Completed. This test does exactly that with Playwright driving Debian's Chromium (/usr/bin/chromium;
Playwright's own browser downloads are never used), then checks through the API and DuckDB that
the run got the typed parameters and filled the partitions.

The selectors target what Prefect's (React, "v2") UI exposes to users and assistive technology:
link and button names, field labels, ARIA roles. They were found by exploring the UI of Prefect 3.9
with screenshots and DOM dumps; if a Prefect upgrade changes a widget, the failure screenshot
(failure.png in the test's tmp_path) shows the page as the test saw it.
"""

from __future__ import annotations

import re
import time
import warnings
from pathlib import Path

import duckdb
import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium (apt-get install chromium; .ci/run does it "
                f"in CI) to run the Prefect UI browser test", allow_module_level=True)
try:
    from playwright.sync_api import Page, sync_playwright
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError as exc:  # pragma: no cover - the dev group installs it
    pytest.skip(f"playwright cannot be imported ({exc}): `uv sync` installs it with the dev group",
                allow_module_level=True)

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
START, END = "2026-08-01", "2026-08-05"
DAYS = ["2026-08-01", "2026-08-02", "2026-08-03", "2026-08-04", "2026-08-05"]
RUN_TIMEOUT_S = 240
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
# The state badge in the flow run page's header; these are the names Prefect gives terminal states.
TERMINAL_BADGE = re.compile(r"^\s*(Completed|Failed|Crashed|Cancelled|TimedOut)\s*$")


def use_api_for_ui(page: Page, ui: str, api: str) -> None:
    """Make the UI talk to the API it is served with.

    The UI asks GET /ui-settings for the API URL. `prefect server start --port N` (what
    flows.cli.serve.start_server runs) does not pass N on to PREFECT_UI_API_URL, so a server on any port
    but 4200 tells the browser to use http://127.0.0.1:4200/api, and every page shows "Can't connect
    to Server API". The tests' server runs on a free port, so until start_server sets the UI's API
    URL, answer /ui-settings with the right URL here (and say so). Once it does, this is a no-op.
    """
    settings = httpx.get(f"{ui}/ui-settings", timeout=30).json()
    if settings.get("api_url") == api:
        return
    warnings.warn(f"the Prefect server tells its UI to use {settings.get('api_url')!r}, not {api!r}; "
                  f"the test corrects /ui-settings in the browser (see use_api_for_ui)", stacklevel=2)
    page.route("**/ui-settings", lambda route: route.fulfill(json={**settings, "api_url": api}))


def pick_date(page: Page, label: str, day: str) -> None:
    # A date parameter is a button labelled with the parameter's name ("Pick a date"); it opens a
    # popover (role dialog) holding a calendar and a text input labelled "Date (yyyy-MM-dd)".
    page.get_by_label(label, exact=True).click()
    popover = page.get_by_role("dialog")
    typed = popover.get_by_label("Date (yyyy-MM-dd)")
    typed.fill(day)
    typed.press("Enter")
    page.keyboard.press("Escape")  # the popover stays open after Enter; Escape closes it
    popover.wait_for(state="hidden")
    # The button now shows the chosen day spelt out, e.g. "August 1st, 2026".
    spelt = time.strftime("%B ", time.strptime(day, "%Y-%m-%d")) + str(int(day[-2:]))
    assert spelt in page.get_by_label(label, exact=True).inner_text(), f"{label}: date not taken"


def parameter_field(page: Page, label: str, inner_role: str):
    # Each parameter is a block with its label ("source_ids (Optional)") and its widget; the innermost
    # element holding both the label and the widget's role is that block.
    return page.locator("div", has=page.get_by_text(label, exact=True)).filter(has=page.get_by_role(inner_role)).last


def wait_for_state_badge(page: Page, api: str, run: dict, shots: Path) -> str:
    """Watch the flow run page until its header badge shows a terminal state; returns the state name."""
    run_id = run["id"]
    # The header: a breadcrumb "Runs > <run name>", and right under it the state badge. Anchoring on
    # the run's name matters: while the run page loads, the router keeps the previous page (with
    # other runs' state badges) on screen.
    breadcrumb = page.get_by_role("navigation", name="breadcrumb").filter(has_text=run["name"])
    badge = breadcrumb.locator("xpath=following-sibling::div[1]").locator('[data-slot="badge"]')
    badge = badge.filter(has_text=TERMINAL_BADGE)
    started, reloads = time.monotonic(), 0
    deadline = started + RUN_TIMEOUT_S
    api_terminal_seen = None
    while True:
        try:
            # The page refetches the run every 5 s only while it is Running: opened on a Scheduled or
            # Pending run it keeps showing that until reloaded. So reload every 10 s, as a user would.
            badge.first.wait_for(state="visible", timeout=10_000)
            state_name = badge.first.inner_text().strip()
            print(f"the run page showed {state_name} {time.monotonic() - started:.0f} s after it opened "
                  f"({reloads} reloads)")
            return state_name
        except PlaywrightTimeout:
            pass
        state = httpx.get(f"{api}/flow_runs/{run_id}", timeout=30).json()["state_type"]
        if state in TERMINAL:
            if api_terminal_seen is not None and time.monotonic() - api_terminal_seen > 60:
                page.screenshot(path=shots / "failure.png", full_page=True)
                raise AssertionError(f"the run is {state} but its UI page shows no final state after 60 s; "
                                     f"see {shots / 'failure.png'}")
            api_terminal_seen = api_terminal_seen or time.monotonic()
        if time.monotonic() > deadline:
            page.screenshot(path=shots / "failure.png", full_page=True)
            raise AssertionError(f"run {run_id} not finished after {RUN_TIMEOUT_S} s (API state {state}); "
                                 f"see {shots / 'failure.png'}")
        reloads += 1
        page.reload()


def deployment_served_for(api: str, db: Path, serve_log: Path, timeout: float = 120) -> dict:
    """backfill/backfill once `newswire serve` has registered it for this test's warehouse.

    The session's server is shared: an earlier test (prefect deploy of deployments/prefect.yaml) may
    have left a backfill/backfill pointing at a work pool and another warehouse, and the `served`
    fixture returns as soon as the name exists. Wait until the deployment carries this test's db.
    """
    deadline = time.monotonic() + timeout
    while True:
        deployment = httpx.get(f"{api}/deployments/name/backfill/backfill", timeout=30).json()
        if deployment.get("parameters", {}).get("db") == str(db):
            return deployment
        if time.monotonic() > deadline:
            raise AssertionError(f"backfill/backfill never got db={db}: {deployment.get('parameters')}\n"
                                 + serve_log.read_text()[-3000:])
        time.sleep(1)


def test_backfill_custom_run_from_the_prefect_ui(served, tmp_path):
    api, _, db, serve_log = served
    deployment = deployment_served_for(api, db, serve_log)
    ui = api.removesuffix("/api")
    started = time.monotonic()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            page.set_default_navigation_timeout(90_000)
            use_api_for_ui(page, ui, api)
            try:
                run_id, state = drive_the_ui(page, ui, deployment, api, tmp_path)
            except Exception:
                page.screenshot(path=tmp_path / "failure.png", full_page=True)
                raise
        finally:
            browser.close()
    assert state == "Completed", (f"the UI shows the run {state}; see {tmp_path / 'completed-run.png'}\n"
                                  + serve_log.read_text()[-5000:])
    print(f"UI run {run_id} completed {time.monotonic() - started:.0f} s after opening the UI; "
          f"screenshots in {tmp_path}")

    # The run holds exactly what was typed into the form (and the deployment's defaults for the rest).
    run = httpx.get(f"{api}/flow_runs/{run_id}", timeout=30).json()
    assert run["state_type"] == "COMPLETED", serve_log.read_text()[-5000:]
    assert run["deployment_id"] == deployment["id"]
    print(f"run {run['name']}: created {run['created']}, started {run['start_time']}, ended {run['end_time']} "
          f"({run['total_run_time']:.0f} s running)")
    params = run["parameters"]
    assert {k: params.get(k) for k in ("start", "end", "source_ids", "mode")} == {
        "start": START, "end": END, "source_ids": ["sample"], "mode": "fetch"}, params
    assert params["db"] == str(db)

    # Five complete (day x sample) partitions, written by that flow run.
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT CAST(day AS VARCHAR), source_id, status, flow_run_id FROM ingest_partitions "
                           "WHERE day BETWEEN ? AND ? ORDER BY day", [START, END]).fetchall()
    finally:
        con.close()
    assert [r[0] for r in rows] == DAYS, rows
    assert {(r[1], r[2], r[3]) for r in rows} == {("sample", "complete", run_id)}, rows


def drive_the_ui(page: Page, ui: str, deployment: dict, api: str, shots: Path) -> tuple[str, str]:
    """Start the backfill from the Custom run form; returns the run's id and the final state the UI shows."""
    # 1. The URL `newswire serve` prints; the server redirects "/" to the default (v2) UI's dashboard.
    page.goto(ui + "/")
    # 2. Sidebar link "Deployments", then the deployment's name in the list. The flow is called "backfill"
    # too and its link sits in the same row, so pick the link that leads to this deployment.
    page.get_by_role("link", name="Deployments", exact=True).first.click()
    page.locator(f"a[href*='/deployments/deployment/{deployment['id']}']").filter(has_text="backfill").first.click()
    page.wait_for_url(re.compile(rf"/deployments/deployment/{deployment['id']}"))
    # 3. The "Run" button (a menu) at the top right, then its "Custom run" item: the parameters form.
    page.get_by_role("button", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Custom run").click()
    page.wait_for_url(re.compile(r"/run(\?|$)"))
    page.get_by_role("heading", name="Parameters").wait_for()

    # 4. start and end: the date pickers, by typing into their yyyy-MM-dd inputs.
    pick_date(page, "start", START)
    pick_date(page, "end", END)

    # 5. source_ids is `list[...] | None`: a tab bar "list | None" (None selected); choose "list", press
    #    "Add item", and type the source id into the new item's text box.
    sources = parameter_field(page, "source_ids (Optional)", "tablist")
    sources.get_by_role("tab", name="list", exact=True).click()
    sources.get_by_role("button", name="Add item").click()
    sources.get_by_role("textbox").fill("sample")

    # 6. mode is an enum: a button labelled "Select mode" opens a list box with one option per value.
    page.get_by_role("button", name="Select mode").click()
    page.get_by_role("option", name="fetch", exact=True).wait_for()
    assert page.get_by_role("option").all_inner_texts() == ["fetch", "reextract"]  # the Literal's values
    page.get_by_role("option", name="fetch", exact=True).click()
    assert page.get_by_role("button", name="Select mode").inner_text().strip() == "fetch"
    page.screenshot(path=shots / "custom-run-form.png", full_page=True)

    # 7. "Submit" posts create_flow_run; keep the new run's id from the response.
    with page.expect_response(lambda r: r.url.endswith(f"/deployments/{deployment['id']}/create_flow_run")
                              and r.request.method == "POST") as created:
        page.get_by_role("button", name="Submit").click()
    assert created.value.status == 201, created.value.text()
    run = created.value.json()
    run_id = run["id"]

    # 8. A toast "<run name> scheduled to start now" offers "View run": the flow run page.
    try:
        page.get_by_role("button", name="View run").click(timeout=15_000)
    except PlaywrightTimeout:  # the toast went away before we got to it: open the run as its link would
        page.goto(f"{ui}/v2/runs/flow-run/{run_id}")
    page.wait_for_url(re.compile(rf"/runs/flow-run/{run_id}"))

    # 9. The state badge next to the run's name: Scheduled -> Pending -> Running -> Completed.
    state = wait_for_state_badge(page, api, run, shots)
    page.screenshot(path=shots / "completed-run.png", full_page=True)
    return run_id, state
