//! Draws the spectrum chart of a table: `cargo run --release -p
//! allocation-table --example chart -- <table-path> <out.png|out.svg>`.
//! The chart is the open view of the table (restricted bands withheld).

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args_os().skip(1);
    let (Some(table), Some(out)) = (args.next(), args.next()) else {
        return Err("usage: chart <table-path> <out.png|out.svg>".into());
    };
    let (table, out) = (PathBuf::from(table), PathBuf::from(out));
    let t = allocation_table::load::load(&table)?.table;
    let open = allocation_table::publish::view(&t, allocation_table::publish::Audience::Open);
    if out.extension().is_some_and(|e| e == "svg") {
        allocation_table::chart::write_svg(&open, &out)?;
    } else {
        allocation_table::chart::write_png(&open, &out)?;
    }
    Ok(())
}
