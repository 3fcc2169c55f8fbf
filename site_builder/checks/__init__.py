"""Layer 4b, checks: the link checker and the site monitor, libraries that return results (no printing, no exit codes). Never import render."""
