"""The live preview end to end: a real server on 127.0.0.1, real files saved the way editors save them.

Every wait is bounded and polls the HTTP endpoint; nothing asserts how long anything took.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from site_builder.build.site import build_site
from site_builder.cli import main
from site_builder.core.errors import ContentError
from site_builder.model.site import load_site
from site_builder.preview import Preview
from site_builder.preview.pages import SCRIPT
from site_builder.render.pages import TEMPLATES_DIR
from tests.helpers import html
from tests.helpers.sites import REPO
from tests.helpers.web import raw_get

AS_OF = dt.date(2022, 12, 1)
ROADMAP = "roadmaps/shakhty-2022.yaml"
ROADMAP_PAGE = "roadmaps/shakhty-2022.html"
WAIT = 30.0


def save(path: Path, text: str) -> None:
    """An editor's atomic save (VS Code, vim): write a temporary file beside the original, rename it over."""
    temporary = path.with_name(f".{path.name}.tmp-save")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def poll(client: httpx.Client, url: str, done: Callable[[httpx.Response], bool]) -> httpx.Response:
    """GET `url` until `done(response)`; fails after WAIT seconds with the last response."""
    deadline = time.monotonic() + WAIT
    while True:
        response = client.get(url)
        if done(response):
            return response
        if time.monotonic() > deadline:
            pytest.fail(
                f"{url}: the expected change did not show within {WAIT} s; last answer:\n{response.text[:2000]}"
            )
        time.sleep(0.05)


def panel(response: httpx.Response) -> list[str]:
    """The problems the error panel lists, or [] when there is no panel."""
    alert = html.soup(response.text).select_one('[role="alert"]')
    return [item.get_text() for item in alert.find_all("li")] if alert else []


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(REPO / "examples" / "shakhty", folder)
    return folder


@pytest.fixture
def preview(content: Path) -> Iterator[Preview]:
    with Preview(content, port=0, as_of=AS_OF, quiet=True) as running:
        assert running.wait_ready(120)
        yield running


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=WAIT + 10) as http:
        yield http


def test_serves_the_built_site_on_loopback(preview: Preview, client: httpx.Client) -> None:
    assert preview.base_url.startswith("http://127.0.0.1:")
    index = client.get(preview.base_url)
    assert index.status_code == 200
    assert index.headers["content-type"] == "text/html; charset=utf-8"
    assert f'<script src="{SCRIPT}"' in index.text
    page = client.get(preview.base_url + ROADMAP_PAGE)
    assert "Организационное сопровождение Проекта 500+" in page.text
    css = next(name for name in os.listdir(preview.folder / "static") if name.startswith("style."))
    styles = client.get(f"{preview.base_url}static/{css}")
    assert styles.headers["content-type"].startswith("text/css")
    assert styles.content == (preview.folder / "static" / css).read_bytes()
    missing = client.get(preview.base_url + "no-such-page.html")
    assert missing.status_code == 404
    assert "Страница не найдена" in missing.text


def test_download_is_made_when_asked_for(preview: Preview, client: httpx.Client, tmp_path: Path) -> None:
    name = ROADMAP_PAGE.replace(".html", ".csv")
    assert not (preview.folder / name).exists()  # a save does not wait for every spreadsheet of the site
    answer = client.get(preview.base_url + name)
    assert answer.status_code == 200
    full = tmp_path / "full"
    build_site(preview.content, full, AS_OF)
    assert answer.content == (full / name).read_bytes()


def test_reload_script_exists_only_in_the_preview(preview: Preview, client: httpx.Client) -> None:
    on_disk = (preview.folder / "index.html").read_text(encoding="utf-8")
    assert "__serve__" not in on_disk
    assert "__serve__" in client.get(preview.base_url).text
    assert "location.reload" in client.get(preview.base_url + SCRIPT.lstrip("/")).text


def test_saved_change_is_served_and_open_pages_are_told(
    preview: Preview, content: Path, client: httpx.Client
) -> None:
    before = preview.build_id
    original = (content / ROADMAP).read_text(encoding="utf-8")
    save(content / ROADMAP, original.replace("Подготовка отчетов кураторов", "СИНТЕТИЧЕСКАЯ ПРАВКА", 1))
    page = poll(client, preview.base_url + ROADMAP_PAGE, lambda r: "СИНТЕТИЧЕСКАЯ ПРАВКА" in r.text)
    assert page.status_code == 200
    # A page served before the change, long-polling with its build id, is answered at once with a new one.
    answer = client.get(f"{preview.base_url}__serve__/wait", params={"build": before}).json()
    assert answer["build"] != before


