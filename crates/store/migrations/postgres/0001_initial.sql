-- Framewright schema, PostgreSQL. Ids are UUID text, times are milliseconds since the epoch.
-- Keep in step with ../sqlite/0001_initial.sql: same tables, columns and meaning.

CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE memberships (
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    FOREIGN KEY (org_id, user_id) REFERENCES memberships(org_id, user_id) ON DELETE CASCADE
);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    expires_at BIGINT,
    revoked_at BIGINT,
    FOREIGN KEY (org_id, user_id) REFERENCES memberships(org_id, user_id) ON DELETE CASCADE
);
CREATE INDEX api_tokens_owner ON api_tokens(org_id, user_id);

-- scope is an organisation id, or 'builtin' for catalogues shipped with Framewright.
CREATE TABLE catalogues (
    scope TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    licence TEXT NOT NULL,
    version TEXT,
    publisher TEXT,
    competency_count BIGINT NOT NULL,
    content TEXT NOT NULL,
    checksum TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT,
    PRIMARY KEY (scope, id)
);

CREATE TABLE catalogue_competencies (
    scope TEXT NOT NULL,
    catalogue_id TEXT NOT NULL,
    competency_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    search_text TEXT NOT NULL,
    grades TEXT NOT NULL,
    rank_current BIGINT,
    content TEXT NOT NULL,
    PRIMARY KEY (scope, catalogue_id, competency_id),
    FOREIGN KEY (scope, catalogue_id) REFERENCES catalogues(scope, id) ON DELETE CASCADE
);

CREATE TABLE frameworks (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    version TEXT NOT NULL,
    revision BIGINT NOT NULL,
    latest_release TEXT,
    next_review TEXT,
    next_major_update TEXT,
    created_at BIGINT NOT NULL,
    created_by TEXT,
    updated_at BIGINT NOT NULL,
    updated_by TEXT,
    UNIQUE (org_id, slug)
);

CREATE TABLE framework_revisions (
    framework_id TEXT NOT NULL REFERENCES frameworks(id) ON DELETE CASCADE,
    org_id TEXT NOT NULL,
    number BIGINT NOT NULL,
    content TEXT NOT NULL,
    message TEXT NOT NULL,
    author_id TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (framework_id, number)
);

CREATE TABLE releases (
    framework_id TEXT NOT NULL REFERENCES frameworks(id) ON DELETE CASCADE,
    org_id TEXT NOT NULL,
    version TEXT NOT NULL,
    revision BIGINT NOT NULL,
    notes TEXT,
    published_at BIGINT NOT NULL,
    published_by TEXT,
    PRIMARY KEY (framework_id, version)
);

CREATE TABLE replacements (
    framework_id TEXT NOT NULL REFERENCES frameworks(id) ON DELETE CASCADE,
    org_id TEXT NOT NULL,
    version TEXT NOT NULL,
    from_id TEXT NOT NULL,
    from_name TEXT NOT NULL,
    to_id TEXT NOT NULL,
    PRIMARY KEY (framework_id, version, from_id, to_id)
);

CREATE TABLE comments (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    framework_id TEXT NOT NULL REFERENCES frameworks(id) ON DELETE CASCADE,
    revision BIGINT,
    author_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX comments_framework ON comments(framework_id, created_at);

CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    actor_id TEXT,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX audit_log_org ON audit_log(org_id, created_at);
