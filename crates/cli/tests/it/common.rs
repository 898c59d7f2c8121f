//! Helpers every CLI test module uses: the `framewright` binary, the fixture folders, and
//! writing a scratch file.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A model folder with no model in it: the tests that pin output match by words only,
/// whatever is installed on the machine (`models.rs` tests the semantic path).
pub fn no_models() -> PathBuf {
    std::env::temp_dir().join("framewright-tests-no-models")
}

/// The `framewright` binary built for these tests, matching by words only.
pub fn framewright() -> Command {
    let mut command = Command::cargo_bin("framewright").unwrap();
    command.env("FRAMEWRIGHT_MODEL_DIR", no_models());
    command
}

/// The `framewright` binary as a plain process (to read its output while it runs), matching
/// by words only.
pub fn framewright_process() -> std::process::Command {
    use assert_cmd::cargo::CommandCargoExt;
    let mut command = std::process::Command::cargo_bin("framewright").unwrap();
    command.env("FRAMEWRIGHT_MODEL_DIR", no_models());
    command
}

/// The model folder with the installed all-MiniLM-L6-v2 (FRAMEWRIGHT_MODEL_DIR, as `.ci/run`
/// installs it), or `None` to skip a test on a developer's machine without it. In CI
/// (CI=true) a missing model fails the test: the semantic path must be exercised there.
pub fn model_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("FRAMEWRIGHT_MODEL_DIR")
        .map(PathBuf::from)
        .filter(|d| d.join("all-minilm-l6-v2").join("manifest.toml").is_file());
    if dir.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must install all-MiniLM-L6-v2 into FRAMEWRIGHT_MODEL_DIR (see .ci/run)"
        );
        eprintln!("skipped: no all-MiniLM-L6-v2 in FRAMEWRIGHT_MODEL_DIR");
    }
    dir
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
