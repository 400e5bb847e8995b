//! Seeded generators of synthetic IMEI data: a month of operator network
//! data ([`write_operator_month`]), a national registry (device list
//! with white / grey / black statuses, reasons, dates, import declarations and
//! synthetic owner IDs) and check files of N rows with a realistic TAC mix, a
//! share of malformed values, check-digit errors, unregistered and stolen
//! devices. IMEIs follow 3GPP TS 23.003 (TAC 8 + SNR 6 + Luhn check digit).
//!
//! Generation is chunked ([`CHUNK_ROWS`] rows per chunk, each with its own
//! ChaCha8 stream) and parallel, writing CSV bytes directly: the same seed
//! gives the same bytes whatever the thread count.

use std::io::Write;

use rayon::prelude::*;

/// Rows per generation chunk (fixed, so output does not depend on threads).
pub const CHUNK_ROWS: u64 = 1 << 18;

/// Errors of the IMEI generators.
#[derive(Debug, thiserror::Error)]
pub enum ImeiDataError {
    /// Writing the output failed.
    #[error("writing IMEI data: {0}")]
    Io(#[from] std::io::Error),
    /// A TAC source could not be used.
    #[error("TAC source, line {line}: {message}")]
    TacSource {
        /// 1-based line.
        line: usize,
        /// What was expected and found.
        message: String,
    },
    /// Bad parameters.
    #[error("{0}")]
    Invalid(String),
}

/// One TAC of the mix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TacEntry {
    /// 8-digit TAC.
    pub tac: u32,
    /// Manufacturer.
    pub manufacturer: String,
    /// Model.
    pub model: String,
}

/// A weighted TAC mix (Zipf-like popularity: weight ∝ 1 / rank).
#[derive(Debug, Clone)]
pub struct TacMix {
    entries: Vec<TacEntry>,
    cumulative: Vec<u64>,
}

