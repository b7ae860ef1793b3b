"""Browser tests: a real server thread and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from fbss_eval import create_app
from fbss_eval.database import write_transaction
from fbss_eval.extensions import db
from tests.conftest import BROWSER_MISSING
from tests.conftest import CHROMIUM
from tests.conftest import PASSWORD
from tests.conftest import browser_available
from tests.conftest import migrate_to_head

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


@dataclass
class LiveServer:
    """A running app and its base URL."""

    app: Flask
    url: str


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    path = tmp_path_factory.mktemp("browser") / "browser.sqlite"
    url = f"sqlite:///{path}"
    migrate_to_head(url)
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        from fbss_eval.services.users import create_user

        create_user("carl", "Dr Carl Clinician", "clinician", PASSWORD)
        create_user("ada", "Ada Admin", "admin", PASSWORD)
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


@contextmanager
def server_data(live_server: LiveServer) -> Iterator[None]:
    """An app context in which a test writes the data the live server then serves. Its
    transactions take SQLite's write lock at BEGIN, as a write request's do: the previous test's
    last autosave may still be committing on the server thread, and a read transaction that then
    writes fails at once with "database is locked" (SQLITE_BUSY_SNAPSHOT) instead of waiting."""
    with live_server.app.app_context():
        write_transaction()
        try:
            yield
        finally:
            db.session.remove()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not browser_available():  # a clear failure, before Playwright's own error
        pytest.fail(BROWSER_MISSING, pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def log_in(page, username: str = "carl") -> None:  # type: ignore[no-untyped-def]
    """Log in through the real login page."""
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


def register_patient(page, mrn: str, family: str, given: str, birth_date: str, sex: str) -> None:  # type: ignore[no-untyped-def]
    """Register a patient through the real form (the page is left on the patient's page)."""
    page.goto("/patients/new")
    page.get_by_label("MRN").fill(mrn)
    page.get_by_label("Family name").fill(family)
    page.get_by_label("Given name").fill(given)
    page.get_by_label("Date of birth").fill(birth_date)
    page.get_by_label("Sex").select_option(sex)
    page.get_by_role("button", name="Register patient").click()


LFORMS_DIR = Path(__file__).resolve().parent / "lforms"  # package.json + package-lock.json (npm ci)


def install_lforms() -> Path:
    """The lforms package's built files, installed with ``npm ci`` from the committed lock file
    when node_modules is missing (a fresh clone); a clear failure when npm is not there."""
    import fcntl
    import shutil
    import subprocess  # nosec B404 - npm, with fixed arguments

    built = LFORMS_DIR / "node_modules" / "lforms" / "dist" / "lforms"
    with open(LFORMS_DIR.parent / ".lforms-install.lock", "w") as lock:  # one installer among the workers
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (built / "webcomponent" / "main.js").is_file():
            npm = shutil.which("npm")
            if npm is None:
                pytest.fail("npm is needed to install LHC-Forms for the browser tests (apt-get install npm)",
                            pytrace=False)
            subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=LFORMS_DIR, check=True,  # nosec B603
                           timeout=900)
    return built


@pytest.fixture(scope="session")
def lforms_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a local page that loads LHC-Forms (tests/browser/lforms/client.html), served by
    a small http.server from these files only."""
    import functools
    import shutil
    from http.server import SimpleHTTPRequestHandler
    from http.server import ThreadingHTTPServer

    built = install_lforms()
    root = tmp_path_factory.mktemp("lforms-client")
    shutil.copy(LFORMS_DIR / "client.html", root / "client.html")
    (root / "lforms").symlink_to(built, target_is_directory=True)

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/client.html"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
