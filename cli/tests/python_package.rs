//! The Python side of Spectra, run by `cargo test` (issue 16): builds the
//! `spectra` wheel with maturin, installs it into a virtual environment and
//! runs the binding tests against this `spectra` binary (python/tests), every
//! notebook headless (notebooks/run_notebooks.py) and the Spark job in local
//! mode (spark/test_spark_job.py); last, a fresh venv installs the wheel
//! alone and runs a query, a model and an IMEI check.
//!
//! One-time cost on a fresh machine: the venv `~/.cache/spectra/venv-python`
//! (maturin, pytest, numpy, pyarrow, polars, DuckDB, matplotlib, Jupyter's
//! nbclient and ipykernel, PySpark with its jars: about 700 MB from PyPI,
//! two minutes) and, when `java` is missing, Debian's
//! `openjdk-17-jre-headless` (apt-get). The wheel builds into the shared
//! target directory (half a minute once the workspace is built).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

/// The repository root.
fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn home() -> PathBuf {
    std::env::var_os("HOME").map(PathBuf::from).unwrap()
}

/// Runs a command, failing the test with its output when it fails.
fn run(cmd: &mut Command, what: &str) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The pinned requirements of the test environment.
fn requirements() -> Vec<PathBuf> {
    let r = repo();
    vec![
        r.join("python/requirements-test.txt"),
        r.join("notebooks/requirements.txt"),
        r.join("spark/requirements.txt"),
    ]
}

/// `~/.cache/spectra/venv-python` with the pinned requirements (re-installed
/// when they change); returns its python.
fn venv() -> PathBuf {
    let venv = home().join(".cache/spectra/venv-python");
    let py = venv.join("bin/python");
    let stamp = venv.join("spectra-requirements.txt");
    let wanted: String = requirements()
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    if !py.exists() {
        run(
            Command::new("python3").args(["-m", "venv"]).arg(&venv),
            "python3 -m venv",
        );
    }
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(wanted.as_str()) {
        let mut pip = Command::new(venv.join("bin/pip"));
        pip.args(["install", "-q", "--disable-pip-version-check"]);
        for r in requirements() {
            pip.arg("-r").arg(r);
        }
        run(&mut pip, "pip install of the test requirements");
        std::fs::write(&stamp, wanted).unwrap();
    }
    py
}

/// Java for Spark: installs Debian's OpenJDK 17 runtime when `java` is missing.
fn java() {
    let have = Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have {
        run(
            Command::new("apt-get").args(["update", "-qq"]),
            "apt-get update",
        );
        run(
            Command::new("apt-get")
                .args(["install", "-y", "-qq", "openjdk-17-jre-headless"])
                .env("DEBIAN_FRONTEND", "noninteractive"),
            "apt-get install openjdk-17-jre-headless",
        );
    }
}

struct Env {
    python: PathBuf,
    wheel: PathBuf,
    _dir: tempfile::TempDir,
}

/// The venv with the freshly built wheel installed (built once per run).
fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        let python = venv();
        let dir = tempfile::tempdir().unwrap();
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| home().join(".cache/spectra/target"));
        run(
            Command::new(python.with_file_name("maturin"))
                .args(["build", "--release", "--quiet", "-m"])
                .arg(repo().join("python/Cargo.toml"))
                .arg("--out")
                .arg(dir.path())
                .env("CARGO_TARGET_DIR", target),
            "maturin build",
        );
        let wheel = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == "whl"))
            .expect("maturin wrote no wheel");
        let name = wheel.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.contains("-abi3-"),
            "expected one abi3 wheel for every CPython ≥ 3.9, found {name}"
        );
        run(
            Command::new(&python)
                .args(["-m", "pip", "install", "-q", "--disable-pip-version-check"])
                .args(["--force-reinstall", "--no-deps"])
                .arg(&wheel),
            "pip install of the wheel",
        );
        Env {
            python,
            wheel,
            _dir: dir,
        }
    })
}

/// One Python suite at a time: they share two cores and the venv.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

fn python(env: &Env, args: &[&Path]) -> Command {
    let mut c = Command::new(&env.python);
    c.args(args)
        .current_dir(repo())
        .env("SPECTRA_BIN", env!("CARGO_BIN_EXE_spectra"))
        .env("SPECTRA_SHARED_DATA", repo().join("../shared/data"));
    c
}

/// Runs pytest on a path of the repository; its output.
fn pytest(env: &Env, path: &str) -> String {
    run(
        python(
            env,
            &[Path::new("-m"), Path::new("pytest"), Path::new("-q")],
        )
        .args(["-p", "no:cacheprovider"])
        .arg(repo().join(path)),
        &format!("pytest {path}"),
    )
}

#[test]
fn python_bindings_match_the_cli() {
    let _one = serial();
    let env = env();
    let out = pytest(env, "python/tests");
    assert!(out.contains(" passed"), "pytest printed no result: {out}");
    assert!(
        !out.contains("skipped"),
        "a binding test was skipped: {out}"
    );
}

#[test]
fn notebooks_execute_headless() {
    let _one = serial();
    let env = env();
    let out = run(
        python(env, &[&repo().join("notebooks/run_notebooks.py")])
            .arg("--spectra")
            .arg(env!("CARGO_BIN_EXE_spectra")),
        "notebooks/run_notebooks.py",
    );
    for nb in ["national_table", "coverage_study", "imei_report"] {
        assert!(
            out.contains(&format!("\"notebook\": \"{nb}.ipynb\"")),
            "{nb} was not executed: {out}"
        );
    }
}

#[test]
fn spark_job_matches_the_cli_in_local_mode() {
    let _one = serial();
    java();
    let env = env();
    let out = pytest(env, "spark/test_spark_job.py");
    assert!(out.contains("3 passed"), "{out}");
}

#[test]
fn the_wheel_alone_installs_in_a_fresh_venv() {
    let _one = serial();
    let env = env();
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("venv");
    run(
        Command::new("python3").args(["-m", "venv"]).arg(&fresh),
        "python3 -m venv",
    );
    run(
        Command::new(fresh.join("bin/pip"))
            .args(["install", "-q", "--disable-pip-version-check"])
            .arg(&env.wheel),
        "pip install of the wheel into a fresh venv",
    );
    let table = repo().join("datasets/data/kg-ntfa.ntfa");
    let script = format!(
        "import spectra\n\
         t = spectra.Table.load({table:?})\n\
         print('at', t.at('435 MHz')['bands'][0]['allocations'][0]['service'])\n\
         p = spectra.Profile.flat(20.0, 0.1, 500.0)\n\
         print('itm', round(spectra.itm_p2p(p, 600.0, 30.0, 10.0)['loss_db'], 1))\n\
         print('cd', spectra.check_digit('49015420323751'))\n\
         print('classes', len(spectra.classify(['490154203237518', 'bad'])))\n"
    );
    let out = run(
        Command::new(fresh.join("bin/python"))
            .args(["-c", &script])
            .current_dir(dir.path()),
        "import spectra in a fresh venv",
    );
    assert!(out.contains("at Amateur"), "{out}");
    assert!(out.contains("itm "), "{out}");
    assert!(out.contains("cd 8"), "{out}");
    assert!(out.contains("classes 2"), "{out}");
}
