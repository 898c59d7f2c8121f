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
    framewright_server::serve(listener, app.router)
        .await
        .context("the server stopped with an error")?;
    Ok(ExitCode::SUCCESS)
}
