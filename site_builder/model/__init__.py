"""Layer 3, model: the whole site loaded and cross-referenced, deadlines read as schedules, the warnings of `check`."""
