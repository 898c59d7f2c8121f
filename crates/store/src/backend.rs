//! The one SQL store: [`SqlStore`], generic over the database, and the [`Backend`] trait that
//! names what differs between SQLite and PostgreSQL (the migrations and two locks). The
//! [`Store`] and [`JobAnalysisStore`] traits are implemented here once, by delegating each
//! method to the function in its area's module (`accounts`, `tokens`, `catalogues`,
//! `frameworks`, `review`, `audit`, `job_analysis`), where the SQL lives.
//!
//! Each store has a `read` pool and a `write` pool: for SQLite the write pool has one
//! connection, so writers queue instead of failing with "database is locked"; for PostgreSQL
//! both are the same pool.

use async_trait::async_trait;
use framewright_hiring::AnalysisParameters;
use framewright_hiring::survey::{JobAnalysis, Ratings, SmeResponse};
use framewright_model::{Catalogue, Competency, Framework};
use sqlx::Pool;
use uuid::Uuid;

use crate::db::Conn;
use crate::job_analysis::{
    ApplicantRecord, CutScore, JobAnalysisRecord, JobAnalysisSummary, NewJobAnalysis, NewSme,
    SmeRecord, SurveyAccess, analyses, hiring, responses,
};
use crate::migrate::Migration;
use crate::*;

/// What the shared SQL needs to know about one database.
pub(crate) trait Backend: sqlx::Database<Connection: Conn> {
    /// `sqlite` or `postgres`.
    const LABEL: &'static str;
    /// Its schema migrations.
    const MIGRATIONS: &'static [Migration];
    /// A statement that makes the first-owner check exclusive, when one is needed.
    const SETUP_LOCK: Option<&'static str>;
    /// Statements that take and release a lock around migrations, so that two servers
    /// starting at once do not both apply them, when one is needed.
    const MIGRATE_LOCK: Option<(&'static str, &'static str)>;
}

/// The store on an SQL database: [`sqlite::SqliteStore`] or [`postgres::PgStore`].
#[derive(Debug)]
pub struct SqlStore<DB: sqlx::Database> {
    pub(crate) read: Pool<DB>,
    pub(crate) write: Pool<DB>,
}

impl<DB: sqlx::Database> Clone for SqlStore<DB> {
    fn clone(&self) -> Self {
        SqlStore {
            read: self.read.clone(),
            write: self.write.clone(),
        }
    }
}