/// Families of the built-in TAC list: manufacturer, model family, first TAC, count.
const FAMILIES: [(&str, &str, u32, u32); 30] = [
    ("Samsung", "Galaxy A", 35_123_410, 14),
    ("Samsung", "Galaxy S", 35_256_210, 12),
    ("Samsung", "Galaxy M", 35_891_811, 8),
    ("Apple", "iPhone", 35_332_811, 16),
    ("Apple", "iPhone Pro", 35_390_221, 10),
    ("Xiaomi", "Redmi Note", 86_130_105, 16),
    ("Xiaomi", "Redmi", 86_452_906, 12),
    ("Xiaomi", "Poco", 86_771_205, 8),
    ("Huawei", "nova", 86_220_304, 10),
    ("Huawei", "P", 86_675_003, 8),
    ("Honor", "X", 86_905_306, 10),
    ("Oppo", "A", 86_370_105, 12),
    ("Oppo", "Reno", 86_514_604, 8),
    ("Vivo", "Y", 86_028_507, 12),
    ("Vivo", "V", 86_605_306, 6),
    ("Realme", "C", 86_887_305, 10),
    ("Tecno", "Spark", 35_786_112, 10),
    ("Tecno", "Camon", 35_804_713, 6),
    ("Infinix", "Hot", 35_221_615, 10),
    ("Itel", "A", 35_510_914, 8),
    ("Nokia", "G", 35_341_712, 8),
    ("Nokia", "105", 35_171_911, 8),
    ("Motorola", "moto g", 35_903_412, 10),
    ("Google", "Pixel", 35_488_113, 8),
    ("OnePlus", "Nord", 86_640_106, 8),
    ("ZTE", "Blade", 86_198_603, 8),
    ("Alcatel", "1", 35_471_609, 6),
    ("Sony", "Xperia", 35_326_110, 6),
    ("Quectel", "EC25 LTE module", 86_167_504, 6),
    ("Teltonika", "FMB920 tracker", 35_209_617, 6),
];

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl TacMix {
    /// Builds a mix from entries in popularity order (first = most common).
    pub fn new(entries: Vec<TacEntry>) -> Result<TacMix, ImeiDataError> {
        if entries.is_empty() {
            return Err(ImeiDataError::Invalid(
                "a TAC mix needs at least one TAC".into(),
            ));
        }
        let mut cumulative = Vec::with_capacity(entries.len());
        let mut acc = 0u64;
        for rank in 0..entries.len() as u64 {
            acc += 1_000_000_000 / (rank + 10);
            cumulative.push(acc);
        }
        Ok(TacMix {
            entries,
            cumulative,
        })
    }

    /// The built-in list: 280 plausible TACs of 30 model families (written
    /// for Spectra; not real allocations).
    pub fn builtin() -> TacMix {
        let mut entries = Vec::new();
        for (man, family, first, count) in FAMILIES {
            for k in 0..count {
                entries.push(TacEntry {
                    tac: first + k * 37,
                    manufacturer: man.to_string(),
                    model: format!("{family} {}", 10 + k * 3),
                });
            }
        }
        // Popularity order: deterministic shuffle by hash.
        entries.sort_by_key(|e| splitmix(u64::from(e.tac)));
        TacMix {
            cumulative: Self::cumulative(entries.len()),
            entries,
        }
    }

    fn cumulative(n: usize) -> Vec<u64> {
        let mut acc = 0u64;
        (0..n as u64)
            .map(|rank| {
                acc += 1_000_000_000 / (rank + 10);
                acc
            })
            .collect()
    }

    /// Reads the TACs of an Osmocom TAC CSV (licence line, header, rows:
    /// `tac,manufacturer,model,…`); popularity order is a seeded shuffle.
    pub fn from_osmocom(text: &str) -> Result<TacMix, ImeiDataError> {
        let mut entries = Vec::new();
        for (i, line) in text.lines().enumerate().skip(2) {
            let mut parts = line.split(',');
            let tac_text = parts.next().unwrap_or("").trim();
            if tac_text.is_empty() {
                continue;
            }
            let Ok(tac) = tac_text.parse::<u32>() else {
                return Err(ImeiDataError::TacSource {
                    line: i + 1,
                    message: format!("expected a TAC, found {tac_text:?}"),
                });
            };
            if tac >= 100_000_000 {
                return Err(ImeiDataError::TacSource {
                    line: i + 1,
                    message: format!("TAC {tac} has more than 8 digits"),
                });
            }
            let man = parts
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches('"')
                .to_string();
            let model = parts
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches('"')
                .to_string();
            entries.push(TacEntry {
                tac,
                manufacturer: man,
                model,
            });
        }
        entries.sort_by_key(|e| splitmix(u64::from(e.tac) ^ 0x05EC_7A11));
        entries.dedup_by_key(|e| e.tac);
        TacMix::new(entries)
    }

    /// The entries, most popular first.
    pub fn entries(&self) -> &[TacEntry] {
        &self.entries
    }

    /// Picks an entry from a uniform 64-bit value.
    pub fn pick(&self, u: u64) -> &TacEntry {
        let total = self.cumulative.last().copied().unwrap_or(1).max(1);
        let x = u % total;
        let i = self
            .cumulative
            .partition_point(|&c| c <= x)
            .min(self.entries.len() - 1);
        &self.entries[i]
    }
}

