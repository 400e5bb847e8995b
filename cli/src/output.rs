//! Process-level output helpers: exit status, JSON printing, error reports.
//!
//! Every human-readable line goes through [`printable`]: free text (contest
//! grounds, notes, reasons, names read from files) can hold terminal escape
//! sequences that would clear the screen or forge lines, so control and
//! bidirectional-override characters are shown escaped (`\u{1b}`).

use std::borrow::Cow;
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
    /// Exit 3: the command ran out of time without an answer (a solver's
    /// time limit).
    Undecided,
}

impl From<Status> for ExitCode {
    fn from(s: Status) -> ExitCode {
        match s {
            Status::Ok => ExitCode::SUCCESS,
            Status::Findings => ExitCode::from(1),
            Status::Undecided => ExitCode::from(3),
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

/// Whether a character must not reach a terminal as it is: C0/C1 controls
/// other than newline and tab, DEL, and the bidirectional overrides and
/// isolates that reorder what a reader sees.
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every unsafe character written as a Rust escape (`\u{1b}`).
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether an error comes from writing to a closed pipe (`spectra … | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    let pipe = Some(std::io::ErrorKind::BrokenPipe);
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().map(std::io::Error::kind) == pipe
            || c.downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == pipe
    })
}

/// Writes text to stdout (the CLI's only print path besides JSON).
pub fn print_text(text: &str) -> anyhow::Result<()> {
    let text = printable(text);
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
    let _ = writeln!(e, "error: {}", printable(&chain_text(err)));
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
    let _ = writeln!(e, "{}", printable(text));
}

#[cfg(test)]
mod tests {
    use super::{chain_text, printable};

    /// Regression: contest grounds holding `ESC [2J` cleared the screen when
    /// listed; they are now shown escaped.
    #[test]
    fn control_and_bidi_characters_are_escaped() {
        assert_eq!(printable("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(printable("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(printable("x\ry"), "x\\u{d}y");
        assert_eq!(printable("\u{202E}evil"), "\\u{202e}evil");
        assert_eq!(printable("\u{7f}"), "\\u{7f}");
    }

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