def test_broken_file_shows_check_messages_on_every_page_and_recovers(
    preview: Preview, content: Path, client: httpx.Client
) -> None:
    original = (content / ROADMAP).read_text(encoding="utf-8")
    broken = original.replace("year: 2022", "year: [2022", 1)
    save(content / ROADMAP, broken)
    with pytest.raises(ContentError) as raised:
        load_site(content)
    expected = [problem.format() for problem in raised.value.problems]  # what `check` prints
    for page in ("", ROADMAP_PAGE, "schools.html"):
        response = poll(client, preview.base_url + page, lambda r: bool(panel(r)))
        assert panel(response) == expected
        soup = html.soup(response.text)
        alert = soup.select_one('[role="alert"]')
        assert alert is not None and alert.find(["h1", "h2"]) is not None
        assert "ошибок в содержимом — 1" in alert.get_text()
        assert soup.find("main") is not None  # the last good page is still there under the panel
    assert "Организационное сопровождение" in client.get(preview.base_url + ROADMAP_PAGE).text

    save(content / ROADMAP, original.replace("Подготовка отчетов кураторов", "ИСПРАВЛЕНО", 1))
    # Pages are renamed into place a moment before the panel goes: an open page reloads only after both.
    poll(client, preview.base_url + ROADMAP_PAGE, lambda r: "ИСПРАВЛЕНО" in r.text and not panel(r))
    assert panel(client.get(preview.base_url)) == []


def test_file_briefly_empty_while_written_shows_no_error(content: Path, client: httpx.Client) -> None:
    said: list[str] = []
    with Preview(content, port=0, as_of=AS_OF, echo=said.append) as preview:
        assert preview.wait_ready(120)
        path = content / ROADMAP
        original = path.read_text(encoding="utf-8")
        with path.open("w", encoding="utf-8") as stream:  # truncated in place, then written: Notepad's way
            stream.flush()
            os.fsync(stream.fileno())
            time.sleep(
                0.15
            )  # longer than the watcher's debounce, shorter than the grace given to empty files
            stream.write(original.replace("Подготовка отчетов кураторов", "ПОСЛЕ ПУСТОГО", 1))
        poll(client, preview.base_url + ROADMAP_PAGE, lambda r: "ПОСЛЕ ПУСТОГО" in r.text)
    assert not [line for line in said if line.startswith("Ошибок")]


def test_warnings_of_check_are_said_once_each(content: Path, client: httpx.Client) -> None:
    said: list[str] = []
    with Preview(content, port=0, as_of=AS_OF, echo=said.append) as preview:
        assert preview.wait_ready(120)
        deadline = time.monotonic() + WAIT
        while not any("предупреждение:" in line for line in said) and time.monotonic() < deadline:
            time.sleep(0.05)  # worked out once no save came for a moment
        first = [line for line in said if "предупреждение:" in line]
        # A school without a site: `check` warns about it.
        assert any(line.startswith("schools.yaml:") for line in first)
        path = content / ROADMAP
        save(path, path.read_text(encoding="utf-8").replace("Подготовка отчетов кураторов", "ПРАВКА", 1))
        poll(client, preview.base_url + ROADMAP_PAGE, lambda r: "ПРАВКА" in r.text)
    assert [line for line in said if "предупреждение:" in line] == first


