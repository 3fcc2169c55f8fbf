"""Layer 5, build: the pipeline build and preview share, the memo and caches, parallel workers, writing output/."""
