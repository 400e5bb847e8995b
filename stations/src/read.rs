//! Import of the register from CSV or Parquet (chosen by extension), with the
//! schema documented in `stations/README.md`.
//!
//! Every field is checked; the first bad one (by line) is reported with its
//! file, line and column and nothing is returned (no partial register). Rows
//! are converted in parallel chunks ([`crate::rows`]).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use allocation_table::Category;
use allocation_table::service::RadioService;

use spectrum_core::coverage::pattern::AntennaPattern;

use crate::emission::Emission;
use crate::error::StationsError;
use crate::model::{
    Assignment, AssignmentStatus, Direction, NATIONAL_STATE_SHARE_MIN_PCT, Operator, OperatorKind,
    Polarisation, Site, Station, UserKind,
};
use crate::register::{ProtectionDefaults, Register};
use crate::rows::{Col, Row, read_rows};

/// Columns every register file must have.
pub const REQUIRED_COLUMNS: [Col; 8] = [
    Col::Id,
    Col::Operator,
    Col::Service,
    Col::LatDeg,
    Col::LonDeg,
    Col::AntennaHeightM,
    Col::FreqHz,
    Col::Emission,
];

/// Columns an operators file must have (`state_share_pct` is optional).
pub const OPERATOR_COLUMNS: [Col; 3] = [Col::Name, Col::Kind, Col::User];

fn assignment(
    row: &Row<'_>,
    operators: &BTreeMap<String, Operator>,
    protection: &ProtectionDefaults,
) -> Result<Assignment, StationsError> {
    let id = row.required(Col::Id)?.to_owned();
    let operator = row.required(Col::Operator)?.to_owned();
    if !operators.is_empty() && !operators.contains_key(&operator) {
        return Err(row.error(
            Col::Operator,
            "an operator of the operators file",
            &operator,
        ));
    }
    let service_text = row.required(Col::Service)?;
    let service = RadioService::lookup(service_text).ok_or_else(|| {
        row.error(
            Col::Service,
            "a radio service of RR Article 1 (e.g. land_mobile, fixed, broadcasting)",
            service_text,
        )
    })?;
    let lat_deg = row
        .number(Col::LatDeg, -90.0, 90.0)?
        .ok_or_else(|| row.error(Col::LatDeg, "a value", ""))?;
    let lon_deg = row
        .number(Col::LonDeg, -180.0, 180.0)?
        .ok_or_else(|| row.error(Col::LonDeg, "a value", ""))?;
    let antenna_height_m = row
        .number(Col::AntennaHeightM, 0.0, 3000.0)?
        .ok_or_else(|| row.error(Col::AntennaHeightM, "a value", ""))?;
    let freq_text = row.required(Col::FreqHz)?;
    let freq_hz = freq_text
        .parse::<u64>()
        .ok()
        .filter(|&f| f > 0)
        .ok_or_else(|| row.error(Col::FreqHz, "a whole number of hertz above 0", freq_text))?;
    let emission_text = row.required(Col::Emission)?;
    let emission = Emission::parse(emission_text).map_err(|e| {
        row.error(
            Col::Emission,
            &format!("an emission designator ({e})"),
            emission_text,
        )
    })?;
    let direction = row
        .parsed(Col::Direction, "tx, rx or txrx", Direction::parse)?
        .unwrap_or(Direction::TxRx);
    let gain_dbi = row.number(Col::GainDbi, -50.0, 80.0)?.unwrap_or(0.0);
    let eirp_given = row.number(Col::EirpDbm, -100.0, 150.0)?;
    let tx_power = row.number(Col::TxPowerDbm, -100.0, 120.0)?;
    let feeder_loss_db = row.number(Col::FeederLossDb, 0.0, 100.0)?.unwrap_or(0.0);
    let eirp_dbm = eirp_given.or(tx_power.map(|p| p - feeder_loss_db + gain_dbi));
    if direction.transmits() && eirp_dbm.is_none() {
        return Err(row.error(
            Col::EirpDbm,
            "an EIRP (or tx_power_dbm) for a transmitter",
            "",
        ));
    }
    let category = row.parsed(Col::Category, "government or civil", |t| {
        Category::parse(t).filter(|c| *c != Category::Joint)
    })?;
    let valid_from = row.date(Col::ValidFrom)?;
    let valid_to = row.date(Col::ValidTo)?;
    if let (Some(from), Some(to)) = (valid_from, valid_to)
        && to < from
    {
        return Err(row.error(
            Col::ValidTo,
            &format!("a date on or after valid_from {from}"),
            &to.to_string(),
        ));
    }
    let protection_i_n_db = row
        .number(Col::ProtectionINDb, -60.0, 30.0)?
        .unwrap_or_else(|| protection.i_n_db(service));
    Ok(Assignment {
        id,
        operator,
        station: Station {
            site: Site {
                lat_deg,
                lon_deg,
                ground_m: row.number(Col::GroundM, -500.0, 9000.0)?,
            },
            direction,
            antenna_height_m,
            gain_dbi,
            pattern: row.text(Col::Antenna).map(str::to_owned),
            azimuth_deg: row.number(Col::AzimuthDeg, 0.0, 360.0)?.unwrap_or(0.0),
            tilt_deg: row.number(Col::TiltDeg, -90.0, 90.0)?.unwrap_or(0.0),
            polarisation: row.parsed(
                Col::Polarisation,
                "h, v, x, rhcp or lhcp",
                Polarisation::parse,
            )?,
            eirp_dbm,
            noise_figure_db: row.number(Col::NoiseFigureDb, 0.0, 40.0)?,
            noise_dbm: row.number(Col::NoiseDbm, -250.0, 0.0)?,
            emission_mask: row.text(Col::Mask).map(str::to_owned),
            rx_mask: row.text(Col::RxMask).map(str::to_owned),
        },
        freq_hz,
        emission,
        service,
        category,
        status: row
            .parsed(
                Col::Status,
                "planned, licensed or suspended",
                AssignmentStatus::parse,
            )?
            .unwrap_or(AssignmentStatus::Licensed),
        valid_from,
        valid_to,
        licence: row.text(Col::Licence).map(str::to_owned),
        protection_i_n_db,
        link: row.text(Col::Link).map(str::to_owned),
        line: row.line,
    })
}

