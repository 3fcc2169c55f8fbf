"""The settings blocks of site.yaml that the checks read: `link_check:` and `monitoring:`."""
