"""What the PDFs of one roadmap cost: the corpus turns PDFs off, as a national site would, so they are priced apart.

The first few roadmaps of a corpus get their PDFs made (the ordinary one and the large print) in this process.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from pathlib import Path

from site_builder.content.models import Downloads
from site_builder.model.site import load_site
from site_builder.render.exports import plan_downloads
from site_builder.render.status import SiteStatus

PRICED = 3  # roadmaps whose PDFs are made


def pdf_seconds(content: Path, as_of: dt.date) -> float:
    """Seconds the two PDFs of one roadmap take, averaged over the first PRICED roadmaps of `content`."""
    site = load_site(content)
    config = site.config.model_copy(update={"downloads": Downloads(pdf=True)})
    priced = dataclasses.replace(site, config=config, roadmaps=site.roadmaps[:PRICED], reports=[])
    pdfs = [spec for spec in plan_downloads(SiteStatus(priced, as_of)) if spec.output.endswith(".pdf")]
    started = time.perf_counter()
    for spec in pdfs:
        spec.produce()
    return (time.perf_counter() - started) / max(1, len(priced.roadmaps))
