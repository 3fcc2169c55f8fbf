"""The build: load and validate everything, render every page, then swap the result into output/ at once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from site_builder.lint import load_checked_site
from site_builder.model import Site
from site_builder.publish import normalise_base_url
from site_builder.render import Assets, make_environment, plan, render_pages
from site_builder.write import safe_target, staged_output


@dataclass
class BuildResult:
    site: Site
    pages: int


def build_site(content: Path, output: Path, as_of: dt.date, base_url: str | None = None) -> BuildResult:
    """Build `content` into `output`; on any error the previous output stays exactly as it was.

    `base_url`, when given, overrides site.yaml's base_url (ValueError if it is not a valid address).
    """
    site = load_checked_site(content, as_of)
    if base_url:
        config = site.config.model_copy(update={"base_url": normalise_base_url(base_url)})
        site = dataclasses.replace(site, config=config)
    env = make_environment()
    assets = Assets.scan()
    specs = plan(site, as_of)
    with staged_output(output, content) as staging:
        for relative, html in render_pages(env, site, specs, as_of, assets):
            target = safe_target(staging, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
        for relative, source in assets.sources.items():
            target = safe_target(staging, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    return BuildResult(site, sum(1 for spec in specs if spec.output.endswith(".html")))
