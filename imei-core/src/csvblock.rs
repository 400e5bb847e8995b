//! Records of an in-memory block of CSV text (RFC 4180: `,` separators,
//! `"` quoting, `\n`, `\r` or `\r\n` line ends, empty lines skipped), as the
//! bulk check reads its input: blocks cut at record boundaries and parsed
//! independently on worker threads.
//!
//! A block without any `"` or `\r` — the common case of machine-made check
//! files — is split directly on `\n` and `,`, which gives exactly the records
//! the `csv` crate gives for such text at a fraction of the cost; anything
//! else goes through the `csv` crate. Either way a record's line is the
//! physical line (counted in `\n`) it starts on, empty lines included.

/// Where [`split_point`] is inside a record (RFC 4180 as csv-core reads it:
/// a quote opens a quoted field only at the start of a field; inside one,
/// `""` is a literal quote).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scan {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// How a block of CSV text divides into records when a quoted field must
/// close within a bounded number of lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BlockScan {
    /// End of the last complete record (0 when the block holds none).
    pub end: usize,
    /// Records refused because a quoted field opened in them runs away: it
    /// stays open over more than the allowed line ends, or to the end of the
    /// input. Each range runs from the record's start to the end of the line
    /// where the runaway quote opened; scanning resumes after it.
    pub refused: Vec<std::ops::Range<usize>>,
}

/// Scans `b` (starting at a record boundary) under RFC 4180 as csv-core reads
/// it, with one addition: a quoted field may span at most `max_lines` line
/// ends. A stray quote would otherwise swallow every record up to the next
/// quote; here it costs only the record it opened in. With `at_eof` the
/// block is the rest of the input, so a quote still open at its end runs
/// away too; without it, such a record is left for the next read.
///
/// Runs of bytes that change nothing are skipped with `memchr`: inside a
/// quoted field everything but `"` and `\n`, outside one everything but `"`
/// and `\n` (the state before the next of those follows from the byte just
/// before it: a field starts after `,` or `\r`).
pub(crate) fn scan_block(b: &[u8], max_lines: usize, at_eof: bool) -> BlockScan {
    scan(b, max_lines, at_eof, true)
}

/// [`scan_block`] with or without the skipping (without: byte by byte, the
/// definition the skipping is tested against).
fn scan(b: &[u8], max_lines: usize, at_eof: bool, skip: bool) -> BlockScan {
    let mut refused = Vec::new();
    if !b.contains(&b'"') {
        let end = if at_eof {
            b.len()
        } else {
            b.iter().rposition(|&c| c == b'\n').map_or(0, |p| p + 1)
        };
        return BlockScan { end, refused };
    }
    let mut state = Scan::FieldStart;
    let mut last = 0; // end of the last complete record
    let mut rec_start = 0;
    // Where the open quoted field began: the end of its line, and the line
    // ends seen since.
    let mut open_line_end: Option<usize> = None;
    let mut open_newlines = 0usize;
    let mut i = 0;
    while i <= b.len() {
        if skip && state != Scan::QuoteInQuoted {
            let rest = b.get(i..).unwrap_or(&[]);
            let n = memchr::memchr2(b'"', b'\n', rest).unwrap_or(rest.len());
            if n > 0 && state != Scan::Quoted {
                state = match rest.get(n - 1) {
                    Some(b',' | b'\r') => Scan::FieldStart,
                    _ => Scan::Unquoted,
                };
            }
            i += n;
        }
        let Some(&c) = b.get(i) else {
            // End of the block.
            let open = matches!(state, Scan::Quoted | Scan::QuoteInQuoted);
            if open && at_eof {
                let stop = open_line_end.unwrap_or(b.len());
                refused.push(rec_start..stop);
                (state, rec_start, last, i) = (Scan::FieldStart, stop, stop, stop);
                open_line_end = None;
                continue;
            }
            if at_eof {
                last = b.len();
            }
            break;
        };
        let quoted = matches!(state, Scan::Quoted | Scan::QuoteInQuoted);
        state = match (state, c) {
            (Scan::Quoted, b'"') => Scan::QuoteInQuoted,
            (Scan::Quoted, _) => Scan::Quoted,
            (Scan::QuoteInQuoted, b'"') | (Scan::FieldStart, b'"') => Scan::Quoted,
            (Scan::QuoteInQuoted | Scan::FieldStart | Scan::Unquoted, b'\n') => {
                last = i + 1;
                rec_start = i + 1;
                Scan::FieldStart
            }
            (_, b',' | b'\r') => Scan::FieldStart,
            _ => Scan::Unquoted,
        };
        match (quoted, state) {
            (false, Scan::Quoted) => {
                open_line_end = b
                    .get(i..)
                    .and_then(|t| t.iter().position(|&c| c == b'\n'))
                    .map(|p| i + p + 1);
                open_newlines = 0;
            }
            (true, Scan::Quoted | Scan::QuoteInQuoted) => {}
            (true, _) => open_line_end = None,
            _ => {}
        }
        if state == Scan::Quoted && c == b'\n' {
            open_newlines += 1;
            if open_newlines > max_lines
                && let Some(stop) = open_line_end
            {
                refused.push(rec_start..stop);
                (state, rec_start, last, i) = (Scan::FieldStart, stop, stop, stop);
                open_line_end = None;
                continue;
            }
        }
        i += 1;
    }
    BlockScan { end: last, refused }
}

