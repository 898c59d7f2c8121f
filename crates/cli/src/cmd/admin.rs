//! `framewright admin`: server administration from the command line, for scripts and for
//! people who manage the server (create accounts without the web interface).

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use framewright_store::{NewAccount, Role};

/// Manage the server's accounts from the command line.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

/// Administration commands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create an account (or reuse the one with this email) and make it a member of an
    /// organisation, creating the organisation when it does not exist.
    ///
    /// The password is read from the first line of standard input with --password-stdin, or
    /// from the FRAMEWRIGHT_PASSWORD environment variable; with neither, a random password is
    /// made and printed once.
    CreateUser(CreateUser),
}

/// Options of `admin create-user`.
#[derive(Debug, clap::Args)]
pub struct CreateUser {
    /// The person's email address; they sign in with it.
    #[arg(long)]
    pub email: String,

    /// The organisation's short name (for example `acme`); created if it does not exist.
    #[arg(long, value_name = "ORG")]
    pub org: String,

    /// What the person may do: owner (everything, including members), designer (create and
    /// edit frameworks), reviewer (comment and approve) or viewer (read).
    #[arg(long, value_parser = ["owner", "designer", "reviewer", "viewer"])]
    pub role: String,

    /// The person's name (default: the part of the email before @).
    #[arg(long)]
    pub name: Option<String>,

    /// The organisation's full name, when it is created (default: ORG).
    #[arg(long, value_name = "NAME")]
    pub org_name: Option<String>,

    /// Read the password from the first line of standard input.
    #[arg(long)]
    pub password_stdin: bool,

    /// Folder of the built-in database (as for `framewright serve`).
    #[arg(
        long,
        value_name = "DIR",
        default_value = "./framewright-data",
        env = "FRAMEWRIGHT_DATA_DIR"
    )]
    pub data_dir: PathBuf,

    /// PostgreSQL database to use instead of the data folder.
    #[arg(long, value_name = "URL", env = "FRAMEWRIGHT_DATABASE_URL")]
    pub database_url: Option<String>,
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    match args.command {
        Command::CreateUser(create) => runtime.block_on(create_user(create)),
    }
}

async fn create_user(args: CreateUser) -> anyhow::Result<ExitCode> {
    let role: Role = args.role.parse()?;
    let email = args.email.trim().to_lowercase();
    anyhow::ensure!(
        email.contains('@'),
        "--email: `{}` is not an email address",
        args.email
    );
    let slug = framewright_model::slug::slugify(&args.org);
    anyhow::ensure!(
        !slug.is_empty(),
        "--org: give the organisation a short name with letters or digits"
    );
    let (password, generated) = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        (line.trim_end_matches(['\r', '\n']).to_string(), false)
    } else if let Ok(password) = std::env::var("FRAMEWRIGHT_PASSWORD") {
        (password, false)
    } else {
        let secret =
            framewright_server::auth::random_hex(12).map_err(|p| anyhow::anyhow!(p.detail))?;
        (secret, true)
    };
    if let Some(why) = framewright_server::auth::password_problem(&password) {
        anyhow::bail!("password: {why}");
    }
    let location = super::serve::location(&args.data_dir, args.database_url.as_deref())?;
    let store = framewright_store::open(&location)
        .await
        .context("cannot open the server's database")?;
    let hash = framewright_server::auth::hash_password(password.clone())
        .await
        .map_err(|p| anyhow::anyhow!(p.detail))?;
    let name = args
        .name
        .unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_string());
    let (org, user) = store
        .admin_create_user(
            NewAccount {
                org_slug: slug.clone(),
                org_name: args.org_name.unwrap_or_else(|| args.org.clone()),
                email,
                name,
                password_hash: hash,
            },
            role,
        )
        .await
        .map_err(|e| match e {
            framewright_store::StoreError::Conflict(what) => anyhow::anyhow!("{what}"),
            other => anyhow::Error::new(other).context("cannot create the account"),
        })?;
    println!(
        "{} is now {} of organisation `{}` ({})",
        user.email, role, org.slug, org.name
    );
    if generated {
        println!("Password (shown once, change it after signing in): {password}");
    }
    Ok(ExitCode::SUCCESS)
}
