"""The jobs that move documents through the layers: ingest (read -> normalize -> store, then the
warehouse-scope rules), crawl (fetch -> ingest) and recheck. Called by the CLI and by flows/."""
