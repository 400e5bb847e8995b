//! The bulk check's ordered parallel pipeline: a reader thread cuts the
//! input into work items, the rayon workers check (and, for Parquet output,
//! encode) each one as soon as a worker is free, and a writer thread puts the
//! results back in input order, so the output is the same whatever the
//! thread count and memory stays bounded by a window of work items.

use std::collections::BTreeMap;
use std::sync::mpsc::{channel, sync_channel};

use arrow::array::RecordBatch;
use rayon::prelude::*;

use crate::bulk::Progress;
use crate::check::CheckCounts;
use crate::error::ImeiError;

/// What a worker hands the writer: a batch (CSV output, written by the
/// writer) or a row group already encoded and compressed by the worker.
enum Piece {
    Batch(RecordBatch),
    RowGroup(tabular::EncodedRowGroup),
}

/// Writes what a worker handed over.
fn write_piece(sink: &mut tabular::BatchSink, piece: Piece) -> Result<(), ImeiError> {
    match piece {
        Piece::RowGroup(rg) => sink.append_row_group(rg)?,
        Piece::Batch(b) => sink.write(&b)?,
    }
    Ok(())
}

/// Turns a checked batch into what the writer takes: encoded here, on the
/// worker, when the output is Parquet.
fn piece(b: RecordBatch, encoder: Option<&tabular::RowGroupEncoder>) -> Result<Piece, ImeiError> {
    Ok(match encoder {
        Some(e) => Piece::RowGroup(e.encode(&b)?),
        None => Piece::Batch(b),
    })
}

/// Hands a work item to the workers: `(input done, item)`; `false` once the
/// writer has stopped.
pub(crate) type Emit<'e, T> = &'e mut dyn FnMut(u64, T) -> bool;

/// What a worker hands the writer: the work item's sequence number, the input
/// done at its end, and its encoded verdicts with their counts.
type Checked = (u64, u64, Result<(Option<Piece>, CheckCounts), ImeiError>);

/// Checks work items in parallel as they come and writes their verdicts in
/// input order.
///
/// A reader thread runs `produce`, which cuts the input into work items; the
/// rayon workers check (and, for Parquet, encode) each item as soon as one of
/// them is free, with no barrier between items; a writer thread puts the
/// results back in input order, adds the counts, writes and reports progress.
/// At most `window` items are between the reader and the written output
/// (the memory bound): the reader takes a token per item and the writer
/// returns it once the item is written. The first error in input order wins
/// (a reading error comes after every item read before it); after an error
/// nothing more is written and the temporary output is never renamed.
pub(crate) fn stream<T: Send>(
    sink: tabular::BatchSink,
    window: usize,
    total: u64,
    progress: Progress<'_>,
    produce: impl FnOnce(Emit<'_, T>) -> Result<(), ImeiError> + Send,
    check: impl Fn(T) -> Result<(RecordBatch, CheckCounts), ImeiError> + Sync,
) -> Result<CheckCounts, ImeiError> {
    let window = window.max(1);
    let encoder = sink.encoder();
    let (work_tx, work_rx) = sync_channel::<(u64, u64, Result<T, ImeiError>)>(window);
    let (done_tx, done_rx) = channel::<Checked>();
    let (token_tx, token_rx) = sync_channel::<()>(window);
    for _ in 0..window {
        let _ = token_tx.try_send(());
    }
    std::thread::scope(|s| {
        s.spawn(move || {
            let mut seq = 0u64;
            let read = produce(&mut |done, item| {
                let sent = token_rx.recv().is_ok() && work_tx.send((seq, done, Ok(item))).is_ok();
                seq += 1;
                sent
            });
            if let Err(e) = read {
                let _ = work_tx.send((seq, 0, Err(e)));
            }
        });
        let writer = s.spawn(
            move || -> Result<(tabular::BatchSink, CheckCounts), ImeiError> {
                let mut sink = sink;
                let mut counts = CheckCounts::default();
                let mut pending = BTreeMap::new();
                let mut next = 0u64;
                for (seq, done, r) in done_rx {
                    pending.insert(seq, (done, r));
                    while let Some((done, r)) = pending.remove(&next) {
                        let (p, c) = r?;
                        counts.add(&c);
                        if let Some(p) = p {
                            write_piece(&mut sink, p)?;
                        }
                        progress(done.min(total), total, counts.rows);
                        next += 1;
                        let _ = token_tx.send(());
                    }
                }
                Ok((sink, counts))
            },
        );
        work_rx
            .into_iter()
            .par_bridge()
            .for_each_with(done_tx, |tx, (seq, done, item)| {
                let r = item.and_then(&check).and_then(|(b, c)| {
                    let p = (b.num_rows() > 0)
                        .then(|| piece(b, encoder.as_ref()))
                        .transpose()?;
                    Ok((p, c))
                });
                let _ = tx.send((seq, done, r));
            });
        let (sink, counts) = writer
            .join()
            .map_err(|_| ImeiError::Invalid("the output writer thread panicked".into()))??;
        sink.finish()?;
        Ok(counts)
    })
}
