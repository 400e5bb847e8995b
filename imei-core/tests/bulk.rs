//! Bulk check of files with bad rows (CSV and Parquet in, Parquet and CSV out).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::Arc;

use arrow::array::{Array, AsArray, RecordBatch, StringArray};
use arrow::datatypes::UInt64Type;
use imei_core::bulk::{BulkOptions, check_file};
use imei_core::tac::{TacDb, TacRecord};
use imei_core::{CheckContext, DeviceStatus, ReasonMask, RegistryIndex, verdict};

/// The check context over the test registry and TAC table, without findings.
fn context<'a>(index: &'a RegistryIndex, tacs: &'a TacDb) -> CheckContext<'a> {
    CheckContext {
        findings: None,
        index,
        tacs: Some(tacs),
    }
}

fn ctx_parts() -> (RegistryIndex, TacDb) {
    let index = RegistryIndex::from_pairs(vec![
        (
            26_053_179_311_383,
            verdict::pack(DeviceStatus::White, ReasonMask(0)),
        ),
        (
            35_332_811_000_001,
            verdict::pack(DeviceStatus::Black, ReasonMask::parse("STOLEN").unwrap()),
        ),
    ]);
    let tac = |t: u32, m: &str| TacRecord {
        tac: t,
        manufacturer: "Acme".into(),
        model: m.into(),
        source: "test".into(),
        extra: Default::default(),
    };
    (
        index,
        TacDb::from_records([
            tac(26_053_179, "One"),
            tac(35_332_811, "Two"),
            tac(86_130_105, "Three"),
        ]),
    )
}

fn dict_value(b: &RecordBatch, col: &str, row: usize) -> Option<String> {
    let a = b.column_by_name(col).unwrap();
    if a.is_null(row) {
        return None;
    }
    let s = arrow::compute::cast(a, &arrow::datatypes::DataType::Utf8).unwrap();
    Some(s.as_string::<i32>().value(row).to_string())
}

const INPUT: &str = "operator,imei,note\n\
OP1,260531793113837,ok\n\
OP2,353328110000013,stolen\n\
OP3,ABC,\"quoted, with comma\"\n\
OP1,,empty\n\
OP2,260531793113838,bad check digit\n\
OP3,861301051234565,unregistered\n\
short\n\
OP1,000000000000000,zeros\n\
OP2,\"two\nlines\",multi-line field\n\
OP3,99999999123456,unknown tac\n";

fn read_all(path: &Path) -> RecordBatch {
    let batches = tabular::read_parquet(path).unwrap();
    arrow::compute::concat_batches(&batches[0].schema(), &batches).unwrap()
}

#[test]
fn bad_rows_never_abort_and_are_kept_verbatim() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(&input, INPUT).unwrap();
    let (index, tacs) = ctx_parts();
    let ctx = context(&index, &tacs);
    let out = dir.path().join("out.parquet");
    // Tiny blocks: many work items, records cut across block reads.
    let opts = BulkOptions {
        chunk_bytes: 4096,
        ..BulkOptions::default()
    };
    let counts = check_file(&input, &out, ctx, &opts, &|_, _, _| {}).unwrap();
    assert_eq!(counts.rows, 10);
    let b = read_all(&out);
    assert_eq!(b.num_rows(), 10);
    let imei = b.column_by_name("imei").unwrap().as_string::<i32>().clone();
    let verdicts: Vec<String> = (0..10)
        .map(|r| dict_value(&b, "verdict", r).unwrap())
        .collect();
    let classes: Vec<String> = (0..10)
        .map(|r| dict_value(&b, "class", r).unwrap())
        .collect();
    assert_eq!(imei.value(2), "ABC");
    assert_eq!(imei.value(8), "two\nlines");
    assert_eq!(
        classes,
        [
            "imei15",
            "imei15",
            "hexadecimal",
            "empty",
            "check_digit_mismatch",
            "imei15",
            "empty",
            "all_zeros",
            "non_digit",
            "imei14"
        ]
    );
    assert_eq!(
        verdicts,
        [
            "allowed", "blocked", "blocked", "blocked", "blocked", "grey", "blocked", "blocked",
            "blocked", "blocked"
        ]
    );
    let lines = b
        .column_by_name("line")
        .unwrap()
        .as_primitive::<UInt64Type>();
    assert_eq!(
        lines.values().to_vec(),
        vec![2, 3, 4, 5, 6, 7, 8, 9, 10, 12]
    );
    assert_eq!(dict_value(&b, "reason_codes", 1).as_deref(), Some("STOLEN"));
    assert_eq!(dict_value(&b, "model", 0).as_deref(), Some("Acme One"));
    assert!(dict_value(&b, "reason", 9).unwrap().contains("TAC"));
    assert!(dict_value(&b, "reason", 1).unwrap().contains("stolen"));
    assert_eq!(
        b.column_by_name("key").unwrap().as_string::<i32>().value(0),
        "26053179311383"
    );

    assert_eq!(
        dict_value(&b, "note", 2).as_deref(),
        Some("quoted, with comma")
    );
    assert!(
        b.column_by_name("operator").unwrap().is_valid(6)
            && b.column_by_name("note").unwrap().is_null(6)
    );
    let meta = tabular::read_parquet_metadata(&out).unwrap();
    assert!(
        meta.values().any(|v| v.contains("spectra-imei-rules")),
        "{meta:?}"
    );

    // Same input to CSV, and the Parquet output checked again as input.
    let out_csv = dir.path().join("out.csv");
    check_file(
        &input,
        &out_csv,
        ctx,
        &BulkOptions::default(),
        &|_, _, _| {},
    )
    .unwrap();
    let text = std::fs::read_to_string(&out_csv).unwrap();
    assert!(
        text.starts_with("line,operator,imei,note,key,class"),
        "{text}"
    );
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let vcol = rdr
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "verdict")
        .unwrap();
    let v: Vec<String> = rdr
        .records()
        .map(|r| r.unwrap()[vcol].to_string())
        .collect();
    assert_eq!(v, verdicts);
}

