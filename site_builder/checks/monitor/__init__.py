"""Monitoring of the schools' official sites (roadmap item 5.4): a library that returns results.

crawl: a polite, bounded crawl of one school site (the link checker's fetcher underneath). criteria: what the crawl
found, judged criterion by criterion. sveden: the section «Сведения об образовательной организации» found, crawled
and its markup read against the rule table (content.settings.rulebook, МР v9). compliance: every check of a school
(`sveden.*`, `site500.*`, `a11y.*`). progress: the state a stopped run resumes from. reports: JSON, JUnit and
Markdown for CI. run: a whole run over the schools. The settings (content.settings.monitoring), the results file
(content.records.monitoring) and the analytical note (render.note) live in the layers that own them.

Nothing is imported here, so loading one module does not load them all.
"""
