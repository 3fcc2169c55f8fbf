"""Monitoring of the schools' official sites (roadmap item 5.4) and the analytical note built from its results.

config: the `monitoring:` block of site.yaml. crawl: a polite, bounded crawl of one school site (the link checker's
fetcher underneath). criteria: what the crawl found, judged criterion by criterion. rulebook and rules/*.yaml: the
rule table of the «Сведения об образовательной организации» section (МР v9). sveden: that section found, crawled
and its markup read. compliance: every check of a school (`sveden.*`, `site500.*`, `a11y.*`). results: the dated
results file under content/monitoring/. progress: the state a stopped run resumes from. reports: JSON, JUnit and
Markdown for CI. note: the analytical note's view and its XLSX. run: the `monitor` command.

Kept free of imports here: content.py and model.py import config and results, and must stay cheap to load.
"""