def test_a_save_the_watcher_left_out_is_built_once_saves_stop(
    preview: Preview, content: Path, client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save's build trusts the watcher's list; the look at every file after it finds what the list lacked."""
    roadmap, report = content / ROADMAP, content / "reports" / "shakhty-2022-2.yaml"
    left_out = str(roadmap.resolve())
    wanted = preview.watcher._wanted
    monkeypatch.setattr(
        preview.watcher, "_wanted", lambda change, path: path != left_out and wanted(change, path)
    )
    save(roadmap, roadmap.read_text(encoding="utf-8").replace("Подготовка отчетов кураторов", "ПРОПУЩЕНО", 1))
    save(report, report.read_text(encoding="utf-8").replace("(второй этап)", "(ПРАВКА этапа)", 1))
    poll(client, preview.base_url + "reports/shakhty-2022-2.html", lambda r: "ПРАВКА этапа" in r.text)
    poll(client, preview.base_url + ROADMAP_PAGE, lambda r: "ПРОПУЩЕНО" in r.text)


def test_burst_of_saves_ends_with_the_last_one(preview: Preview, content: Path, client: httpx.Client) -> None:
    original = (content / ROADMAP).read_text(encoding="utf-8")
    for number in range(10):
        save(content / ROADMAP, original.replace("Подготовка отчетов кураторов", f"ВЕРСИЯ-{number}-", 1))
    page = poll(client, preview.base_url + ROADMAP_PAGE, lambda r: "ВЕРСИЯ-9-" in r.text)
    assert "ВЕРСИЯ-8-" not in page.text


def test_files_added_renamed_and_deleted(preview: Preview, content: Path, client: httpx.Client) -> None:
    pages = content / "pages"
    pages.mkdir()
    save(pages / "sinteticheskaya.md", "---\ntitle: Синтетическая страница\n---\nТекст для проверки.\n")
    poll(client, preview.base_url + "pages/sinteticheskaya.html", lambda r: r.status_code == 200)
    index = client.get(preview.base_url)
    assert "Синтетическая страница" in index.text  # the navigation of every page lists it

    os.replace(pages / "sinteticheskaya.md", pages / "pereimenovana.md")
    poll(client, preview.base_url + "pages/pereimenovana.html", lambda r: r.status_code == 200)
    assert client.get(preview.base_url + "pages/sinteticheskaya.html").status_code == 404

    (pages / "pereimenovana.md").unlink()
    poll(client, preview.base_url + "pages/pereimenovana.html", lambda r: r.status_code == 404)
    assert "Синтетическая страница" not in client.get(preview.base_url).text


def test_template_change_is_served(content: Path, tmp_path: Path, client: httpx.Client) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    with Preview(content, port=0, as_of=AS_OF, templates=templates, quiet=True) as preview:
        assert preview.wait_ready(120)
        base = (templates / "404.html").read_text(encoding="utf-8")
        save(templates / "404.html", base.replace("Страница не найдена</h1>", "Нет такой страницы</h1>", 1))
        poll(client, preview.base_url + "missing.html", lambda r: "Нет такой страницы" in r.text)


def test_first_build_failing_shows_an_error_page_until_fixed(content: Path, client: httpx.Client) -> None:
    site_yaml = content / "site.yaml"
    original = site_yaml.read_text(encoding="utf-8")
    save(site_yaml, original + "title: [\n")
    with Preview(content, port=0, as_of=AS_OF, quiet=True) as preview:
        assert preview.wait_ready(120)
        response = client.get(preview.base_url + ROADMAP_PAGE)
        # No site yet: a script or a link checker must not take the placeholder for a page.
        assert response.status_code == 503 and response.headers["Retry-After"] == "1"
        soup = html.soup(response.text)
        assert soup.find("script", src=SCRIPT) is not None  # the page still reloads itself
        heading = soup.find("h1")
        assert heading is not None and "ошибок в содержимом" in heading.get_text()
        assert panel(response) and panel(response)[0].startswith("site.yaml:")
        save(site_yaml, original)
        poll(client, preview.base_url + ROADMAP_PAGE, lambda r: "Организационное сопровождение" in r.text)


@pytest.mark.parametrize(
    "template",
    [
        "/../{secret}",
        "/static/../../{secret}",
        "/..%2f{secret}",
        "/%2e%2e/{secret}",
        "/%2E%2E%2F{secret}",
        "/static%2f..%2f..%2f{secret}",
        "/..%5c{secret}",
        "/%252e%252e/{secret}",
        "//..//{secret}",
        "/.%2e/{secret}",
        "/C:%5c{secret}",
        "/%00/../{secret}",
    ],
)
def test_no_file_outside_the_preview_folder_is_served(preview: Preview, template: str) -> None:
    secret = preview.folder.parent / f"{preview.folder.name}-secret.txt"
    secret.write_text("СЕКРЕТ", encoding="utf-8")
    try:
        status, body = raw_get(preview.port, template.format(secret=secret.name))
    finally:
        secret.unlink()
    assert status in (400, 404)
    assert "СЕКРЕТ".encode() not in body


def test_symlink_out_of_the_preview_folder_is_not_followed(preview: Preview, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("СЕКРЕТ", encoding="utf-8")
    (preview.folder / "link.txt").symlink_to(outside)
    status, body = raw_get(preview.port, "/link.txt")
    assert status == 404
    assert "СЕКРЕТ".encode() not in body


def test_hidden_files_of_the_folder_are_not_served(preview: Preview) -> None:
    (preview.folder / ".hidden").write_text("СЕКРЕТ", encoding="utf-8")
    status, body = raw_get(preview.port, "/.hidden")
    assert status == 404 and "СЕКРЕТ".encode() not in body


def test_busy_port_moves_to_the_next_free_one(content: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with Preview(content, port=port, as_of=AS_OF, quiet=True) as preview:
            assert preview.port > port


def test_cli_refuses_a_missing_content_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--content", str(tmp_path / "nothing"), "--port", "0"])
    assert result.exit_code == 2
    assert "не найдена" in result.output


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT, as Ctrl+C does in a POSIX terminal")
def test_cli_serves_and_stops_cleanly_on_ctrl_c(content: Path, client: httpx.Client) -> None:
    command = [sys.executable, "-m", "site_builder", "serve", "--content", str(content), "--port", "0",
               "--as-of", "2022-12-01"]  # fmt: skip
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8", cwd=REPO,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # a shell's background job ignores it
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        address = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert address, line
        poll(client, address.group(0), lambda r: "Организационное" in r.text or "Шахты" in r.text)
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=WAIT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert "Предпросмотр остановлен." in output
    assert "Traceback" not in output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_named_pipe_in_the_content_is_reported_not_waited_for(
    preview: Preview, content: Path, client: httpx.Client
) -> None:
    os.mkfifo(content / "roadmaps" / "pipe.yaml")
    response = poll(client, preview.base_url, lambda r: bool(panel(r)))
    found = panel(response)
    assert any("roadmaps/pipe.yaml:1:1: это именованный канал (FIFO)" in line for line in found), found
    (content / "roadmaps" / "pipe.yaml").unlink()
    poll(client, preview.base_url, lambda r: not panel(r))
