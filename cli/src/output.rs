//! Process-level output helpers: exit status, JSON printing, error reports.

use std::io::Write;
use std::process::ExitCode;

/// How a command ended, mapped to the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Exit 0: success, nothing to report.
    Ok,
    /// Exit 1: the command ran and found problems (validation findings,
    /// conformance failures, blocked devices when asked to fail on them).
    Findings,
}

impl From<Status> for ExitCode {
    fn from(s: Status) -> ExitCode {
        match s {
            Status::Ok => ExitCode::SUCCESS,
            Status::Findings => ExitCode::from(1),
        }
    }
}

/// Prints a value as pretty JSON on stdout, followed by a newline.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Writes text to stdout (the CLI's only print path besides JSON).
pub fn print_text(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        writeln!(out)?;
    }
    Ok(())
}

/// Reports an error with its whole chain of causes on stderr.
pub fn report_error(err: &anyhow::Error) {
    let mut e = std::io::stderr().lock();
    let _ = writeln!(e, "error: {}", chain_text(err));
}

/// The error and its causes joined by `: `, leaving out a cause whose text
/// the message already carries (errors that print their source themselves).
fn chain_text(err: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in err.chain() {
        let part = cause.to_string();
        if text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

/// Writes a note to stderr (progress, warnings).
pub fn note(text: &str) {
    let mut e = std::io::stderr().lock();
    let _ = writeln!(e, "{text}");
}

#[cfg(test)]
mod tests {
    use super::chain_text;

    #[test]
    fn causes_already_in_the_message_are_not_repeated() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let inner = anyhow::Error::new(io).context("x.csv: no such file");
        let err = inner.context("reading the input");
        assert_eq!(chain_text(&err), "reading the input: x.csv: no such file");
        let plain = anyhow::anyhow!("bad").context("outer");
        assert_eq!(chain_text(&plain), "outer: bad");
    }
}