#[async_trait]
impl<DB: Backend> Store for SqlStore<DB> {
    fn backend(&self) -> &'static str {
        DB::LABEL
    }

    async fn count_users(&self) -> StoreResult<i64> {
        accounts::count_users(self).await
    }

    async fn setup_first_owner(&self, setup: NewAccount) -> StoreResult<(Organisation, User)> {
        accounts::setup_first_owner(self, setup).await
    }

    async fn admin_create_user(
        &self,
        account: NewAccount,
        role: Role,
    ) -> StoreResult<(Organisation, User)> {
        accounts::admin_create_user(self, account, role).await
    }

    async fn find_credentials(&self, email: &str) -> StoreResult<Option<Credentials>> {
        accounts::find_credentials(self, email).await
    }

    async fn memberships(&self, user: Uuid) -> StoreResult<Vec<Membership>> {
        accounts::memberships(self, user).await
    }

    async fn organisation(&self, org: Uuid) -> StoreResult<Option<Organisation>> {
        accounts::organisation(self, org).await
    }

    async fn list_members(&self, org: Uuid, page: PageRequest) -> StoreResult<Paged<Member>> {
        accounts::list_members(self, org, page).await
    }

    async fn add_member(&self, org: Uuid, actor: Uuid, member: NewMember) -> StoreResult<Member> {
        accounts::add_member(self, org, actor, member).await
    }

    async fn set_member_role(
        &self,
        org: Uuid,
        actor: Uuid,
        user: Uuid,
        role: Role,
    ) -> StoreResult<Member> {
        accounts::set_member_role(self, org, actor, user, role).await
    }

    async fn remove_member(&self, org: Uuid, actor: Uuid, user: Uuid) -> StoreResult<()> {
        accounts::remove_member(self, org, actor, user).await
    }

    async fn create_session(&self, session: NewSession) -> StoreResult<()> {
        accounts::create_session(self, session).await
    }

    async fn session(&self, id_hash: &str, now: i64) -> StoreResult<Option<SessionPrincipal>> {
        accounts::session(self, id_hash, now).await
    }

    async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
        accounts::delete_session(self, id_hash).await
    }

    async fn purge_expired_sessions(&self, now: i64) -> StoreResult<u64> {
        accounts::purge_expired_sessions(self, now).await
    }

    async fn create_token(&self, token: NewApiToken) -> StoreResult<ApiToken> {
        tokens::create_token(self, token).await
    }

    async fn list_tokens(&self, org: Uuid, user: Uuid) -> StoreResult<Vec<ApiToken>> {
        tokens::list_tokens(self, org, user).await
    }

    async fn revoke_token(&self, org: Uuid, user: Uuid, token: Uuid, now: i64) -> StoreResult<()> {
        tokens::revoke_token(self, org, user, token, now).await
    }

    async fn token(&self, token_hash: &str, now: i64) -> StoreResult<Option<TokenPrincipal>> {
        tokens::token(self, token_hash, now).await
    }

    async fn touch_token(&self, token: Uuid, now: i64) -> StoreResult<()> {
        tokens::touch_token(self, token, now).await
    }

    async fn upsert_builtin_catalogue(&self, catalogue: &Catalogue) -> StoreResult<bool> {
        catalogues::upsert_builtin_catalogue(self, catalogue).await
    }

    async fn import_catalogue(
        &self,
        org: Uuid,
        actor: Uuid,
        catalogue: &Catalogue,
    ) -> StoreResult<CatalogueSummary> {
        catalogues::import_catalogue(self, org, actor, catalogue).await
    }

    async fn list_catalogues(
        &self,
        org: Uuid,
        page: PageRequest,
    ) -> StoreResult<Paged<CatalogueSummary>> {
        catalogues::list_catalogues(self, org, page).await
    }

    async fn catalogue(&self, org: Uuid, id: &str) -> StoreResult<Option<Catalogue>> {
        catalogues::catalogue(self, org, id).await
    }

    async fn delete_catalogue(&self, org: Uuid, actor: Uuid, id: &str) -> StoreResult<()> {
        catalogues::delete_catalogue(self, org, actor, id).await
    }

    async fn search_competencies(
        &self,
        org: Uuid,
        query: &CompetencyQuery,
        page: PageRequest,
    ) -> StoreResult<Paged<CompetencyHit>> {
        catalogues::search_competencies(self, org, query, page).await
    }

    async fn competency(
        &self,
        org: Uuid,
        catalogue: &str,
        id: &str,
    ) -> StoreResult<Option<Competency>> {
        catalogues::competency(self, org, catalogue, id).await
    }

    async fn create_framework(
        &self,
        org: Uuid,
        actor: Uuid,
        framework: &Framework,
        message: &str,
    ) -> StoreResult<FrameworkRecord> {
        frameworks::create_framework(self, org, actor, framework, message).await
    }

    async fn list_frameworks(
        &self,
        org: Uuid,
        filter: &FrameworkFilter,
        page: PageRequest,
    ) -> StoreResult<Paged<FrameworkSummary>> {
        frameworks::list_frameworks(self, org, filter, page).await
    }

    async fn framework(&self, org: Uuid, id: Uuid) -> StoreResult<Option<FrameworkRecord>> {
        frameworks::framework(self, org, id).await
    }

    async fn save_revision(
        &self,
        org: Uuid,
        actor: Uuid,
        id: Uuid,
        expected: Option<i64>,
        framework: &Framework,
        message: &str,
    ) -> StoreResult<FrameworkRecord> {
        frameworks::save_revision(self, org, actor, id, expected, framework, message).await
    }

    async fn delete_framework(
        &self,
        org: Uuid,
        actor: Uuid,
        id: Uuid,
        expected: Option<i64>,
    ) -> StoreResult<()> {
        frameworks::delete_framework(self, org, actor, id, expected).await
    }

    async fn list_revisions(
        &self,
        org: Uuid,
        id: Uuid,
        page: PageRequest,
    ) -> StoreResult<Paged<RevisionSummary>> {
        frameworks::list_revisions(self, org, id, page).await
    }

    async fn revision(&self, org: Uuid, id: Uuid, number: i64) -> StoreResult<Option<Revision>> {
        frameworks::revision(self, org, id, number).await
    }

    async fn publish(
        &self,
        org: Uuid,
        actor: Uuid,
        id: Uuid,
        expected: Option<i64>,
        framework: &Framework,
        release: &NewRelease,
    ) -> StoreResult<(FrameworkRecord, Release)> {
        frameworks::publish(self, org, actor, id, expected, framework, release).await
    }

    async fn list_releases(&self, org: Uuid, id: Uuid) -> StoreResult<Vec<Release>> {
        frameworks::list_releases(self, org, id).await
    }

    async fn add_comment(
        &self,
        org: Uuid,
        actor: Uuid,
        framework: Uuid,
        comment: &NewComment,
    ) -> StoreResult<Comment> {
        review::add_comment(self, org, actor, framework, comment).await
    }

    async fn list_comments(
        &self,
        org: Uuid,
        framework: Uuid,
        page: PageRequest,
    ) -> StoreResult<Paged<Comment>> {
        review::list_comments(self, org, framework, page).await
    }

    async fn list_audit(&self, org: Uuid, page: PageRequest) -> StoreResult<Paged<AuditEntry>> {
        audit::list_audit(self, org, page).await
    }
}

