-- Job analysis (issue 7), SQLite. Keep in step with ../postgres/0002_job_analysis.sql.
-- Every row carries org_id and every query names it. Times are milliseconds since the epoch.

CREATE TABLE job_analyses (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    framework_id TEXT REFERENCES frameworks(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    grade TEXT,
    status TEXT NOT NULL,
    job TEXT NOT NULL,
    parameters TEXT NOT NULL,
    blueprint TEXT,
    category_rating TEXT,
    created_at INTEGER NOT NULL,
    created_by TEXT,
    updated_at INTEGER NOT NULL,
    closed_at INTEGER,
    closed_by TEXT
);
CREATE INDEX job_analyses_org ON job_analyses(org_id, created_at);

CREATE TABLE ja_smes (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    analysis_id TEXT NOT NULL REFERENCES job_analyses(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    qualifications TEXT,
    token_hash TEXT UNIQUE,
    created_at INTEGER NOT NULL,
    responded_at INTEGER,
    UNIQUE (analysis_id, label)
);
CREATE INDEX ja_smes_org ON ja_smes(org_id, analysis_id);

CREATE TABLE ja_task_ratings (
    analysis_id TEXT NOT NULL REFERENCES job_analyses(id) ON DELETE CASCADE,
    org_id TEXT NOT NULL,
    sme TEXT NOT NULL,
    task_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    importance INTEGER,
    frequency INTEGER,
    PRIMARY KEY (analysis_id, sme, task_id)
);

CREATE TABLE ja_competency_ratings (
    analysis_id TEXT NOT NULL REFERENCES job_analyses(id) ON DELETE CASCADE,
    org_id TEXT NOT NULL,
    sme TEXT NOT NULL,
    competency_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    importance INTEGER,
    needed_at_entry INTEGER,
    distinguishing_value INTEGER,
    PRIMARY KEY (analysis_id, sme, competency_id)
);

CREATE TABLE ja_linkage (
    analysis_id TEXT NOT NULL REFERENCES job_analyses(id) ON DELETE CASCADE,
    org_id TEXT NOT NULL,
    sme TEXT NOT NULL,
    task_id TEXT NOT NULL,
    competency_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    linked INTEGER NOT NULL,
    PRIMARY KEY (analysis_id, sme, task_id, competency_id)
);

CREATE TABLE ja_cut_scores (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    analysis_id TEXT NOT NULL REFERENCES job_analyses(id) ON DELETE CASCADE,
    assessment TEXT NOT NULL,
    record TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at INTEGER NOT NULL
);
CREATE INDEX ja_cut_scores_analysis ON ja_cut_scores(org_id, analysis_id, set_at);

CREATE TABLE ja_applicants (
    analysis_id TEXT NOT NULL REFERENCES job_analyses(id) ON DELETE CASCADE,
    org_id TEXT NOT NULL,
    applicant_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    scores TEXT NOT NULL,
    category TEXT,
    PRIMARY KEY (analysis_id, applicant_id)
);