/// The mix as an Osmocom-format TAC CSV (licence line, header, rows), quoting
/// fields that contain commas.
pub fn tac_mix_csv(mix: &TacMix) -> String {
    let q = |s: &str| {
        if s.contains([',', '"']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut out = String::from(
        "Synthetic TAC list written for Spectra (not real allocations)\ntac,name,name\n",
    );
    for e in mix.entries() {
        out.push_str(&format!(
            "{:08},{},{}\n",
            e.tac,
            q(&e.manufacturer),
            q(&e.model)
        ));
    }
    out
}

/// The Luhn check digit of a 14-digit body (3GPP TS 23.003 annex B).
pub fn check_digit(body: u64) -> u8 {
    let mut k = body;
    let mut sum = 0u32;
    for i in 0..14 {
        let d = (k % 10) as u32;
        k /= 10;
        sum += if i % 2 == 0 {
            (d * 2) / 10 + (d * 2) % 10
        } else {
            d
        };
    }
    ((10 - sum % 10) % 10) as u8
}

fn push_digits(out: &mut Vec<u8>, mut v: u64, n: usize) {
    let start = out.len();
    out.resize(start + n, b'0');
    for i in (0..n).rev() {
        out[start + i] = b'0' + (v % 10) as u8;
        v /= 10;
    }
}

mod checkfile;
mod network;
mod registry;

pub use checkfile::*;
pub use network::*;
pub use registry::*;

pub(crate) fn write_chunks<W: Write>(
    rows: u64,
    out: &mut W,
    progress: &(dyn Fn(u64) + Sync),
    gen_chunk: impl Fn(u64, u64, u64, &mut Vec<u8>) + Sync,
) -> Result<u64, ImeiDataError> {
    let chunks = rows.div_ceil(CHUNK_ROWS);
    let group = (rayon::current_num_threads() as u64 * 2).max(2);
    let mut done = 0u64;
    let mut c0 = 0u64;
    while c0 < chunks {
        let c1 = (c0 + group).min(chunks);
        let bufs: Vec<Vec<u8>> = (c0..c1)
            .into_par_iter()
            .map(|c| {
                let first = c * CHUNK_ROWS;
                let n = CHUNK_ROWS.min(rows - first);
                let mut buf = Vec::with_capacity(n as usize * 24);
                gen_chunk(c, first, n, &mut buf);
                buf
            })
            .collect();
        for b in &bufs {
            out.write_all(b)?;
        }
        done = (c1 * CHUNK_ROWS).min(rows);
        progress(done);
        c0 = c1;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::registry::chrono_like;
    use super::*;

    #[test]
    fn luhn_example_and_dates() {
        assert_eq!(check_digit(26_053_179_311_383), 7);
        assert_eq!(chrono_like(0), "2024-01-01");
        assert_eq!(chrono_like(59), "2024-02-29");
        assert_eq!(chrono_like(366), "2025-01-01");
    }

    #[test]
    fn deterministic_and_shaped() {
        let mix = TacMix::builtin();
        assert_eq!(mix.entries().len(), 280);
        let reg = RegistrySpec::new(1000, 7);
        let spec = CheckSpec::new(CHUNK_ROWS + 500, 7);
        let mut a = Vec::new();
        let mut b = Vec::new();
        write_check_csv(&spec, &reg, &mix, &mut a, &|_| {}).unwrap();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        pool.install(|| write_check_csv(&spec, &reg, &mix, &mut b, &|_| {}).unwrap());
        assert_eq!(a, b);
        let text = String::from_utf8(a).unwrap();
        assert_eq!(text.lines().count() as u64, spec.rows + 1);
        let malformed = text
            .lines()
            .skip(1)
            .filter(|l| {
                !l.split(',')
                    .next()
                    .unwrap()
                    .bytes()
                    .all(|c| c.is_ascii_digit())
                    || l.starts_with(',')
            })
            .count();
        assert!(malformed > 1000 && malformed < 5000, "{malformed}");
        let mut r = Vec::new();
        write_registry_csv(&reg, &mix, &mut r, &|_| {}).unwrap();
        let rt = String::from_utf8(r).unwrap();
        assert_eq!(rt.lines().count(), 1001);
        assert!(rt.contains(",black,") && rt.contains(",grey,") && rt.contains(",white,"));
    }

    /// Regression: the same key drawn twice with different statuses made a
    /// list that a strict import refuses; each device is now listed once.
    #[test]
    fn registry_lists_name_each_device_once() {
        let mix = TacMix::builtin();
        let reg = RegistrySpec::new(300_000, 5);
        let repeats = registry::repeated_draws(&reg, &mix);
        assert!(!repeats.is_empty(), "the test needs repeated draws to drop");
        let mut r = Vec::new();
        let rows = write_registry_csv(&reg, &mix, &mut r, &|_| {}).unwrap();
        assert_eq!(rows, 300_000 - repeats.len() as u64);
        let text = String::from_utf8(r).unwrap();
        let keys: std::collections::HashSet<&str> =
            text.lines().skip(1).map(|l| &l[..14]).collect();
        assert_eq!(keys.len() as u64, rows);
        assert_eq!(text.lines().count() as u64, rows + 1);
    }

    #[test]
    fn osmocom_mix() {
        let text = "licence\ntac,name,name\n35675904,Oppo,N1\n49013920,Nokia,1610\n";
        let mix = TacMix::from_osmocom(text).unwrap();
        assert_eq!(mix.entries().len(), 2);
        assert!(TacMix::from_osmocom("l\nh\nabc,x,y\n").is_err());
    }
}
