"""Layer 1, core: what every other layer may use — errors with their exit codes, Russian wording and dates, atomic writes, safe file reading, shipped resources."""
