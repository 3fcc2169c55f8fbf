"""The three seed documents (beside the repository) and the hand transcriptions they must import as."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers.sites import REPO

# Beside the repository in a clone; SITE_BUILDER_SEEDS points elsewhere (a git worktree, say).
SEEDS = Path(os.environ.get("SITE_BUILDER_SEEDS", REPO.parent / "shared" / "seeds"))


@dataclass(frozen=True)
class Seed:
    name: str
    roadmap: Path
    kind: str
    report: Path | None = None


BALAKHTA = Seed("balakhta-roadmap-2022.txt", REPO / "content" / "roadmaps" / "balakhta-2022.yaml", "roadmap")
KALININGRAD = Seed(
    "kaliningrad-roadmap-2023.txt",
    REPO / "examples" / "kaliningrad" / "roadmaps" / "kaliningrad-2023.yaml",
    "roadmap",
)
SHAKHTY = Seed(
    "shakhty-report-2022-stage2.txt",
    REPO / "examples" / "shakhty" / "roadmaps" / "shakhty-2022.yaml",
    "report",
    REPO / "examples" / "shakhty" / "reports" / "shakhty-2022-2.yaml",
)
SEED_PARAMS = [pytest.param(BALAKHTA, id="balakhta"), pytest.param(KALININGRAD, id="kaliningrad"),
               pytest.param(SHAKHTY, id="shakhty")]  # fmt: skip
FORMATS = ["text", "docx"]


def seed_path(seed: Seed) -> Path:
    path = SEEDS / seed.name
    if not path.is_file():
        pytest.skip(f"the seed documents are not available: {path} does not exist")
    return path
