//! Helpers every CLI test module uses: the `framewright` binary, the fixture folders, and
//! writing a scratch file.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `framewright` binary built for these tests.
pub fn framewright() -> Command {
    Command::cargo_bin("framewright").unwrap()
}

/// The `framewright` binary as a plain process (to read its output while it runs).
pub fn framewright_process() -> std::process::Command {
    use assert_cmd::cargo::CommandCargoExt;
    std::process::Command::cargo_bin("framewright").unwrap()
}

/// A folder under `crates/cli/tests/fixtures` (`""` for the folder itself).
pub fn fixtures(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir)
}

/// A fixture's path as a command-line argument.
pub fn fixture_str(dir: &str, name: &str) -> String {
    fixtures(dir).join(name).to_str().unwrap().to_string()
}

/// Writes `text` to `name` in `dir` and answers its path.
pub fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// `framewright job-analysis analyze --tasks TASKS --competencies COMPETENCIES EXTRA…`, ready
/// to run.
pub fn analyze(tasks: &str, competencies: &str, extra: &[&str]) -> Command {
    let mut command = framewright();
    command
        .args(["job-analysis", "analyze", "--tasks", tasks])
        .args(["--competencies", competencies])
        .args(extra);
    command
}

/// Runs `command()` twice, writing to `names[0]` and then `names[1]` in `dir` (`-o`); the bytes
/// of each file, to compare runs.
pub fn written_twice(
    dir: &tempfile::TempDir,
    names: [&str; 2],
    command: impl Fn() -> Command,
) -> Vec<Vec<u8>> {
    let mut outputs = Vec::new();
    for name in names {
        let path = dir.path().join(name);
        command().arg("-o").arg(&path).assert().success();
        outputs.push(std::fs::read(&path).unwrap());
    }
    outputs
}

/// [`analyze`] on the whole hiring fixture (tasks, competencies, linkage and job), written to
/// `out`.
pub fn analyze_fixture_to(out: &str) -> Command {
    let fixture = |name| fixture_str("hiring", name);
    analyze(
        &fixture("tasks.csv"),
        &fixture("competencies.csv"),
        &[
            "--linkage",
            &fixture("linkage.csv"),
            "--job",
            &fixture("job.toml"),
            "-o",
            out,
        ],
    )
}
