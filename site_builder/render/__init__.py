"""Layer 4a, render: the plan of every file with its inputs, statuses, views, pages, downloads and feeds. Never imports checks."""
