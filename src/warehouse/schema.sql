-- The nianbao warehouse: the tables of shared/spec/warehouse.md (a public interface: keep the
-- names and meanings stable) plus the additions documented in README.md.
-- Every statement is idempotent; store.py runs this file on every write session.
-- No foreign keys on purpose: a re-ingest deletes and re-inserts a document's rows in one
-- transaction, which DuckDB's foreign-key checks do not allow. The keys are:
--   documents.document_id <- reports.document_id <- (applications | active_disclosure | appeals
--   | check_results | structure_notes).report_id;  agencies.agency_id <- reports.agency_id.

CREATE TABLE IF NOT EXISTS schema_version (
    version     INTEGER NOT NULL,
    applied_at  TIMESTAMP NOT NULL,
    description VARCHAR
);

CREATE TABLE IF NOT EXISTS agencies (
    agency_id   VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    province    VARCHAR,
    city        VARCHAR,
    county      VARCHAR,
    region_code VARCHAR,
    level       VARCHAR,
    category    VARCHAR
);

CREATE TABLE IF NOT EXISTS documents (
    document_id VARCHAR PRIMARY KEY,  -- sha256 of the bytes
    source      VARCHAR,              -- where it was first seen (URL or local path)
    format      VARCHAR,
    fetched_at  TIMESTAMP,            -- first seen; kept on re-ingest
    size_bytes  BIGINT,
    status      VARCHAR NOT NULL,     -- ok / partial / failed / unsupported / not_a_report
    error       VARCHAR
);

CREATE TABLE IF NOT EXISTS reports (
    report_id        VARCHAR PRIMARY KEY,  -- 'rp_' + document_id[:16]
    document_id      VARCHAR NOT NULL,
    agency_id        VARCHAR,              -- NULL when the agency could not be read
    year             INTEGER,
    title            VARCHAR,
    template_version VARCHAR,              -- v2019 / v2021 / unknown
    published_on     DATE,
    is_current       BOOLEAN NOT NULL,
    -- additions
    agency_name      VARCHAR,              -- the agency as the normalizer read it (before resolution)
    agency_in_title  VARCHAR,              -- the agency as the title names it
    signed_on        DATE,                 -- the date under the signature (成文日期)
    status           VARCHAR NOT NULL,     -- ok / partial: could every table be read whole
    status_reason    VARCHAR,
    version_evidence JSON,                 -- {part: version seen there}
    sections_found   JSON                  -- section codes found, in order
);

CREATE TABLE IF NOT EXISTS applications (
    report_id      VARCHAR NOT NULL,
    "row"          VARCHAR NOT NULL,
    applicant      VARCHAR NOT NULL,
    value          BIGINT,
    -- additions: provenance
    raw            VARCHAR,   -- the cell text as printed
    note           VARCHAR,   -- why the value is NULL, or how the text was read
    source_locator VARCHAR,   -- element path (HTML), 'line N' (text), 'page N' (PDF)
    source_page    INTEGER,   -- 1-based
    source_table   INTEGER,   -- 0-based, in document order
    source_row     INTEGER,   -- 0-based grid row
    source_col     INTEGER,   -- 0-based grid column
    PRIMARY KEY (report_id, "row", applicant)
);

CREATE TABLE IF NOT EXISTS active_disclosure (
    report_id      VARCHAR NOT NULL,
    item           VARCHAR NOT NULL,
    "row"          VARCHAR NOT NULL,
    metric         VARCHAR NOT NULL,
    value          DECIMAL(18, 4),
    unit           VARCHAR,
    raw            VARCHAR,
    note           VARCHAR,
    source_locator VARCHAR,
    source_page    INTEGER,
    source_table   INTEGER,
    source_row     INTEGER,
    source_col     INTEGER,
    PRIMARY KEY (report_id, item, "row", metric)
);

CREATE TABLE IF NOT EXISTS appeals (
    report_id      VARCHAR NOT NULL,
    proceeding     VARCHAR NOT NULL,
    outcome        VARCHAR NOT NULL,
    value          BIGINT,
    raw            VARCHAR,
    note           VARCHAR,
    source_locator VARCHAR,
    source_page    INTEGER,
    source_table   INTEGER,
    source_row     INTEGER,
    source_col     INTEGER,
    PRIMARY KEY (report_id, proceeding, outcome)
);

CREATE TABLE IF NOT EXISTS check_results (
    report_id        VARCHAR NOT NULL,
    rule             VARCHAR NOT NULL,
    severity         VARCHAR NOT NULL,
    subject          VARCHAR,
    expected         DECIMAL(18, 4),
    actual           DECIMAL(18, 4),
    message          VARCHAR,
    -- additions
    seq              INTEGER NOT NULL,   -- order in which the checks reported it
    rule_description VARCHAR,            -- the rule as template.yaml states it
    evidence         JSON,               -- [{document, locator, page, table, row, col}, ...]
    PRIMARY KEY (report_id, seq)
);

-- Addition: what the normalizer noticed about the document's structure (extra rows, missing
-- sections, headings without tables...).
CREATE TABLE IF NOT EXISTS structure_notes (
    report_id      VARCHAR NOT NULL,
    seq            INTEGER NOT NULL,
    section        VARCHAR,
    kind           VARCHAR,
    detail         VARCHAR,
    source_locator VARCHAR,
    source_page    INTEGER,
    source_table   INTEGER,
    source_row     INTEGER,
    source_col     INTEGER,
    PRIMARY KEY (report_id, seq)
);

-- Addition: one row per ingest run, and which files it saw. These two tables grow with every
-- run; the data tables above do not change when the same documents are ingested again.
CREATE TABLE IF NOT EXISTS runs (
    run_id           VARCHAR PRIMARY KEY,
    started_at       TIMESTAMP NOT NULL,
    finished_at      TIMESTAMP,          -- NULL: the run did not finish
    orchestrator     VARCHAR,            -- prefect / plain
    flow_run_id      VARCHAR,            -- the Prefect flow run, when there is one
    workers          INTEGER,
    paths            JSON,               -- the paths the run was given
    n_documents      INTEGER,            -- files processed
    n_ok             INTEGER,
    n_partial        INTEGER,
    n_failed         INTEGER,
    n_unsupported    INTEGER,
    n_not_a_report   INTEGER,
    n_reports        INTEGER,
    n_flags          INTEGER
);

CREATE TABLE IF NOT EXISTS run_documents (
    run_id      VARCHAR NOT NULL,
    seq         INTEGER NOT NULL,   -- order in which results arrived
    source      VARCHAR NOT NULL,   -- the path this run read
    document_id VARCHAR NOT NULL,
    status      VARCHAR NOT NULL,
    error       VARCHAR,
    PRIMARY KEY (run_id, seq)
);
