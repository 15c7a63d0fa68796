"""The real Prefect UI in headless Chromium, as the README's "Try a backfill in the UI" walks it.

`newswire serve --demo` serves the sample site and both deployments. A user opens the URL it prints,
reads the deployments' descriptions, goes to backfill -> Run -> Custom run, reads what each field
means, picks a source among those offered, types an invalid range (refused by the form, no run
created), then a valid one, and watches the run end Completed. Then the site fails for one day
(a proxy in front of the sample site answers 500 for that day's pages): the run ends Failed, its
artifacts say why, and Retry (run menu -> Retry -> Retry) redoes it to Completed once the site is
back. Playwright drives Debian's Chromium (/usr/bin/chromium; Playwright's own browser downloads
are never used); the API and DuckDB confirm what the pages showed. Screenshots of every step go to
test-artifacts/ui-backfill/ (gitignored); docs/backfill-form.png is the form's, committed.

The selectors target what Prefect's (React, "v2") UI exposes to users and assistive technology:
link and button names, field labels, ARIA roles. They were found by exploring the UI of Prefect 3.9
with screenshots and DOM dumps; if a Prefect upgrade changes a widget, the failure screenshot
(failure.png in the test's tmp_path) shows the page as the test saw it.
"""

from __future__ import annotations

import re
import time
import warnings
import os
import signal
import subprocess
import sys
import threading
from http.client import HTTPConnection
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "ui-backfill"
FIRST, DAYS = "2026-08-01", 5  # the first run; the second covers 2026-08-06..08 and 2026-08-07 fails
FAILING_DAY = "2026-08-07"  # has two articles in the sample site, none the day before or after
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
    # The keyboard, not the locator: the popover may re-render (or close) as soon as the date is typed.
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")  # the popover stays open after Enter; Escape closes it
    popover.wait_for(state="hidden")
    # The button now shows the chosen day spelt out, e.g. "August 1st, 2026".
    spelt = time.strftime("%B ", time.strptime(day, "%Y-%m-%d")) + str(int(day[-2:]))
    assert spelt in page.get_by_label(label, exact=True).inner_text(), f"{label}: date not taken"


def parameter_field(page: Page, label: str, inner_role: str):
    # Each parameter is a block with its label ("source_ids (Optional)") and its widget; the innermost
    # element holding both the label and the widget's role is that block.
    return page.locator("div", has=page.get_by_text(label, exact=True)).filter(has=page.get_by_role(inner_role)).last


class FlakyProxy:
    """In front of the demo's sample site: forwards every request, except that while `failing` is set,
    paths starting with it (one day's archive and articles) get a 500."""

    def __init__(self, upstream: str) -> None:
        host, port = upstream.split(":")
        self.failing: str | None = None
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802
                if proxy.failing and self.path.startswith(proxy.failing):
                    self.send_error(500, "Internal Server Error (the test's proxy)")
                    return
                conn = HTTPConnection(host, int(port), timeout=30)
                conn.request("GET", self.path, headers={k: v for k, v in self.headers.items()})
                response = conn.getresponse()
                body = response.read()
                self.send_response(response.status)
                for key, value in response.getheaders():
                    if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                conn.close()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.address = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def demo_served(prefect_server, tmp_path):
    """`newswire serve --demo` (the README's second command) against the session's Prefect server, with
    the warehouse in tmp_path/data; the demo's sources file is then pointed at a FlakyProxy."""
    from tests.conftest import ROOT, wait_for_deployment

    api, home = prefect_server
    db = tmp_path / "data" / "newswire.duckdb"
    db.parent.mkdir()
    log_path = tmp_path / "serve.log"
    env = {**os.environ, "PREFECT_API_URL": api, "PREFECT_HOME": str(home), "PREFECT_RUNNER_POLL_FREQUENCY": "2",
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
    env.pop("NEWSWIRE_SOURCES", None)
    log = open(log_path, "wb")
    proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "serve", "--demo", "--db", str(db)], cwd=ROOT,
                            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    proxy = None
    try:
        deployment = wait_for_deployment(api, "backfill/backfill", proc, log_path, db=str(db))
        sources = db.parent / "demo-sources.toml"
        text = sources.read_text("utf-8")
        upstream = re.search(r'"sample-site\.invalid" = "([^"]+)"', text).group(1)
        proxy = FlakyProxy(upstream)
        sources.write_text(text.replace(upstream, proxy.address), "utf-8")  # read by each run when it starts
        yield api, deployment, db, proxy, log_path
    finally:
        if proxy is not None:
            proxy.close()
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def api_state(api: str, run_id: str) -> dict:
    return httpx.get(f"{api}/flow_runs/{run_id}", timeout=30).json()


