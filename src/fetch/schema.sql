-- nianbao.fetch: the crawler's own tables, in the same DuckDB file as the warehouse.
-- Applied on every connect (idempotent). The warehouse tables (src/warehouse/tables.py) are
-- not touched: downloaded documents reach them through the ordinary ingest.

-- One row per crawl pass (`nianbao crawl`, the Prefect flow, the demo).
CREATE TABLE IF NOT EXISTS crawl_runs (
    crawl_id        VARCHAR PRIMARY KEY,
    started_at      TIMESTAMP NOT NULL,
    finished_at     TIMESTAMP,             -- NULL: the pass did not finish
    sources_file    VARCHAR,
    n_sources       INTEGER,
    n_requests      INTEGER,               -- HTTP requests sent (robots.txt, retries and redirects included)
    n_downloaded    INTEGER,               -- bodies received (200)
    n_not_modified  INTEGER,               -- conditional requests answered 304
    n_reports       INTEGER,               -- report links found
    n_new_documents INTEGER,               -- documents whose bytes were not stored before
    n_errors        INTEGER,
    seconds         DOUBLE,
    ingest_run_id   VARCHAR                -- runs.run_id of the ingest that read the new documents
);

-- Every request for a URL (after retries and redirects): what came back and where it is kept.
CREATE TABLE IF NOT EXISTS fetches (
    crawl_id      VARCHAR NOT NULL,
    seq           INTEGER NOT NULL,        -- order within the crawl pass
    source_url    VARCHAR,                 -- the registry entry (its listing url) this fetch was for
    kind          VARCHAR NOT NULL,        -- robots / listing / report_page / attachment / linked_page (a possible file that was a page)
    url           VARCHAR NOT NULL,        -- a POST: url#post:<fields> (a Hanweb data proxy, an Epoint API)
    final_url     VARCHAR,                 -- after redirects
    fetched_at    TIMESTAMP NOT NULL,
    http_status   INTEGER,                 -- NULL: no response (refused, timeout, connection error)
    outcome       VARCHAR NOT NULL,        -- downloaded / unchanged / not_modified / error / refused
    sha256        VARCHAR,                 -- of the body (for a 304: of the stored copy)
    content_type  VARCHAR,
    bytes         BIGINT,
    etag          VARCHAR,
    last_modified VARCHAR,
    published_on  DATE,                    -- 发布日期 of the page (or of the page linking an attachment)
    title         VARCHAR,                 -- the link text that made this a report
    raw_path      VARCHAR,                 -- the copy in the raw store
    attempts      INTEGER,
    seconds       DOUBLE,
    error         VARCHAR,
    PRIMARY KEY (crawl_id, seq)
);

-- Health of each registry entry after its latest crawl. `failing` when it yields no reports.
CREATE TABLE IF NOT EXISTS source_status (
    source_url         VARCHAR PRIMARY KEY,
    agency             VARCHAR,
    region             VARCHAR,
    status             VARCHAR NOT NULL,   -- ok / warn (reports found, but errors) / partial (not read to the end) / failing
    message            VARCHAR,
    last_run_at        TIMESTAMP,
    last_success_at    TIMESTAMP,          -- last pass that found at least one report
    reports_found      INTEGER,            -- reports read (on the page, or a report file), not links seen
    best_reports_found INTEGER,            -- most reports any pass found (a drop to 0 is breakage)
    new_since_last_run INTEGER,            -- reports with a new or changed document in the latest pass
    errors             INTEGER,
    last_error         VARCHAR,
    crawl_id           VARCHAR
);

-- The reports each pass found (the expected publishers' output, for coverage reports).
CREATE TABLE IF NOT EXISTS found_reports (
    crawl_id      VARCHAR NOT NULL,
    source_url    VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,        -- the report link
    title         VARCHAR,
    year          INTEGER,
    published_on  DATE,
    documents     VARCHAR,                 -- JSON list of {url, sha256, outcome}
    is_new        BOOLEAN,                 -- a document of it was new or changed in this pass
    PRIMARY KEY (crawl_id, url)
);

-- Added after the first release (existing warehouses get them on connect).
-- source_status.resume: JSON list of report links a pass found but could not read (time limit).
ALTER TABLE source_status ADD COLUMN IF NOT EXISTS resume VARCHAR;
-- found_reports.readable: the report is on the page or a report file came with it.
ALTER TABLE found_reports ADD COLUMN IF NOT EXISTS readable BOOLEAN;
-- found_reports.old_format: a report for a year before 2019 (the format before the revised regulations).
ALTER TABLE found_reports ADD COLUMN IF NOT EXISTS old_format BOOLEAN;
