"""Stand-in school sites with a «Сведения об образовательной организации» section (made-up data, 127.0.0.1 only).

A compliant section is written from the rule table: every required item, a child inside its parent but not
always as its direct child (МР v9, section 5 allows that). Each scenario of issue 18 changes one thing.
"""

from __future__ import annotations

import gzip

from site_builder.content.settings.rulebook import SubsectionRule, load_rules
from tests.helpers.standins import Standins
from tests.helpers.web import Reply, redirect

RULES = load_rules()
CHROME_TOP = (
    '<header><a href="/special/" itemprop="copy">Версия для слабовидящих</a>'
    '<img src="/logo.png" alt="Герб синтетического района"></header>'
)
CHROME_BOTTOM = (
    '<footer><a href="https://edu.gov.ru/">Минпросвещения России</a> '
    '<a href="https://minobrnauki.gov.ru/">Минобрнауки России</a></footer>'
)


def document(title: str, body: str, menu: str = "", lang: str = "ru", charset: str = "utf-8") -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="{charset}"><title>{title}</title></head><body>'
        f"{CHROME_TOP}<nav>{menu}</nav><main><h1>{title}</h1>{body}</main>{CHROME_BOTTOM}</body></html>"
    )


def subsection_markup(rule: SubsectionRule, skip: frozenset[str] = frozenset()) -> str:
    """Every required item of the subsection, children inside their parent (wrapped in a design <div>)."""
    parents = {item.parent for item in rule.items if item.parent}
    parts = []
    for item in rule.items:
        if item.parent or not item.required or item.itemprop in skip:
            continue
        if item.itemprop in parents:
            children = "".join(
                f'<span itemprop="{child.itemprop}">синтетические сведения</span>'
                for child in rule.items
                if child.parent == item.itemprop and child.required and child.itemprop not in skip
            )
            parts.append(f'<div itemprop="{item.itemprop}"><div class="for-design">{children}</div></div>')
        else:
            parts.append(f'<p itemprop="{item.itemprop}">синтетические сведения</p>')
    return "".join(parts)


def html(text: str, charset: str = "utf-8") -> Reply:
    return Reply(body=text.encode(charset), content_type=f"text/html; charset={charset}")


def section_site(
    prefix: str = "/sveden",
    titles: dict[str, str] | None = None,
    leave_out: tuple[str, ...] = (),
    pages: dict[str, str] | None = None,
) -> dict[str, Reply]:
    """The home page, the section page and each subsection page; `pages` replaces a subsection's markup."""
    titles = titles or {}
    menu = f'<a href="{prefix}/">Сведения об образовательной организации</a>'
    home = document("Синтетическая школа (тестовый сайт)", "<p>Новости школы.</p>", menu)
    links = "".join(
        f'<li><a href="{prefix}/{titles.get(rule.slug, rule.slug)}/">{rule.title}</a></li>'
        for rule in RULES.subsections
        if rule.slug not in leave_out
    )
    site = {
        "/": html(home),
        f"{prefix}/": html(document("Сведения об образовательной организации", f"<ul>{links}</ul>", menu)),
    }
    for rule in RULES.subsections:
        if rule.slug in leave_out:
            continue
        body = (pages or {}).get(rule.slug, subsection_markup(rule))
        site[f"{prefix}/{titles.get(rule.slug, rule.slug)}/"] = html(document(rule.title, body, menu))
    return site


def serve_sveden_sites() -> Standins:
    """Every scenario of issue 18 item 7 and the monitor cases of issue 22, one stand-in host each."""
    sites = Standins()
    common, managers, employees = (RULES.subsection(slug) for slug in ("common", "managers", "employees"))
    assert common and managers and employees
    sites.site("compliant.example.org", section_site())
    sites.site("missing.example.org", section_site(leave_out=("inter", "catering")))
    misplaced = subsection_markup(managers, skip=frozenset({"fio"})).replace(
        '<div itemprop="rucovodstvo">',
        '<p itemprop="fio">Синтетический Руководитель</p><div itemprop="rucovodstvo">',
        1,
    )
    absent = subsection_markup(common, skip=frozenset({"addressPlacePrac", "regDate"}))
    absent += '<p itemprop="addressPlacePrac">отсутствует</p>'
    sites.site("items.example.org", section_site(pages={"managers": misplaced, "common": absent}))
    staff = subsection_markup(employees)
    addref = section_site(
        pages={"employees": '<a href="/sveden/employees/staff/" itemprop="addRef">Состав</a>'}
    )
    addref["/sveden/employees/staff/"] = html(document("Педагогический состав", staff))
    sites.site("addref.example.org", addref)
    gosweb_titles = {rule.slug: f"razdel-{number}" for number, rule in enumerate(RULES.subsections, 1)}
    sites.site(
        "school.gosweb.example.org", section_site("/svedeniya-ob-obrazovatelnoy-organizatsii", gosweb_titles)
    )
    login = section_site()
    login["/sveden/"] = redirect("/auth/login?back=/sveden/")
    login["/auth/login"] = html(
        document("Вход", '<form><input name="u"><input type="password" name="p"></form>')
    )
    for rule in RULES.subsections:
        login[f"/sveden/{rule.slug}"] = redirect("/auth/login")
    sites.site("login.example.org", login)
    cp1251 = {
        path: Reply(
            body=reply.payload()
            .decode("utf-8")
            .replace('charset="utf-8"', 'charset="windows-1251"')
            .encode("cp1251"),
            content_type="text/html",
        )
        for path, reply in section_site().items()
    }
    sites.site("cp1251.example.org", cp1251)
    bomb = gzip.compress(b"<" * (64 * 1024 * 1024), compresslevel=9)
    sites.site("bomb.example.org", {"/": Reply(body=bomb, headers={"Content-Encoding": "gzip"})})
    bare = section_site()
    bare["/"] = html(
        '<!doctype html><html><head><meta charset="utf-8"><title>Без доступности</title></head><body>'
        '<a href="/sveden/">Сведения об образовательной организации</a><img src="/photo.jpg"></body></html>'
    )
    sites.site("bare.example.org", bare)
    hanging = section_site()
    hanging["/robots.txt"] = Reply(body="User-agent: *\nAllow: /\n", content_type="text/plain", delay=3.0)
    sites.site("hanging.example.org", hanging)
    return sites