#[test]
fn parquet_input_passes_columns_through() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.parquet");
    let imei = StringArray::from(vec![Some("260531793113837"), None, Some("35332811000001")]);
    let op = StringArray::from(vec!["a", "b", "c"]);
    let b = RecordBatch::try_from_iter(vec![
        ("IMEI", Arc::new(imei) as _),
        ("op", Arc::new(op) as _),
    ])
    .unwrap();
    tabular::write_parquet(&input, &[b], &tabular::Provenance::new("test")).unwrap();
    let (index, tacs) = ctx_parts();
    let ctx = context(&index, &tacs);
    let out = dir.path().join("v.parquet");
    let counts = check_file(&input, &out, ctx, &BulkOptions::default(), &|_, _, _| {}).unwrap();
    assert_eq!((counts.rows, counts.allowed, counts.blocked), (3, 1, 2));
    let r = read_all(&out);
    assert_eq!(
        r.column_by_name("op").unwrap().as_string::<i32>().value(2),
        "c"
    );
    assert_eq!(dict_value(&r, "class", 1).as_deref(), Some("empty"));
}

#[test]
fn missing_column_or_unreadable_file_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(&input, "serial,op\n1,2\n").unwrap();
    let (index, tacs) = ctx_parts();
    let ctx = context(&index, &tacs);
    let out = dir.path().join("out.parquet");
    let e = check_file(&input, &out, ctx, &BulkOptions::default(), &|_, _, _| {})
        .unwrap_err()
        .to_string();
    assert!(e.contains("imei") && e.contains("serial"), "{e}");
    let e = check_file(
        &dir.path().join("nope.csv"),
        &out,
        ctx,
        &BulkOptions::default(),
        &|_, _, _| {},
    )
    .unwrap_err();
    assert!(e.to_string().contains("nope.csv"), "{e}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "only the input remains"
    );
}

/// Many blocks, each its own row group encoded on a worker: the verdicts are
/// identical (row order included) on one thread and on several, and every
/// row keeps its input line.
#[test]
fn output_is_the_same_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("many.csv");
    let mut text = String::from("imei,operator\n");
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in 0..40_000u64 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let v = match i % 7 {
            0 => "260531793113837".to_string(),
            1 => "353328110000013".to_string(),
            2 => format!("{:015}", x % 1_000_000_000_000_000),
            3 => format!("x{}", x % 1000),
            _ => format!("{:014}", x % 100_000_000_000_000),
        };
        text.push_str(&format!("{v},OP{}\n", i % 3));
    }
    std::fs::write(&input, text).unwrap();
    let (index, tacs) = ctx_parts();
    let ctx = context(&index, &tacs);
    let opts = BulkOptions {
        chunk_bytes: 64 * 1024,
        ..BulkOptions::default()
    };
    let run = |threads: usize, name: &str| {
        let out = dir.path().join(name);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| check_file(&input, &out, ctx, &opts, &|_, _, _| {}).unwrap());
        out
    };
    let one = run(1, "one.parquet");
    let two = run(3, "three.parquet");
    let groups = parquet::file::reader::FileReader::metadata(
        &parquet::file::reader::SerializedFileReader::new(std::fs::File::open(&one).unwrap())
            .unwrap(),
    )
    .num_row_groups();
    assert!(groups > 5, "expected many row groups, found {groups}");
    let (a, b) = (read_all(&one), read_all(&two));
    assert_eq!(a.num_rows(), 40_000);
    assert_eq!(a, b);
    let lines = a
        .column_by_name("line")
        .unwrap()
        .as_primitive::<UInt64Type>();
    assert!(
        lines
            .values()
            .iter()
            .zip(2u64..)
            .all(|(&l, want)| l == want)
    );
}

