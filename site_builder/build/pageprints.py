"""The live preview's page fingerprints, kept from one build to the next and worked out again only where a save
may have changed them.

A national site has 6,000 pages and a save changes a few: looking at each of them on every save cost more than
rendering the pages that changed. The last build's fingerprints are kept by position in its list of pages, with
which pages read each content file; the next build works out again only the positions whose page is another
object (render.pages.EntryPlanner keeps the unchanged ones), those that read a file which changed or was not
looked at, or every position when pages were added or removed or a template's part changed.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from site_builder.build.caches import FileCache, Fingerprints
from site_builder.core.sequences import replaced
from site_builder.render.pages import PageSpec

# A page's spec, the parts of its fingerprint besides its inputs' bytes, its input files by their text, and the
# fingerprint.
Print = tuple[PageSpec, tuple[str, str, str], frozenset[str], str]


@dataclass
class _Positions:
    """One build's pages and fingerprints by position, and the positions of the pages that read each file and of
    those made with each template."""

    pages: list[PageSpec]
    prints: list[Print]
    fingerprints: dict[str, str]  # by output
    readers: dict[str, list[int]]  # by file
    users: dict[str, list[int]]  # by template
    templates: dict[str, str]  # each template's part, as Fingerprints.template_part gave it

    @classmethod
    def of(cls, pages: list[PageSpec], prints: list[Print], fingerprints: Fingerprints) -> _Positions:
        positions = cls(pages, list(prints), {}, {}, {}, {})
        positions.place(range(len(pages)), prints, fingerprints)
        return positions

    def due(self, pages: list[PageSpec], fingerprints: Fingerprints, files: FileCache) -> set[int] | None:
        """The positions of `pages` whose fingerprint may differ from this build's; None: any of them.

        A template's part changes with the shared values it reads (the landing page's, with every file)."""
        moved = replaced(pages, self.pages)
        if moved is None:
            return None
        due = set(moved)
        for key in files.in_doubt(self.readers.keys()):
            due.update(self.readers[key])
        for name, part in self.templates.items():
            if fingerprints.template_part(name) != part:
                due.update(self.users[name])
        return due

    def patch(
        self, pages: list[PageSpec], due: list[int], made: list[Print], fingerprints: Fingerprints
    ) -> None:
        """Put the prints `made` for the positions `due` of `pages` in place of the old ones."""
        for index in due:
            spec, _, keys, _ = self.prints[index]
            for key in keys:
                self.readers[key].remove(index)
            self.users[spec.template].remove(index)
            self.fingerprints.pop(spec.output, None)
        self.pages = pages
        self.place(due, made, fingerprints)

    def place(self, positions: Iterable[int], prints: list[Print], fingerprints: Fingerprints) -> None:
        for index, print_ in zip(positions, prints, strict=True):
            spec, _, keys, fingerprint = print_
            self.prints[index] = print_
            for key in keys:
                self.readers.setdefault(key, []).append(index)
            self.users.setdefault(spec.template, []).append(index)
            self.fingerprints[spec.output] = fingerprint
            self.templates[spec.template] = fingerprints.template_part(spec.template)


class PagePrints:
    """Every page's fingerprint, kept while its spec, its template's part and its input files are the same."""

    def __init__(self) -> None:
        self._last: _Positions | None = None
        self._memo: dict[str, Print] = {}  # by output, after a failed build: what `_print` may take again

    def update(
        self, fingerprints: Fingerprints, pages: list[PageSpec], files: FileCache
    ) -> tuple[dict[str, str], Collection[int]]:
        """The fingerprint of each of `pages` by output, and the positions whose fingerprint was worked out
        again (the others are the last build's). Call `forget` if the build then fails."""
        last = self._last
        due = last.due(pages, fingerprints, files) if last else None
        positions: Collection[int]
        if last is None or due is None:
            olds = {print_[0].output: print_ for print_ in last.prints} if last else self._memo
            prints = [self._print(fingerprints, files, spec, olds.get(spec.output)) for spec in pages]
            last = self._last = _Positions.of(pages, prints, fingerprints)
            positions = range(len(pages))
        else:
            positions = sorted(due)
            made = [self._print(fingerprints, files, pages[i], last.prints[i]) for i in positions]
            last.patch(pages, positions, made, fingerprints)
        self._memo = {}
        files.settle()
        return dict(last.fingerprints), positions

    def forget(self) -> None:
        """After a failed build: the files it read anew are settled, so the next build looks at every page."""
        if self._last:
            self._memo = {print_[0].output: print_ for print_ in self._last.prints}
        self._last = None

    @staticmethod
    def _print(fingerprints: Fingerprints, files: FileCache, spec: PageSpec, old: Print | None) -> Print:
        if old and old[0].output != spec.output:
            old = None
        if old and old[0] is spec and old[1][1] == fingerprints.template_part(spec.template):
            parts, keys = old[1], old[2]  # a page kept by the plans: its own context and inputs are the same
        else:
            parts, keys = fingerprints.page_parts(spec), frozenset(map(os.fspath, spec.inputs))
        if old and old[1] == parts and old[2] == keys and files.unchanged_keys(keys):
            return old
        return spec, parts, keys, fingerprints.page_from(spec, parts)
