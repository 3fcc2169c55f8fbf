"""The section's address: its canonical base URL and the absolute address of a file of the built site."""

from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit

_EXAMPLE = "например https://example.org/obrazovanie/500plus/"

# A page's CMS fragment beside it (roadmaps/x.html → roadmaps/x-fragment.html): pasted into other sites, not read.
FRAGMENT_SUFFIX = "-fragment.html"
# Characters a URL path may keep as they are; everything else (Cyrillic included) is percent-encoded.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"


def normalise_base_url(value: str) -> str:
    """The section's address in canonical form: http(s), ASCII host and path, always ending with «/».

    Raises ValueError with a Russian message for anything that cannot be the address of a published folder.
    """
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError(f"адрес раздела должен начинаться с https:// или http://, {_EXAMPLE}")
    if not parts.hostname:
        raise ValueError(f"в адресе раздела нет имени сайта, {_EXAMPLE}")
    if parts.username or parts.password:
        raise ValueError("адрес раздела не может содержать имя пользователя или пароль")
    if parts.query or parts.fragment or value.endswith(("?", "#")):
        raise ValueError(f"адрес раздела не может содержать «?» или «#», {_EXAMPLE}")
    try:
        host = parts.hostname.encode("idna").decode("ascii")
        port = f":{parts.port}" if parts.port else ""
    except (UnicodeError, ValueError) as error:
        raise ValueError(f"в адресе раздела неправильное имя сайта или порт, {_EXAMPLE}") from error
    path = quote(parts.path or "/", safe=_PATH_SAFE)
    return urlunsplit((parts.scheme.lower(), host + port, path if path.endswith("/") else path + "/", "", ""))


def page_address(output: str) -> str:
    """The address a page is known by: a folder's index.html is the folder itself."""
    if output == "index.html" or output.endswith("/index.html"):
        return output.removesuffix("index.html")
    return output


def absolute_url(base_url: str, output: str) -> str:
    """The absolute address of an output file under the (normalised) base URL."""
    return base_url + page_address(output)
