//! Criterion benchmarks for Spectra (see `benches/`).
