//! The pool for CPU-heavy work: lint, catalogue imports, statistics, exports and generation run
//! here, on blocking threads, never on the async threads that answer requests. The pool is
//! bounded (a number of workers, and a number per organisation) and every job has a time
//! budget, so that a few large requests cannot keep `/healthz` or anyone else waiting:
//!
//! - a job waits at most [`HeavyLimits::queue_wait`] for a worker, then is answered 503
//!   `server-busy` (with `Retry-After`);
//! - a job that runs longer than [`HeavyLimits::time_budget`] is answered 504 `time-budget`.
//!   Its thread cannot be stopped: it finishes in the background and keeps its worker until
//!   then (so the pool never runs more than its size), and its result is dropped. The jobs
//!   only compute; nothing is stored until they return, so nothing is half-written.
//!
//! Every heavy handler goes through [`HeavyPool::run`] (reached as `state.heavy()`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use uuid::Uuid;

use crate::problem::Problem;

/// Size and time limits of the heavy-work pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeavyLimits {
    /// Heavy jobs running at once, in the whole server (at least 1).
    pub workers: usize,
    /// Heavy jobs running at once for one organisation (at least 1); further jobs of that
    /// organisation wait, so one organisation cannot take every worker.
    pub per_organisation: usize,
    /// How long a job may wait for a worker before it is answered 503.
    pub queue_wait: Duration,
    /// How long a job may run before it is answered 504.
    pub time_budget: Duration,
}

impl Default for HeavyLimits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let workers = cores.max(2);
        HeavyLimits {
            workers,
            per_organisation: (workers - 1).max(1),
            queue_wait: Duration::from_secs(10),
            time_budget: Duration::from_secs(60),
        }
    }
}

/// The pool: one per server.
#[derive(Debug)]
pub struct HeavyPool {
    limits: HeavyLimits,
    workers: Arc<Semaphore>,
    organisations: Mutex<HashMap<Uuid, Arc<Semaphore>>>,
}

impl HeavyPool {
    /// A pool with `limits` (sizes of zero count as one).
    pub fn new(limits: HeavyLimits) -> HeavyPool {
        let limits = HeavyLimits {
            workers: limits.workers.max(1),
            per_organisation: limits.per_organisation.max(1),
            ..limits
        };
        HeavyPool {
            workers: Arc::new(Semaphore::new(limits.workers)),
            organisations: Mutex::new(HashMap::new()),
            limits,
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> &HeavyLimits {
        &self.limits
    }

    /// Jobs running now (including jobs past their budget that have not finished).
    pub fn busy(&self) -> usize {
        self.limits
            .workers
            .saturating_sub(self.workers.available_permits())
    }

    fn organisation(&self, org: Uuid) -> Arc<Semaphore> {
        let mut map = self
            .organisations
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.entry(org)
            .or_insert_with(|| Arc::new(Semaphore::new(self.limits.per_organisation)))
            .clone()
    }

    /// Runs `job` on a worker for `org` (none: not counted against an organisation) and
    /// returns its result; `what` names the work in the answers ("the lint", "the import").
    pub async fn run<T, F>(&self, org: Option<Uuid>, what: &str, job: F) -> Result<T, Problem>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let deadline = Instant::now() + self.limits.queue_wait;
        let own: Option<OwnedSemaphorePermit> = match org {
            Some(org) => Some(self.acquire(self.organisation(org), deadline, what).await?),
            None => None,
        };
        let worker = self.acquire(self.workers.clone(), deadline, what).await?;
        let handle = tokio::task::spawn_blocking(move || {
            // The permits go when the job ends, not when its answer is given up on.
            let _permits = (worker, own);
            job()
        });
        match tokio::time::timeout(self.limits.time_budget, handle).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => {
                tracing::error!(error = %e, "{what} failed on a worker");
                Err(Problem::internal())
            }
            Err(_) => {
                tracing::warn!(
                    "{what} ran past its time budget of {} s",
                    self.limits.time_budget.as_secs_f64()
                );
                Err(too_long(what, self.limits.time_budget))
            }
        }
    }

    async fn acquire(
        &self,
        semaphore: Arc<Semaphore>,
        deadline: Instant,
        what: &str,
    ) -> Result<OwnedSemaphorePermit, Problem> {
        match tokio::time::timeout_at(deadline, semaphore.acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            // The semaphores are never closed.
            Ok(Err(_)) => Err(Problem::internal()),
            Err(_) => Err(busy(what)),
        }
    }
}

/// 503: no worker became free in time.
pub fn busy(what: &str) -> Problem {
    let mut p = Problem::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "server-busy",
        "Server busy",
        format!(
            "the server is already doing as much heavy work (checks, imports, statistics, exports, drafts) as it is set to, so {what} could not start; nothing was changed, try again in a few seconds"
        ),
    );
    p.retry_after = Some(5);
    p
}

/// 504: the job ran past the time budget.
pub fn too_long(what: &str, budget: Duration) -> Problem {
    Problem::new(
        StatusCode::GATEWAY_TIMEOUT,
        "time-budget",
        "Took too long",
        format!(
            "{what} took longer than the {} seconds this server allows; nothing was changed. Try a smaller input, or ask your administrator to raise the time budget",
            crate::serve::seconds(budget)
        ),
    )
}
