//! `framewright serve`: runs the workspace server (REST API, documentation, web pages) on this
//! computer, keeping its data in a folder (SQLite) or in a PostgreSQL database.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use framewright_server::Settings;
use framewright_store::Location;

/// Start the Framewright server.
///
/// The server keeps frameworks, catalogues, accounts and their history in a data folder
/// (created on first start) or, with --database-url, in PostgreSQL. On the very first start it
/// prints a one-time link: open it in a browser to create the owner account. Stop the server
/// with Ctrl-C.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Port to listen on.
    #[arg(long, default_value_t = 8080)]
    pub port: u16,

    /// Network address to listen on. 127.0.0.1 keeps the server private to this computer;
    /// 0.0.0.0 lets other computers on the network reach it.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,

    /// Folder for the built-in database (SQLite); created on first start.
    #[arg(
        long,
        value_name = "DIR",
        default_value = "./framewright-data",
        env = "FRAMEWRIGHT_DATA_DIR"
    )]
    pub data_dir: PathBuf,

    /// Keep the data in this PostgreSQL database instead of the data folder, for example
    /// postgres://framewright@db.example.org/framewright.
    #[arg(long, value_name = "URL", env = "FRAMEWRIGHT_DATABASE_URL")]
    pub database_url: Option<String>,

    /// The address people use to reach the server (for the set-up link), for example
    /// https://frameworks.example.org. A https:// address also marks the sign-in cookie
    /// Secure.
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,

    /// Match competencies by words only, even when a sentence-embedding model is installed
    /// (by default the server loads it at start-up: see `framewright models`).
    #[arg(long)]
    pub no_semantic: bool,

    /// Limits on imports, catalogues and frameworks.
    #[command(flatten)]
    pub limits: crate::cmd::limits::LimitArgs,

    /// Timeouts, the connection cap and the heavy-work pool.
    #[command(flatten)]
    pub connections: ServeLimits,
}

/// Timeouts, the connection cap and the heavy-work pool (docs/server.md, "Timeouts and
/// concurrency").
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Timeouts and concurrency")]
pub struct ServeLimits {
    /// Open connections at most; further ones are answered 503 and closed.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 512,
        env = "FRAMEWRIGHT_MAX_CONNECTIONS"
    )]
    pub max_connections: usize,

    /// Seconds a client has to send a request's headers.
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout: u64,

    /// Seconds a client has to send a request's body, once the headers are in.
    #[arg(long, value_name = "SECONDS", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..))]
    pub body_timeout: u64,

    /// Seconds an open connection may sit idle between requests before it is closed.
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout: u64,

    /// Seconds the server may take to answer a request before answering 503.
    #[arg(long, value_name = "SECONDS", default_value_t = 180, value_parser = clap::value_parser!(u64).range(1..))]
    pub request_timeout: u64,

    /// Heavy jobs (lint, imports, statistics, exports, drafts) running at once; by default the
    /// number of processor cores (at least 2).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..1024))]
    pub heavy_workers: Option<u64>,

    /// Heavy jobs one organisation may run at once; by default one fewer than --heavy-workers
    /// (at least 1).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..1024))]
    pub heavy_per_organisation: Option<u64>,

    /// Seconds a heavy job may wait for a free worker before the request is answered 503.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub heavy_queue_wait: u64,

    /// Seconds a heavy job may run before the request is answered 504.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub heavy_time_budget: u64,
}

impl ServeLimits {
    /// The server's connection limits and heavy-work pool from the options.
    pub fn settings(
        &self,
    ) -> (
        framewright_server::ConnectionLimits,
        framewright_server::heavy::HeavyLimits,
    ) {
        use std::time::Duration;
        let connections = framewright_server::ConnectionLimits {
            max_connections: self.max_connections.max(1),
            header_read_timeout: Duration::from_secs(self.header_timeout),
            body_timeout: Duration::from_secs(self.body_timeout),
            idle_timeout: Duration::from_secs(self.idle_timeout),
            request_timeout: Duration::from_secs(self.request_timeout),
        };
        let defaults = framewright_server::heavy::HeavyLimits::default();
        let workers = self
            .heavy_workers
            .map_or(defaults.workers, |n| usize::try_from(n).unwrap_or(1));
        let per_organisation = self.heavy_per_organisation.map_or_else(
            || workers.saturating_sub(1).max(1),
            |n| usize::try_from(n).unwrap_or(1),
        );
        let heavy = framewright_server::heavy::HeavyLimits {
            workers,
            per_organisation,
            queue_wait: Duration::from_secs(self.heavy_queue_wait),
            time_budget: Duration::from_secs(self.heavy_time_budget),
        };
        (connections, heavy)
    }
}

/// Where the data lives, from `--database-url` or `--data-dir`.
pub fn location(
    data_dir: &std::path::Path,
    database_url: Option<&str>,
) -> anyhow::Result<Location> {
    match database_url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Ok(Location::Postgres(url.to_string()))
        }
        Some(url) => anyhow::bail!(
            "--database-url must be a PostgreSQL address (postgres://…); `{}` is not",
            url.split('@').next_back().unwrap_or(url)
        ),
        None => Ok(Location::DataDir(data_dir.to_path_buf())),
    }
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(serve(args))
}

async fn serve(args: Args) -> anyhow::Result<ExitCode> {
    let _ = tracing_subscriber::fmt().with_target(false).try_init();
    let location = location(&args.data_dir, args.database_url.as_deref())?;
    let store = framewright_store::open(&location)
        .await
        .with_context(|| match &location {
            Location::DataDir(dir) => format!("cannot open the data folder {}", dir.display()),
            Location::Postgres(_) => "cannot open the PostgreSQL database".to_string(),
        })?;
    // 0.0.0.0 means "every address": a browser on this computer reaches it as 127.0.0.1.
    let shown_host = if args.bind.is_unspecified() {
        IpAddr::from([127, 0, 0, 1])
    } else {
        args.bind
    };
    let (connections, heavy) = args.connections.settings();
    let address = SocketAddr::new(args.bind, args.port);
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .with_context(|| {
            format!("cannot listen on {address} (is another program using the port? try --port)")
        })?;
    let local = listener.local_addr().context("no local address")?;
    let local = SocketAddr::new(shown_host, local.port());
    let public_url = args
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{local}"));
    let settings = Settings {
        public_url: Some(public_url.clone()),
        secure_cookies: args
            .public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://")),
        onet_ratings: framewright_interop::catalogue::onet_ratings::installed(&args.data_dir)
            .with_context(|| format!("reading the O*NET ratings in {}", args.data_dir.display()))?,
        semantic: !args.no_semantic,
        limits: args.limits.limits(),
        heavy,
        connections: connections.clone(),
        ..Settings::default()
    };
    let app = framewright_server::build(store, settings)
        .await
        .context("cannot prepare the server")?;
    match &location {
        Location::DataDir(dir) => println!("Framewright is keeping its data in {}", dir.display()),
        Location::Postgres(_) => println!("Framewright is keeping its data in PostgreSQL"),
    }
    println!(
        "Framewright is running at http://{local}/  (API documentation: http://{local}/api/docs/)"
    );
    if let Some(token) = &app.setup_token {
        println!();
        println!("No account exists yet. Open this link once to create the owner account:");
        println!();
        println!(
            "    {}/setup?token={token}",
            public_url.trim_end_matches('/')
        );
        println!();
        println!("(The link works until the account is created; a restart prints a new one.)");
    }
    println!("Press Ctrl-C to stop.");
    framewright_server::serve(listener, app.router, &connections)
        .await
        .context("the server stopped with an error")?;
    Ok(ExitCode::SUCCESS)
}