#[async_trait]
impl<DB: Backend> JobAnalysisStore for SqlStore<DB> {
    async fn create_job_analysis(
        &self,
        org: Uuid,
        actor: Uuid,
        new: &NewJobAnalysis,
    ) -> StoreResult<JobAnalysisRecord> {
        analyses::create_job_analysis(self, org, actor, new).await
    }

    async fn list_job_analyses(
        &self,
        org: Uuid,
        page: PageRequest,
    ) -> StoreResult<Paged<JobAnalysisSummary>> {
        analyses::list_job_analyses(self, org, page).await
    }

    async fn job_analysis(&self, org: Uuid, id: Uuid) -> StoreResult<Option<JobAnalysisRecord>> {
        analyses::job_analysis(self, org, id).await
    }

    async fn delete_job_analysis(&self, org: Uuid, actor: Uuid, id: Uuid) -> StoreResult<()> {
        analyses::delete_job_analysis(self, org, actor, id).await
    }

    async fn update_job_analysis(
        &self,
        org: Uuid,
        actor: Uuid,
        id: Uuid,
        job: &JobAnalysis,
        parameters: &AnalysisParameters,
    ) -> StoreResult<JobAnalysisRecord> {
        analyses::update_job_analysis(self, org, actor, id, job, parameters).await
    }

    async fn add_smes(
        &self,
        org: Uuid,
        actor: Uuid,
        id: Uuid,
        smes: &[NewSme],
    ) -> StoreResult<Vec<SmeRecord>> {
        analyses::add_smes(self, org, actor, id, smes).await
    }

    async fn list_smes(&self, org: Uuid, id: Uuid) -> StoreResult<Vec<SmeRecord>> {
        analyses::list_smes(self, org, id).await
    }

    async fn survey_by_token(&self, token_hash: &str) -> StoreResult<Option<SurveyAccess>> {
        analyses::survey_by_token(self, token_hash).await
    }

    async fn save_response(&self, org: Uuid, id: Uuid, response: &SmeResponse) -> StoreResult<()> {
        responses::save_response(self, org, id, response).await
    }

    async fn import_ratings(
        &self,
        org: Uuid,
        actor: Uuid,
        id: Uuid,
        ratings: &Ratings,
    ) -> StoreResult<()> {
        responses::import_ratings(self, org, actor, id, ratings).await
    }

    async fn ratings(&self, org: Uuid, id: Uuid) -> StoreResult<Ratings> {
        responses::ratings(self, org, id).await
    }

    async fn close_survey(
        &self,
        org: Uuid,
        actor: Uuid,
        id: Uuid,
    ) -> StoreResult<JobAnalysisRecord> {
        responses::close_survey(self, org, actor, id).await
    }

    async fn set_blueprint(
        &self,
        org: Uuid,
        actor: Uuid,
        id: Uuid,
        blueprint: &serde_json::Value,
    ) -> StoreResult<()> {
        hiring::set_blueprint(self, org, actor, id, blueprint).await
    }

    async fn add_cut_score(
        &self,
        org: Uuid,
        actor: Uuid,
        id: Uuid,
        assessment: &str,
        record: &serde_json::Value,
    ) -> StoreResult<CutScore> {
        hiring::add_cut_score(self, org, actor, id, assessment, record).await
    }

    async fn list_cut_scores(&self, org: Uuid, id: Uuid) -> StoreResult<Vec<CutScore>> {
        hiring::list_cut_scores(self, org, id).await
    }

    async fn set_applicants(
        &self,
        org: Uuid,
        actor: Uuid,
        id: Uuid,
        applicants: &[ApplicantRecord],
    ) -> StoreResult<()> {
        hiring::set_applicants(self, org, actor, id, applicants).await
    }

    async fn applicants(&self, org: Uuid, id: Uuid) -> StoreResult<Vec<ApplicantRecord>> {
        hiring::applicants(self, org, id).await
    }

    async fn set_categories(
        &self,
        org: Uuid,
        actor: Uuid,
        id: Uuid,
        placements: &[(String, Option<String>)],
        rating: &serde_json::Value,
    ) -> StoreResult<()> {
        hiring::set_categories(self, org, actor, id, placements, rating).await
    }
}
