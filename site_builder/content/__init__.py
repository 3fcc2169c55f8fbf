"""Layer 2, content: reading files with positions, the content schema, the settings blocks of site.yaml and the records that checks write and the build reads."""
