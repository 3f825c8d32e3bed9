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
    error       VARCHAR,
    -- additions
    pdf_engine  VARCHAR,              -- PDFs: the engine that read the text layer (pdfium / pdfplumber)
    pipeline_version VARCHAR          -- the code + spec version that read it (NULL: not read)
);
-- Warehouses created before the PDF engine and incremental ingest (issue 12) were recorded.
ALTER TABLE documents ADD COLUMN IF NOT EXISTS pdf_engine VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS pipeline_version VARCHAR;

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
    sections_found   JSON,                 -- section codes found, in order
    issuer_kind      VARCHAR,              -- government / department / township / other (cannot tell)
    issuer_basis     VARCHAR               -- the words of the report the kind was read from
);
-- Warehouses created before the issuer kind existed.
ALTER TABLE reports ADD COLUMN IF NOT EXISTS issuer_kind VARCHAR;
ALTER TABLE reports ADD COLUMN IF NOT EXISTS issuer_basis VARCHAR;

CREATE TABLE IF NOT EXISTS applications (
    report_id      VARCHAR NOT NULL,
    "row"          VARCHAR NOT NULL,
    applicant      VARCHAR NOT NULL,
    value          BIGINT,
    -- additions: provenance
    raw            VARCHAR,   -- the cell text as printed
    note           VARCHAR,   -- why the value is NULL, or how the text was read
    null_reason    VARCHAR,   -- the code of why the value is NULL (docs/warehouse.md); NULL when it is not
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
    value          DECIMAL(38, 10),  -- exactly as printed (fees have up to six decimals)
    unit           VARCHAR,
    raw            VARCHAR,
    note           VARCHAR,
    null_reason    VARCHAR,
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
    null_reason    VARCHAR,
    source_locator VARCHAR,
    source_page    INTEGER,
    source_table   INTEGER,
    source_row     INTEGER,
    source_col     INTEGER,
    PRIMARY KEY (report_id, proceeding, outcome)
);
-- Warehouses created before null_reason existed (their DECIMAL(18,4) columns are widened by store.py).
ALTER TABLE applications ADD COLUMN IF NOT EXISTS null_reason VARCHAR;
ALTER TABLE active_disclosure ADD COLUMN IF NOT EXISTS null_reason VARCHAR;
ALTER TABLE appeals ADD COLUMN IF NOT EXISTS null_reason VARCHAR;

CREATE TABLE IF NOT EXISTS check_results (
    report_id        VARCHAR NOT NULL,
    rule             VARCHAR NOT NULL,
    severity         VARCHAR NOT NULL,
    subject          VARCHAR,
    expected         DECIMAL(38, 10),
    actual           DECIMAL(38, 10),
    message          VARCHAR,
    -- additions
    seq              INTEGER NOT NULL,   -- order in which the checks reported it
    rule_description VARCHAR,            -- the rule as template.yaml states it
    evidence         JSON,               -- [{document, locator, page, table, row, col}, ...]
    fingerprint      VARCHAR,            -- rule, subject, numbers and cited cell values (review decisions)
    PRIMARY KEY (report_id, seq)
);
-- Warehouses created before review decisions existed.
ALTER TABLE check_results ADD COLUMN IF NOT EXISTS fingerprint VARCHAR;

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
-- Addition (schema 4): the note's details as codes and quoted labels; `detail` says the same in
-- Chinese (nianbao.normalize.notes). NULL in rows stored before.
ALTER TABLE structure_notes ADD COLUMN IF NOT EXISTS params JSON;

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
    n_flags          INTEGER,
    plan             JSON                -- files read by reason (new, pipeline_changed, ...) and skipped
);
ALTER TABLE runs ADD COLUMN IF NOT EXISTS plan JSON;

CREATE TABLE IF NOT EXISTS run_documents (
    run_id      VARCHAR NOT NULL,
    seq         INTEGER NOT NULL,   -- order in which results arrived
    source      VARCHAR NOT NULL,   -- the path this run read
    document_id VARCHAR NOT NULL,
    status      VARCHAR NOT NULL,
    error       VARCHAR,
    skip_reason VARCHAR,            -- NULL: read this run; 'unchanged': same bytes, same pipeline version
    PRIMARY KEY (run_id, seq)
);
ALTER TABLE run_documents ADD COLUMN IF NOT EXISTS skip_reason VARCHAR;

-- Addition (issue 4): the report's running text, paragraph by paragraph, with the section it is in
-- (preamble, overview … other_matters) and where it is: what TEXT_TABLE quotes and DUPLICATION compares.
CREATE TABLE IF NOT EXISTS narrative_blocks (
    report_id      VARCHAR NOT NULL,
    seq            INTEGER NOT NULL,
    section        VARCHAR,
    text           VARCHAR,
    source_locator VARCHAR,
    source_page    INTEGER,
    source_table   INTEGER,
    source_row     INTEGER,
    source_col     INTEGER,
    PRIMARY KEY (report_id, seq)
);