/// `\r\n` files (and a quote inside an unquoted field) keep physical line
/// numbers: the header is line 1, an empty line is skipped but counted.
#[test]
fn crlf_files_keep_physical_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("crlf.csv");
    std::fs::write(
        &input,
        "imei,note\r\n260531793113837,a\r\n\r\n353328110000013,12\" screen\r\nABC,c\r\n",
    )
    .unwrap();
    let (index, tacs) = ctx_parts();
    let ctx = context(&index, &tacs);
    let out = dir.path().join("crlf.parquet");
    check_file(&input, &out, ctx, &BulkOptions::default(), &|_, _, _| {}).unwrap();
    let b = read_all(&out);
    let lines = b
        .column_by_name("line")
        .unwrap()
        .as_primitive::<UInt64Type>();
    assert_eq!(lines.values().to_vec(), [2, 4, 5]);
    let note = b.column_by_name("note").unwrap().as_string::<i32>().clone();
    assert_eq!(note.value(1), "12\" screen");
}

/// Regression: an oversized block (`--chunk-mib 100000`) ended in an
/// allocation abort; every size option is now bounded with a clear error.
#[test]
fn out_of_range_sizes_are_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(&input, INPUT).unwrap();
    let (index, tacs) = ctx_parts();
    let ctx = context(&index, &tacs);
    let out = dir.path().join("out.parquet");
    for opts in [
        BulkOptions {
            chunk_bytes: 100_000 << 20,
            ..BulkOptions::default()
        },
        BulkOptions {
            chunk_bytes: 10,
            ..BulkOptions::default()
        },
        BulkOptions {
            group: 0,
            ..BulkOptions::default()
        },
        BulkOptions {
            parquet_batch_rows: usize::MAX,
            ..BulkOptions::default()
        },
    ] {
        let e = check_file(&input, &out, ctx, &opts, &|_, _, _| {})
            .unwrap_err()
            .to_string();
        assert!(e.contains("expected") && e.contains("found"), "{e}");
        assert!(!out.exists());
    }
}

/// The per-block dictionaries use 32-bit keys: 49 152 distinct verdict
/// reasons in one block (more than a 16-bit key holds) each keep their text.
#[test]
fn every_distinct_reason_keeps_its_text() {
    use imei_core::identity::{classify, format_imei15};
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    let statuses = [DeviceStatus::White, DeviceStatus::Grey, DeviceStatus::Black];
    let (known_tac, unknown_tac) = (35_332_811u64, 35_332_812u64);
    let mut pairs = Vec::new();
    let mut rows = Vec::new();
    for tac in [known_tac, unknown_tac] {
        for m in 0..4096u64 {
            for (s, status) in statuses.iter().enumerate() {
                let key = tac * 1_000_000 + m * 3 + s as u64;
                pairs.push((key, verdict::pack(*status, ReasonMask(m as u16))));
                rows.push(format!("{key:014}"));
                rows.push(format_imei15(key));
            }
        }
    }
    std::fs::write(&input, format!("imei\n{}\n", rows.join("\n"))).unwrap();
    let index = RegistryIndex::from_pairs(pairs);
    let tacs = TacDb::from_records([TacRecord {
        tac: known_tac as u32,
        manufacturer: "Maker".into(),
        model: "Phone".into(),
        source: "test".into(),
        extra: Default::default(),
    }]);
    let ctx = context(&index, &tacs);
    let out = dir.path().join("out.parquet");
    check_file(&input, &out, ctx, &BulkOptions::default(), &|_, _, _| {}).unwrap();
    let b = read_all(&out);
    assert_eq!(b.num_rows(), rows.len());
    let reasons = arrow::compute::cast(
        b.column_by_name("reason").unwrap(),
        &arrow::datatypes::DataType::Utf8,
    )
    .unwrap();
    let reasons = reasons.as_string::<i32>();
    for (r, raw) in rows.iter().enumerate() {
        let p = classify(raw);
        let key = p.key.unwrap();
        let known = Some(key / 1_000_000 == known_tac);
        let expected = verdict::decide(p.class, known, index.get(key)).reason();
        assert_eq!(reasons.value(r), expected, "row {r}");
    }
}