def wait_for_api_state(api: str, run_id: str, log: Path, after: str | None = None) -> dict:
    """The run once it is terminal (and, with after, no longer in the state it had: a retried run)."""
    deadline = time.monotonic() + RUN_TIMEOUT_S
    left_after = after is None
    while time.monotonic() < deadline:
        run = api_state(api, run_id)
        left_after = left_after or run["state_type"] != after
        if left_after and run["state_type"] in TERMINAL:
            return run
        time.sleep(1)
    raise AssertionError(f"run {run_id} not finished after {RUN_TIMEOUT_S} s: {run['state_type']}\n"
                         + log.read_text()[-3000:])


def badge_text(page: Page, run: dict) -> str:
    """The state badge the run page shows (reloaded until it shows a terminal one)."""
    breadcrumb = page.get_by_role("navigation", name="breadcrumb").filter(has_text=run["name"])
    badge = breadcrumb.locator("xpath=following-sibling::div[1]").locator('[data-slot="badge"]')
    badge = badge.filter(has_text=TERMINAL_BADGE)
    for _ in range(12):
        try:
            badge.first.wait_for(state="visible", timeout=10_000)
            return badge.first.inner_text().strip()
        except PlaywrightTimeout:
            page.reload()
    raise AssertionError(f"the page of run {run['name']} shows no final state")


def deployment_runs(api: str, deployment: dict) -> set[str]:
    """The ids of the deployment's flow runs, as the server has them."""
    runs = httpx.post(f"{api}/flow_runs/filter", json={"deployments": {"id": {"any_": [deployment["id"]]}}},
                      timeout=30).json()
    return {run["id"] for run in runs}