-- Addition (issue 4): MinHash LSH buckets of each report's narrative; two reports sharing a bucket
-- in some band are compared by DUPLICATION (nianbao.normalize.similarity).
CREATE TABLE IF NOT EXISTS narrative_buckets (
    report_id VARCHAR NOT NULL,
    band      INTEGER NOT NULL,
    bucket    BIGINT NOT NULL,
    PRIMARY KEY (report_id, band)
);

-- Addition (issue 4): supervisors' review decisions on flags (`nianbao review`). A decision is
-- kept apart from check_results, which every ingest rewrites. It applies to a flag of the same
-- agency and year (or the same report, when the agency is unknown), rule and subject, while the
-- flag's fingerprint (its numbers and the values of the cells it cites) is the one reviewed.
CREATE TABLE IF NOT EXISTS review_decisions (
    decision_key VARCHAR NOT NULL,   -- '<agency_id>/<year>', or 'report/<report_id>'
    rule         VARCHAR NOT NULL,
    subject      VARCHAR NOT NULL,
    fingerprint  VARCHAR NOT NULL,
    status       VARCHAR NOT NULL,   -- confirmed / dismissed
    note         VARCHAR,
    decided_at   TIMESTAMP NOT NULL,
    agency_id    VARCHAR,
    year         INTEGER,
    report_id    VARCHAR,            -- the report the decision was recorded on
    severity     VARCHAR,
    message      VARCHAR,            -- the flag as it read when reviewed
    PRIMARY KEY (decision_key, rule, subject, fingerprint)
);

-- Addition (issue 13): who recorded a decision (the web app asks for a reviewer name).
ALTER TABLE review_decisions ADD COLUMN IF NOT EXISTS reviewer VARCHAR;

-- Addition (issue 13): every decision recorded or undone, append-only: the history a supervisor
-- sees under a flag. review_decisions holds the decision in force; this table never loses one.
CREATE TABLE IF NOT EXISTS review_log (
    logged_at    TIMESTAMP NOT NULL,
    action       VARCHAR NOT NULL,   -- confirmed / dismissed / undone
    decision_key VARCHAR NOT NULL,
    rule         VARCHAR NOT NULL,
    subject      VARCHAR NOT NULL,
    fingerprint  VARCHAR NOT NULL,
    note         VARCHAR,
    reviewer     VARCHAR,
    report_id    VARCHAR,
    agency_id    VARCHAR,
    year         INTEGER,
    message      VARCHAR
);

-- Addition (issue 13): the warehouse's own registry of expected publishers (`nianbao registry
-- load FILE`): which agencies must publish a report for which years. `compare` reads only this.
CREATE TABLE IF NOT EXISTS expected_publishers (
    seq     INTEGER NOT NULL PRIMARY KEY,
    agency  VARCHAR NOT NULL,        -- the name as the registry writes it
    region  VARCHAR,
    years   VARCHAR,                 -- JSON list of years; NULL: every year
    origin  VARCHAR,                 -- the file it was loaded from
    loaded_at TIMESTAMP NOT NULL
);

-- Every flag that has a review decision, with it.
CREATE OR REPLACE VIEW flag_reviews AS
SELECT c.report_id, c.seq, d.status AS review_status, d.note AS review_note, d.decided_at
FROM check_results c
JOIN reports r USING (report_id)
JOIN review_decisions d
  ON d.rule = c.rule AND d.subject = c.subject
 -- rows written before fingerprints existed are keyed by their message
 AND d.fingerprint = coalesce(c.fingerprint, 'legacy:' || md5(coalesce(c.message, '')))
 AND d.decision_key = CASE WHEN r.agency_id IS NOT NULL AND r.year IS NOT NULL
                           THEN r.agency_id || '/' || CAST(r.year AS VARCHAR)
                           ELSE 'report/' || r.report_id END;

-- The flags still open: every check result but those a supervisor dismissed (confirmed ones stay,
-- with review_status 'confirmed'). nianbao compare reads this view.
CREATE OR REPLACE VIEW open_flags AS
SELECT c.*, f.review_status, f.review_note
FROM check_results c LEFT JOIN flag_reviews f USING (report_id, seq)
WHERE f.review_status IS DISTINCT FROM 'dismissed';

-- Addition (issue 15/16): the raw bytes of a file name that is not valid UTF-8 (source then holds
-- the printable form, each such byte written \xNN); NULL for every other name.
ALTER TABLE documents ADD COLUMN IF NOT EXISTS source_bytes BLOB;
