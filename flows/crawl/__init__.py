"""Crawling: HTTP fetching with outcome values, per-host politeness, bodies, the raw archive, discovery."""
