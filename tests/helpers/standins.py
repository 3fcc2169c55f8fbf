"""Stand-in school sites on 127.0.0.1, each synthetic *.example.org host with a web server of its own.

Each scenario of the issue is one school here; `SCHOOLS` lists them as schools.yaml would. One server per site, as
in life: a shared test server's small listen queue would drop the burst of first connections of every school.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from site_builder.content.models import School
from tests.helpers.web import Reply, WebServer, free_port, page, redirect

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "monitor"
ANTIRISK = quote("/files/Антирисковая_программа.pdf")
DOCUMENTS = (
    "/files/dorozhnaya-karta.pdf",
    "/files/koncepciya.pdf",
    "/files/ssp.pdf",
    ANTIRISK,
    "/files/otchet-2025.pdf",
)
PDF = Reply(200, b"%PDF-1.4 synthetic test file", content_type="application/pdf")
SLOW = 3.0  # seconds: well beyond the 1-second time-out of the test configuration


def html(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def cp1251(text: str, declared: bool) -> bytes:
    """The page as many school sites serve it: windows-1251 bytes, no charset in the HTTP header, and the
    charset named in a <meta http-equiv> or nowhere at all."""
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">' if declared else ""
    return text.replace('<meta charset="utf-8">', meta).encode("cp1251")


class Standins:
    """The servers of the stand-in sites by host; `table` is what the resolver maps each host to."""

    def __init__(self) -> None:
        self.servers: dict[str, WebServer] = {}
        self.table: dict[str, str] = {}

    def site(self, host: str, pages: dict[str, Reply], documents: tuple[str, ...] = ()) -> WebServer:
        web = self.servers[host] = WebServer()
        self.table[host] = web.address
        for path, reply in pages.items():
            web.route(path, reply)
        for path in documents:
            web.route(path, PDF)
        return web

    def paths(self, host: str) -> list[str]:
        return [seen.path for seen in self.servers[host].seen]

    def close(self) -> None:
        for web in self.servers.values():
            web.close()


def school(key: str, section: str = "", site: str = "") -> School:
    return School(
        id=key,
        short_name=f"Тест-{key}",
        name=f"Синтетическая школа «{key}» (тестовые данные)",
        site=site or f"http://{key}.example.org/",
        section_url=section,
    )


SCHOOLS = [
    school("complete", section="http://complete.example.org/500plus/"),
    school("nosection"),
    school("partial", section="http://partial.example.org/old-500/"),
    school("broken"),
    school("discover"),
    school("down"),
    school("robots"),
    school("slow"),
    school("moved"),
    school("cp1251"),
    School(id="nosite", short_name="Тест-nosite", name="Синтетическая школа без сайта (тестовые данные)"),
]


def serve_standins() -> Standins:
    """Start every stand-in site; the caller closes them."""
    sites = Standins()
    sites.site(
        "complete.example.org",
        {"/": Reply(body=html("home.html")), "/500plus/": Reply(body=html("section.html"))},
        DOCUMENTS,
    )
    sites.site(
        "nosection.example.org",
        {
            "/": Reply(body=html("home-plain.html")),
            "/projects/": page("Проекты", '<a href="/projects/reading/">Читающая школа</a>'),
            "/projects/reading/": page("Читающая школа", "<p>Проект о чтении.</p>"),
            "/sveden/": page("Сведения", "<p>Сведения об образовательной организации.</p>"),
            "/news/": page("Новости", "<p>Новостей пока нет.</p>"),
        },
    )
    sites.site(
        "partial.example.org",
        {"/": Reply(body=html("home.html")), "/500plus/": Reply(body=html("section-partial.html"))},
        ("/files/dorozhnaya-karta.pdf",),
    )
    sites.site(
        "broken.example.org",
        {
            "/": Reply(body=html("home.html")),
            "/500plus/": Reply(body=html("section.html")),
            "/files/koncepciya.pdf": page("Файл удалён", status=410),
        },
        ("/files/ssp.pdf", ANTIRISK, "/files/otchet-2025.pdf"),
    )
    sites.site(
        "discover.example.org",
        {
            "/": Reply(body=html("home-plain.html")),
            "/projects/": Reply(body=html("projects.html")),
            "/projects/500plus/": Reply(body=html("section.html")),
        },
        DOCUMENTS,
    )
    sites.site(
        "robots.example.org",
        {
            "/robots.txt": Reply(body="User-agent: *\nDisallow: /500plus/\n", content_type="text/plain"),
            "/": Reply(body=html("home.html")),
            "/500plus/": Reply(body=html("section.html")),
        },
        DOCUMENTS,
    )
    sites.site(
        "slow.example.org", {"/robots.txt": Reply(delay=SLOW), "/": Reply(body=html("home.html"), delay=SLOW)}
    )
    sites.site("moved.example.org", {"/": redirect("http://new-school.example.org/", 301)})
    sites.site(
        "new-school.example.org",
        {"/": Reply(body=html("home.html")), "/500plus/": Reply(body=html("section.html"))},
        DOCUMENTS,
    )
    sites.site(
        "cp1251.example.org",
        {
            "/": Reply(body=cp1251(html("home.html"), declared=False), content_type="text/html"),
            "/500plus/": Reply(body=cp1251(html("section.html"), declared=True), content_type="text/html"),
        },
        DOCUMENTS,
    )
    sites.table["down.example.org"] = f"127.0.0.1:{free_port()}"
    return sites
