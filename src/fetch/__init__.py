"""Scheduled scraping of agency portals: the source registry, a polite and guarded crawler, the
raw store and the crawler's own tables; new documents go to the ordinary ingest (nianbao.jobs.crawl).
"""
