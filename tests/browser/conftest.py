"""Browser fixtures: the shipped sites built once, served on 127.0.0.1 with the production security headers, and
one Debian Chromium driven by Playwright for the whole package.

Playwright's own browser download does not work here, so the browser is the system `chromium` (installed by
`make browser`); without it the suite is skipped on a developer's machine and fails in CI, where it must run.
The fixtures live for this package only: while Playwright's sync API is open it keeps an event loop running
in the main thread, which would break every asyncio test that runs after these.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import shutil
import threading
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from site_builder.build.site import build_site
from site_builder.content.records.monitoring import write_results
from tests.helpers.browser import LOW_VISION_OFF, LOW_VISION_ON, PAGE_TYPES, PageType, Tab
from tests.helpers.samples import results, results_file
from tests.helpers.sites import REPO, make_site

AS_OF = dt.date(2022, 12, 1)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def production_csp() -> str:
    """The Content-Security-Policy that netlify.toml sends, so inline styles or scripts fail here as they would there."""
    config = tomllib.loads((REPO / "netlify.toml").read_text(encoding="utf-8"))
    for rule in config.get("headers", []):
        policy = rule.get("values", {}).get("Content-Security-Policy")
        if policy:
            return str(policy)
    raise AssertionError("netlify.toml sends no Content-Security-Policy")


class _Handler(http.server.SimpleHTTPRequestHandler):
    csp = ""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", self.csp)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="package")
def served_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Балахта site; the Шахты example with a link check's results (marks and the «Проверка ссылок» page);
    a synthetic site (example.org schools) with two monitorings, for the analytical note."""
    root = tmp_path_factory.mktemp("served")
    sources = tmp_path_factory.mktemp("sources")
    build_site(REPO / "content", root / "balakhta", AS_OF)
    build_site(REPO / "examples" / "shakhty", root / "shakhty", AS_OF, link_results=results_file(sources))
    synthetic = make_site(sources)
    write_results(synthetic, results(dt.date(2026, 2, 1), {"a": "++-+-", "b": "++-+-", "d": "+-???"}))
    write_results(synthetic, results(dt.date(2026, 3, 1), {"a": "+++++", "b": "++-+-", "d": "-????"}))
    build_site(synthetic, root / "synthetic", dt.date(2026, 3, 2))
    return root


@pytest.fixture(scope="package")
def base_url(served_root: Path) -> Iterator[str]:
    handler = type("Handler", (_Handler,), {"csp": production_csp()})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(served_root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        message = "нет Chromium: установите его командой `make browser`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _only_local(route: Any) -> None:
    """Tests never reach the internet: anything not on 127.0.0.1 (a picture, an evidence link) is refused."""
    if urlsplit(route.request.url).hostname == "127.0.0.1":
        route.continue_()
    else:
        route.abort()


@pytest.fixture(scope="package")
def shared_context(browser: Any) -> Iterator[Any]:
    """Opening a browser context costs half a second; tests that change no per-context setting share this one."""
    context = _new_context(browser)
    yield context
    context.close()


def _new_context(browser: Any, *, scale: float = 1, javascript: bool = True) -> Any:
    context = browser.new_context(device_scale_factor=scale, java_script_enabled=javascript, locale="ru-RU")
    context.set_default_timeout(10_000)
    context.route("**/*", _only_local)
    return context


class PageOpener:
    """Opens page types in the shared context or, when a test needs it, in a context of its own."""

    def __init__(self, browser: Any, shared_context: Any, base_url: str, served_root: Path) -> None:
        self.browser, self.shared_context, self.base_url, self.served_root = (
            browser,
            shared_context,
            base_url,
            served_root,
        )
        self.pages: list[Any] = []
        self.contexts: list[Any] = []

    def __call__(
        self,
        page_type: PageType,
        *,
        width: int = 1280,
        height: int = 900,
        scale: float = 1,
        javascript: bool = True,
        media: str = "screen",
        fresh: bool = False,
        low_vision: bool = False,
    ) -> Tab:
        """A context of its own (empty storage) comes with `fresh=True`, `scale`, `javascript=False` and
        `low_vision=True`, which also switches the page to the low-vision version the way a reader does."""
        if not (self.served_root / page_type.site / page_type.path).is_file():
            raise AssertionError(f"в собранном сайте нет страницы {page_type.address}")
        context = self.shared_context
        if fresh or low_vision or scale != 1 or not javascript:
            context = _new_context(self.browser, scale=scale, javascript=javascript)
            self.contexts.append(context)
        page = context.new_page()
        self.pages.append(page)
        page.set_viewport_size({"width": width, "height": height})
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.emulate_media(media=media)
        page.goto(self.base_url + page_type.address)
        if low_vision:
            page.get_by_role("link", name=LOW_VISION_ON).click()
            page.get_by_role("link", name=LOW_VISION_OFF).wait_for()
        return Tab(page, errors)

    def close(self) -> None:
        for page in self.pages:
            page.close()
        for context in self.contexts:
            context.close()


@pytest.fixture(scope="package")
def open_page_factory(
    browser: Any, shared_context: Any, base_url: str, served_root: Path
) -> Iterator[PageOpener]:
    opener = PageOpener(browser, shared_context, base_url, served_root)
    yield opener
    opener.close()


@pytest.fixture
def open_page(browser: Any, shared_context: Any, base_url: str, served_root: Path) -> Iterator[PageOpener]:
    """Pages for one test, closed after it."""
    opener = PageOpener(browser, shared_context, base_url, served_root)
    yield opener
    opener.close()


@pytest.fixture(scope="package")
def viewed(open_page_factory: PageOpener) -> Callable[[str], Tab]:
    """A page type at 1280 px, loaded once for the package, for tests that only read it (and do not click or type)."""
    cache: dict[str, Tab] = {}

    def view(name: str) -> Tab:
        if name not in cache:
            cache[name] = open_page_factory(PAGE_TYPES[name])
        return cache[name]

    return view