/// Reads an operators file (CSV or Parquet: `name, kind, user[, state_share_pct]`).
///
/// A national operator needs a state share of at least 80 %; names are unique.
pub fn read_operators(path: &Path) -> Result<BTreeMap<String, Operator>, StationsError> {
    let rows = read_rows(path, &OPERATOR_COLUMNS, |row| {
        Ok((row.line, operator_row(row)?))
    })?;
    let mut out = BTreeMap::new();
    let mut lines: HashMap<String, usize> = HashMap::new();
    for (line, operator) in rows {
        if let Some(first) = lines.insert(operator.name.clone(), line) {
            return Err(StationsError::Field {
                file: path.display().to_string(),
                line,
                field: Col::Name.name().to_owned(),
                expected: format!("a name not used before (line {first} has it)"),
                found: operator.name,
            });
        }
        out.insert(operator.name.clone(), operator);
    }
    Ok(out)
}

fn operator_row(row: &Row<'_>) -> Result<Operator, StationsError> {
    let name = row.required(Col::Name)?.to_owned();
    let kind = row
        .parsed(
            Col::Kind,
            "network, virtual or national",
            OperatorKind::parse,
        )?
        .ok_or_else(|| row.error(Col::Kind, "network, virtual or national", ""))?;
    let user = row
        .parsed(Col::User, "government or civil", UserKind::parse)?
        .ok_or_else(|| row.error(Col::User, "government or civil", ""))?;
    let state_share_pct = row.number(Col::StateSharePct, 0.0, 100.0)?;
    if kind == OperatorKind::National
        && state_share_pct.is_none_or(|s| s < NATIONAL_STATE_SHARE_MIN_PCT)
    {
        return Err(row.error(
            Col::StateSharePct,
            "a state share of at least 80 % for a national operator",
            &state_share_pct.map_or(String::new(), |s| s.to_string()),
        ));
    }
    Ok(Operator {
        name,
        kind,
        user,
        state_share_pct,
    })
}

/// Reads a register file (CSV or Parquet), with an optional operators file.
///
/// Identifiers are unique; with an operators file every assignment's
/// operator must be in it. The first problem is returned, naming file, line
/// and field, and no register.
pub fn read_register(
    path: &Path,
    operators: Option<&Path>,
    protection: &ProtectionDefaults,
) -> Result<Register, StationsError> {
    let operators = match operators {
        Some(p) => read_operators(p)?,
        None => BTreeMap::new(),
    };
    let assignments = read_rows(path, &REQUIRED_COLUMNS, |row| {
        assignment(row, &operators, protection)
    })?;
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(assignments.len());
    for a in &assignments {
        if let Some(first) = seen.insert(a.id.as_str(), a.line) {
            return Err(StationsError::Field {
                file: path.display().to_string(),
                line: a.line,
                field: Col::Id.name().to_owned(),
                expected: format!("an id not used before (line {first} has it)"),
                found: a.id.clone(),
            });
        }
    }
    check_patterns(path, &assignments)?;
    Ok(Register {
        operators,
        assignments,
    })
}

/// The file an `antenna` value names: as written when absolute, else
/// relative to the register file's directory.
pub fn pattern_path(register: &Path, antenna: &str) -> std::path::PathBuf {
    let p = Path::new(antenna);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        register.parent().unwrap_or(Path::new(".")).join(p)
    }
}

/// Every distinct antenna pattern named by the register must read as an MSI
/// pattern (as `spectra coverage --pattern` reads it); the first line naming
/// a bad one is reported.
fn check_patterns(path: &Path, assignments: &[Assignment]) -> Result<(), StationsError> {
    let mut seen: HashMap<&str, ()> = HashMap::new();
    for a in assignments {
        let Some(antenna) = a.station.pattern.as_deref() else {
            continue;
        };
        if seen.insert(antenna, ()).is_some() {
            continue;
        }
        if let Err(e) = AntennaPattern::read_msi(&pattern_path(path, antenna)) {
            return Err(StationsError::Field {
                file: path.display().to_string(),
                line: a.line,
                field: Col::Antenna.name().to_owned(),
                expected: format!("a readable MSI antenna pattern file ({e})"),
                found: antenna.to_owned(),
            });
        }
    }
    Ok(())
}
