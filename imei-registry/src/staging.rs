//! Bulk writes: rows reach DuckDB as one Arrow batch scanned by a table
//! function (`spectra_arrow(?)`), never row by row — the one way this crate
//! writes many rows.

use arrow::array::{Array, RecordBatch, StructArray};
use duckdb::Connection;

use crate::error::RegistryError;

/// Runs `sql`, whose one parameter is the table function `spectra_arrow(?)`
/// over `batch` (e.g. `INSERT INTO t SELECT … FROM spectra_arrow(?)`), on
/// `conn` (a transaction or the connection); returns the rows changed. An
/// empty batch runs nothing.
pub(crate) fn with_batch(
    conn: &Connection,
    sql: &str,
    batch: RecordBatch,
    ctx: &str,
) -> Result<usize, RegistryError> {
    if batch.num_rows() == 0 {
        return Ok(0);
    }
    // Registering again on the same connection is harmless.
    let _ = conn.register_table_function::<duckdb::vtab::arrow::ArrowVTab>("spectra_arrow");
    let array = StructArray::from(batch);
    let reg = duckdb::vtab::ArrowBatchRegistration::from_array_data(array.to_data())
        .map_err(RegistryError::arrow("registering a batch"))?;
    conn.execute(sql, [&reg]).map_err(RegistryError::db(ctx))
}

/// A batch of the named columns.
pub(crate) fn batch(
    cols: Vec<(&str, std::sync::Arc<dyn Array>)>,
) -> Result<RecordBatch, RegistryError> {
    RecordBatch::try_from_iter(cols).map_err(RegistryError::arrow("building a batch"))
}

/// Every row of `sql` with `params`, each mapped by `row`.
pub(crate) fn query_all<T>(
    conn: &duckdb::Connection,
    sql: &str,
    params: impl duckdb::Params,
    ctx: &str,
    row: impl FnMut(&duckdb::Row<'_>) -> duckdb::Result<T>,
) -> Result<Vec<T>, RegistryError> {
    let mut st = conn.prepare(sql).map_err(RegistryError::db(ctx))?;
    st.query_map(params, row)
        .map_err(RegistryError::db(ctx))?
        .collect::<Result<_, _>>()
        .map_err(RegistryError::db(ctx))
}
