"""The files one stage writes and another reads: the monitoring results (the link checker's results file is in link_report)."""