/// Position just after the last record-ending newline outside quotes (0 when
/// the block holds no complete record), with no bound on quoted fields.
#[cfg(test)]
pub(crate) fn split_point(b: &[u8]) -> usize {
    scan_block(b, usize::MAX, false).end
}

/// Calls `f(line, fields)` for every record of `bytes`, in order; `line` is
/// the physical line the record starts on, counting the block's first line
/// as `first_line`.
pub(crate) fn for_each_record(bytes: &[u8], first_line: u64, mut f: impl FnMut(u64, &[&[u8]])) {
    let mut fields: Vec<&[u8]> = Vec::with_capacity(16);
    if !bytes.iter().any(|&c| c == b'"' || c == b'\r') {
        for (i, raw) in bytes.split(|&c| c == b'\n').enumerate() {
            if raw.is_empty() {
                continue;
            }
            fields.clear();
            fields.extend(raw.split(|&c| c == b','));
            f(first_line + i as u64, &fields);
        }
        return;
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rec = csv::ByteRecord::new();
    // Byte records on an in-memory slice with flexible lengths cannot fail.
    while rdr.read_byte_record(&mut rec).unwrap_or(false) {
        // The csv crate reports a record after empty lines at the first of
        // them; count the line ends it skipped to get the physical line.
        let (mut line, start) = rec.position().map_or((first_line, 0), |p| {
            (first_line + p.line().saturating_sub(1), p.byte() as usize)
        });
        let skipped = bytes
            .get(start..)
            .unwrap_or(&[])
            .iter()
            .take_while(|&&c| c == b'\n' || c == b'\r')
            .filter(|&&c| c == b'\n')
            .count();
        line += skipped as u64;
        let quoted: Vec<&[u8]> = rec.iter().collect();
        f(line, &quoted);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn records(bytes: &[u8]) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut out = Vec::new();
        for_each_record(bytes, 7, |line, fields| {
            out.push((line, fields.iter().map(|f| f.to_vec()).collect()));
        });
        out
    }

    /// The same records through the `csv` crate (forced by a `\r\n` ending
    /// the text, which both parsers treat as one line end).
    fn via_csv(bytes: &[u8]) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut forced = bytes.to_vec();
        forced.extend_from_slice(b"\r\n");
        records(&forced)
    }

    /// Regression: a stray `"` at the start of a line swallowed every record
    /// up to the next quote; now only its own row is refused.
    #[test]
    fn a_runaway_quote_refuses_only_its_row() {
        let b = b"a\n\"b,1\nc\nd\ne\"\nf\n";
        // Closed after 3 line ends: within 3 it is one (multi-line) record.
        assert!(scan_block(b, 3, true).refused.is_empty());
        // Within 2 it runs away: line 2 alone is refused, `c`, `d`, `e"`, `f` stay.
        let s = scan_block(b, 2, true);
        assert_eq!(s.refused, vec![2..7]);
        assert_eq!(s.end, b.len());
        // Unclosed at the end of the input.
        let s = scan_block(b"1\n\"x\n2\n", 5, true);
        assert_eq!(s.refused, vec![2..5]);
        // Not yet at the end: the open record waits for more text.
        let s = scan_block(b"1\n\"x\n2\n", 5, false);
        assert_eq!((s.end, s.refused.len()), (2, 0));
        // A runaway in a record that began with a legitimate multi-line field
        // refuses the whole record up to the runaway quote's line.
        let s = scan_block(b"\"p\nq\",\"r\ns\nt\nu\n", 1, true);
        assert_eq!(s.refused, vec![0..9]);
    }

    #[test]
    fn split_respects_quotes() {
        assert_eq!(split_point(b"a,b\nc,d\ne"), 8);
        assert_eq!(split_point(b"a,\"x\ny\"\nb"), 8);
        assert_eq!(split_point(b"a,\"x\ny"), 0);
        // A quote inside an unquoted field is a literal character (12" screen).
        assert_eq!(split_point(b"1,12\" tv\n2,x\n3"), 13);
        // An escaped quote inside a quoted field does not close it.
        assert_eq!(split_point(b"1,\"a\"\"\nb\"\n2"), 10);
    }

    proptest! {
        /// Cutting a block at `split_point` never cuts a record: the records
        /// of the two parts are the records of the whole.
        #[test]
        fn split_point_cuts_between_records(text in "[a\",\n]{0,60}") {
            let b = text.as_bytes();
            let cut = split_point(b);
            let whole: Vec<Vec<Vec<u8>>> = records(b).into_iter().map(|r| r.1).collect();
            let mut parts: Vec<Vec<Vec<u8>>> = records(&b[..cut]).into_iter().map(|r| r.1).collect();
            parts.extend(records(&b[cut..]).into_iter().map(|r| r.1));
            prop_assert_eq!(whole, parts);
        }

        /// Skipping runs of bytes with `memchr` scans exactly as byte by byte.
        #[test]
        fn skipping_scans_like_bytewise(
            text in "[a\",\r\n]{0,80}",
            max_lines in 1usize..4,
            at_eof: bool,
        ) {
            let b = text.as_bytes();
            prop_assert_eq!(scan(b, max_lines, at_eof, true), scan(b, max_lines, at_eof, false));
        }

        /// `\r\n` line ends give the same records and line numbers as `\n`.
        #[test]
        fn crlf_lines_number_like_lf(text in "[a-c0-9,\n]{0,80}") {
            let crlf = text.replace('\n', "\r\n");
            prop_assert_eq!(records(crlf.as_bytes()), records(text.as_bytes()));
        }
    }

    #[test]
    fn plain_blocks_keep_lines_empty_fields_and_ragged_rows() {
        let r = records(b"a,b\n\nc,,d\nshort\n,\nlast");
        let lines: Vec<u64> = r.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [7, 9, 10, 11, 12]);
        assert_eq!(r[1].1, [b"c".to_vec(), vec![], b"d".to_vec()]);
        assert_eq!(r[3].1, [Vec::<u8>::new(), vec![]]);
        assert_eq!(r, via_csv(b"a,b\n\nc,,d\nshort\n,\nlast"));
    }

    #[test]
    fn quoted_fields_go_through_the_csv_crate() {
        let r = records(b"1,\"x,\ny\"\n2,z\n");
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].1[1], b"x,\ny".to_vec());
        assert_eq!(r[1].0, 9);
    }

    proptest! {
        /// On text without quotes or carriage returns the fast path and the
        /// `csv` crate agree record for record, line for line.
        #[test]
        fn fast_path_matches_the_csv_crate(text in "[a-c0-9,\n]{0,80}") {
            prop_assert_eq!(records(text.as_bytes()), via_csv(text.as_bytes()));
        }
    }
}
