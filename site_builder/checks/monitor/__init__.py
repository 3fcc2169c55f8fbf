"""Monitoring of the schools' official sites (roadmap item 5.4) and the analytical note built from its results.

config: the `monitoring:` block of site.yaml. crawl: a polite, bounded crawl of one school site (the link checker's
fetcher underneath). criteria: what the crawl found, judged criterion by criterion. results: the dated results file
under content/monitoring/. note: the analytical note's view and its XLSX. run: the `monitor` command.

Kept free of imports here: content.py and model.py import config and results, and must stay cheap to load.
"""