def open_custom_run(page: Page, ui: str, deployment: dict) -> None:
    page.goto(ui + "/")
    page.get_by_role("link", name="Deployments", exact=True).first.click()
    page.locator(f"a[href*='/deployments/deployment/{deployment['id']}']").filter(has_text="backfill").first.click()
    page.wait_for_url(re.compile(rf"/deployments/deployment/{deployment['id']}"))
    page.get_by_role("button", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Custom run").click()
    page.wait_for_url(re.compile(r"/run(\?|$)"))
    page.get_by_role("heading", name="Parameters").wait_for()


def fill_form(page: Page, first_day: str, days: int) -> None:
    pick_date(page, "First day", first_day)
    days_box = parameter_field(page, "Days (Optional)", "spinbutton").get_by_role("spinbutton")
    days_box.fill(str(days))
    page.get_by_text("Select", exact=True).click()  # the Sources multi-select
    page.get_by_role("option", name="sample", exact=True).click()
    page.keyboard.press("Escape")


def submit(page: Page, deployment: dict) -> dict:
    # On SQLite, Prefect's server answers 503 ("retry") when a write meets another's WAL snapshot
    # (SQLITE_BUSY_SNAPSHOT, which its busy timeout does not cover); Prefect's Python client retries
    # that by itself, the UI leaves the form as it was and a user clicks Submit again: so does this test.
    for attempt in range(1, 4):
        with page.expect_response(lambda r: r.url.endswith(f"/deployments/{deployment['id']}/create_flow_run")
                                  and r.request.method == "POST") as created:
            page.get_by_role("button", name="Submit").click()
        if created.value.status != 503 or attempt == 3:
            break
        page.wait_for_timeout(2_000)
    assert created.value.status == 201, created.value.text()
    run = created.value.json()
    try:
        page.get_by_role("button", name="View run").click(timeout=15_000)
    except PlaywrightTimeout:  # the toast went away before we got to it: open the run as its link would
        page.goto(page.url.split("/v2/")[0] + f"/v2/runs/flow-run/{run['id']}")
    page.wait_for_url(re.compile(rf"/runs/flow-run/{run['id']}"))
    return run


def partitions(db: Path, first: str, last: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT CAST(day AS VARCHAR), status, flow_run_id, failure_reasons FROM ingest_partitions "
                           "WHERE source_id = 'sample' AND day BETWEEN ? AND ? ORDER BY day", [first, last]).fetchall()
    finally:
        con.close()


def test_backfill_from_the_prefect_ui_refused_completed_failed_and_retried(demo_served):
    api, deployment, db, proxy, log = demo_served
    ui = api.removesuffix("/api")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        page.set_default_navigation_timeout(90_000)
        use_api_for_ui(page, ui, api)
        try:
            walk_through(page, ui, api, deployment, db, proxy, log)
        except Exception:
            page.screenshot(path=SHOTS / "failure.png", full_page=True)
            raise
        finally:
            browser.close()


def walk_through(page: Page, ui: str, api: str, deployment: dict, db: Path, proxy: FlakyProxy, log: Path) -> None:
    # 1. The nightly's page says when it runs, time zone included (its Description tab).
    nightly = httpx.get(f"{api}/deployments/name/ingest/nightly", timeout=30).json()
    page.goto(ui + "/")
    page.get_by_role("link", name="Deployments", exact=True).first.click()
    page.locator(f"a[href*='/deployments/deployment/{nightly['id']}']").filter(has_text="nightly").first.click()
    page.get_by_role("tab", name="Description").click()
    page.get_by_text("02:00, time zone Asia/Karachi").first.wait_for()
    page.screenshot(path=SHOTS / "01-nightly-description.png", full_page=True)

    # 2. The Custom run form: every field titled and explained; Sources offers the served file's ids.
    open_custom_run(page, ui, deployment)
    schema = deployment["parameter_openapi_schema"]["properties"]
    assert set(schema) == {"first_day", "days", "source_ids", "mode", "only_missing", "max_pages_total"}
    for field in schema.values():
        page.get_by_text(field["title"], exact=False).first.wait_for()
        page.get_by_text(field["description"][:60], exact=False).first.wait_for()
    page.get_by_text("Select", exact=True).click()
    page.get_by_role("option", name="sample", exact=True).wait_for()
    assert page.get_by_role("option").all_inner_texts() == ["sample"]
    page.keyboard.press("Escape")

    # 3. An invalid range (0 days) is refused by the form: a message in the form, no run created. (The
    # session's server is shared: other test files may have run this deployment, so count from here.)
    runs_before = deployment_runs(api, deployment)
    fill_form(page, FIRST, 0)
    posted: list = []
    page.on("request", lambda r: posted.append(r.url) if r.url.endswith("/create_flow_run") else None)
    page.get_by_role("button", name="Submit").click()
    # The form renders the schema's minimum as the input's own bound, so the browser refuses to submit and
    # shows its message next to the field ("Value must be greater than or equal to 1.").
    days_box = parameter_field(page, "Days (Optional)", "spinbutton").get_by_role("spinbutton")
    assert days_box.evaluate("e => e.validity.rangeUnderflow"), "the form accepted 0 days"
    assert "greater than or equal to 1" in days_box.evaluate("e => e.validationMessage")
    page.wait_for_timeout(500)  # the browser's message bubble, for the screenshot
    page.screenshot(path=SHOTS / "02-invalid-range-refused.png", full_page=True)
    assert not posted, posted
    assert deployment_runs(api, deployment) == runs_before

    # 4. A valid range: the run ends Completed, its partitions complete.
    parameter_field(page, "Days (Optional)", "spinbutton").get_by_role("spinbutton").fill(str(DAYS))
    page.screenshot(path=SHOTS / "03-custom-run-form.png", full_page=True)
    run = submit(page, deployment)
    done = wait_for_api_state(api, run["id"], log)
    assert badge_text(page, run) == "Completed", log.read_text()[-5000:]
    page.screenshot(path=SHOTS / "04-completed.png", full_page=True)
    assert done["parameters"]["first_day"] == FIRST and done["parameters"]["days"] == DAYS
    assert done["parameters"]["source_ids"] == ["sample"]
    rows = partitions(db, "2026-08-01", "2026-08-05")
    assert [(r[0], r[1], r[2]) for r in rows] == [(f"2026-08-0{d}", "complete", run["id"]) for d in range(1, 6)]

    # 5. The site fails for one day: the run ends Failed, its message counts the failed partition and the
    #    partitions artifact gives the reason.
    proxy.failing = "/" + FAILING_DAY.replace("-", "/") + "/"
    open_custom_run(page, ui, deployment)
    fill_form(page, "2026-08-06", 3)
    run = submit(page, deployment)
    failed = wait_for_api_state(api, run["id"], log)
    assert failed["state_type"] == "FAILED", log.read_text()[-5000:]
    # The failing day's partition fails; its neighbours may too: a page dated only roughly (a sitemap's
    # lastmod, say) is a candidate of the day before and after as well.
    rows = partitions(db, "2026-08-06", "2026-08-08")
    assert rows[1][1] == "failed" and "HTTP 500" in rows[1][3], rows
    n_failed = sum(r[1] == "failed" for r in rows)
    assert failed["state"]["message"].startswith(f"{n_failed} of 3 partitions failed: transient: HTTP 500"), \
        failed["state"]["message"]
    assert badge_text(page, run) == "Failed"
    page.screenshot(path=SHOTS / "05-failed.png", full_page=True)
    run_page = page.url
    page.get_by_role("tab", name="Artifacts").click()
    page.get_by_text("backfill-progress").first.wait_for()
    page.screenshot(path=SHOTS / "06-failed-artifacts.png", full_page=True)
    # The summary: failures grouped by reason, each with a hint; the partitions table: the reason per day.
    page.get_by_text("backfill-summary", exact=True).first.click()
    page.get_by_text("transient: HTTP 500").first.wait_for()
    page.get_by_text("retry the run later").first.wait_for()
    page.screenshot(path=SHOTS / "07-failed-summary.png", full_page=True)
    page.goto(run_page)
    page.get_by_role("tab", name="Artifacts").click()
    page.get_by_text("backfill-partitions", exact=True).first.click()
    page.get_by_text(re.compile(r"transient: HTTP 500")).first.wait_for()
    page.screenshot(path=SHOTS / "08-failed-partitions.png", full_page=True)
    page.goto(run_page)

    # 6. The site is back: Retry from the run's menu (menu, Retry, confirm) redoes it to Completed.
    proxy.failing = None
    page.get_by_role("button", name="Open menu").click()
    page.get_by_role("menuitem", name="Retry").click()
    page.get_by_role("button", name="Retry", exact=True).click()
    retried = wait_for_api_state(api, run["id"], log, after="FAILED")
    assert retried["state_type"] == "COMPLETED", log.read_text()[-5000:]
    page.reload()
    assert badge_text(page, run) == "Completed"
    page.screenshot(path=SHOTS / "09-retried-completed.png", full_page=True)
    rows = partitions(db, "2026-08-06", "2026-08-08")
    assert [r[1] for r in rows] == ["complete"] * 3 and {r[2] for r in rows} == {run["id"]}, rows