/// Regression: the verdicts' `key` and `tac` were unsigned integers, so an
/// IMEI starting with 0 lost its leading zero in CSV outputs. Both are text.
#[test]
fn identifiers_keep_their_leading_zeros_in_csv_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    let imei = imei_core::identity::format_imei15(1_124_500_123_456);
    std::fs::write(&input, format!("imei\n{imei}\n")).unwrap();
    let index = RegistryIndex::default();
    let ctx = CheckContext {
        findings: None,
        index: &index,
        tacs: None,
    };
    let out = dir.path().join("out.csv");
    check_file(&input, &out, ctx, &BulkOptions::default(), &|_, _, _| {}).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains(",01124500123456,"), "{text}");
    assert!(text.contains(",01124500,"), "{text}");
}

/// Regression: one stray `"` at the start of line 1001 of a 200 000-row file
/// swallowed the next 735 records into one value, and the run reported no
/// loss. Now that row alone is refused, named with its line, and every row
/// is accounted for; a row with more fields than the header is refused too.
#[test]
fn a_stray_quote_or_extra_fields_refuse_only_their_row() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    let mut text = String::from("imei,operator\n");
    for i in 0..200_000u64 {
        let line = i + 2;
        let imei = imei_core::identity::format_imei15(35_332_811_000_000 + i);
        if line == 1001 {
            text.push_str(&format!("\"{imei},OP1\n"));
        } else if line == 5000 {
            text.push_str(&format!("{imei},OP1,extra\n"));
        } else if line == 150_000 {
            // A legitimate quoted field over two lines stays one record.
            text.push_str(&format!("{imei},\"OP\n2\"\n"));
        } else {
            text.push_str(&format!("{imei},OP1\n"));
        }
    }
    std::fs::write(&input, &text).unwrap();
    let index = RegistryIndex::default();
    let ctx = CheckContext {
        findings: None,
        index: &index,
        tacs: None,
    };
    let out = dir.path().join("out.parquet");
    let opts = BulkOptions {
        chunk_bytes: 64 << 10,
        ..BulkOptions::default()
    };
    let counts = check_file(&input, &out, ctx, &opts, &|_, _, _| {}).unwrap();
    assert_eq!((counts.rows, counts.refused), (199_998, 2));
    assert_eq!(counts.rows + counts.refused, 200_000);
    let lines: Vec<u64> = counts.refused_rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [1001, 5000]);
    assert!(counts.refused_rows[0].reason.contains("not closed"));
    let b = read_all(&out);
    assert_eq!(b.num_rows(), 199_998);
    let l = b
        .column_by_name("line")
        .unwrap()
        .as_primitive::<UInt64Type>();
    assert_eq!(
        (l.value(998), l.value(999)),
        (1000, 1002),
        "the row after the stray quote is checked"
    );
    assert_eq!(
        l.values().last().copied(),
        Some(200_002),
        "physical lines stay right"
    );
}

/// Input that is not UTF-8 is checked all the same and kept as its lossy
/// conversion; progress is reported in input order and ends at the input size.
#[test]
fn invalid_utf8_is_kept_lossily_and_progress_ends_at_the_input_size() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("latin1.csv");
    let mut text = b"imei,operator\n".to_vec();
    for i in 0..3000 {
        text.extend_from_slice(b"260531793113837,OP\xe9\n");
        text.push(0xff);
        text.extend_from_slice(format!("{i:05},OP2\n").as_bytes());
    }
    std::fs::write(&input, &text).unwrap();
    let (index, tacs) = ctx_parts();
    let ctx = context(&index, &tacs);
    let out = dir.path().join("out.parquet");
    let seen = std::sync::Mutex::new(Vec::new());
    let opts = BulkOptions {
        chunk_bytes: 4096,
        ..BulkOptions::default()
    };
    let progress =
        |done: u64, total: u64, rows: u64| seen.lock().unwrap().push((done, total, rows));
    let counts = check_file(&input, &out, ctx, &opts, &progress).unwrap();
    assert_eq!(counts.rows, 6000);
    let b = read_all(&out);
    let op = b.column_by_name("operator").unwrap().as_string::<i32>();
    assert_eq!(op.value(0), "OP\u{FFFD}");
    assert_eq!(op.value(1), "OP2");
    let imei = b.column_by_name("imei").unwrap().as_string::<i32>();
    assert_eq!(imei.value(1), "\u{FFFD}00000");
    assert_eq!(dict_value(&b, "verdict", 0).as_deref(), Some("allowed"));
    assert_eq!(dict_value(&b, "verdict", 1).as_deref(), Some("blocked"));
    assert_eq!(dict_value(&b, "class", 1).as_deref(), Some("non_digit"));
    let seen = seen.into_inner().unwrap();
    assert!(
        seen.len() > 10,
        "one report per block, found {}",
        seen.len()
    );
    assert!(
        seen.windows(2)
            .all(|w| w[0].0 <= w[1].0 && w[0].2 <= w[1].2)
    );
    let n = text.len() as u64;
    assert_eq!(seen.last().copied(), Some((n, n, 6000)));
}
