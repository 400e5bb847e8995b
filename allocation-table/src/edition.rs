//! Edition constants of the ITU Radio Regulations (RR Article 2 and 5) that
//! bound a table of frequency allocations, and the ITU band numbers
//! (RR No. 2.1, Recommendation ITU-R V.431).
//!
//! The lowest allocated frequency moved from 9 kHz to 8.3 kHz at WRC-12
//! (meteorological aids, RR 5.54A); the highest allocated edge is 275 GHz;
//! radio waves are electromagnetic waves below 3000 GHz (RR No. 1.5).

use serde::{Deserialize, Serialize};

/// Upper limit of radio waves (RR No. 1.5): 3000 GHz.
pub const RADIO_WAVES_UPPER_HZ: u64 = 3_000_000_000_000;

/// The limits of the allocation table for one edition of the Radio Regulations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionLimits {
    /// Short name of the edition range.
    pub name: &'static str,
    /// Lowest allocated band edge, Hz.
    pub lowest_allocated_hz: u64,
    /// Highest allocated band edge, Hz.
    pub highest_allocated_hz: u64,
    /// Upper limit of radio waves, Hz.
    pub radio_waves_upper_hz: u64,
}

/// Radio Regulations from WRC-12 on (2012 edition and later): 8.3 kHz – 275 GHz.
pub const WRC_12: EditionLimits = EditionLimits {
    name: "RR 2012 and later (WRC-12 onwards)",
    lowest_allocated_hz: 8_300,
    highest_allocated_hz: 275_000_000_000,
    radio_waves_upper_hz: RADIO_WAVES_UPPER_HZ,
};

/// Radio Regulations before WRC-12: 9 kHz – 275 GHz.
pub const PRE_WRC_12: EditionLimits = EditionLimits {
    name: "RR before 2012 (before WRC-12)",
    lowest_allocated_hz: 9_000,
    highest_allocated_hz: 275_000_000_000,
    radio_waves_upper_hz: RADIO_WAVES_UPPER_HZ,
};

impl EditionLimits {
    /// The limits for a table edition given as text: the first four-digit
    /// year found decides (2012 or later → [`WRC_12`], earlier →
    /// [`PRE_WRC_12`]); no year → [`WRC_12`] (the current rules).
    ///
    /// ```
    /// use allocation_table::edition::{EditionLimits, PRE_WRC_12, WRC_12};
    /// assert_eq!(EditionLimits::for_edition("2012"), WRC_12);
    /// assert_eq!(EditionLimits::for_edition("RR 2008"), PRE_WRC_12);
    /// ```
    pub fn for_edition(edition: &str) -> EditionLimits {
        let year = edition
            .as_bytes()
            .windows(4)
            .find(|w| w.iter().all(u8::is_ascii_digit))
            .and_then(|w| std::str::from_utf8(w).ok())
            .and_then(|y| y.parse::<u32>().ok());
        match year {
            Some(y) if y < 2012 => PRE_WRC_12,
            _ => WRC_12,
        }
    }
}

/// ITU band number N (4 = VLF … 12 = THF) of a frequency: band N covers
/// 0.3·10^N Hz (exclusive) to 3·10^N Hz (inclusive). Frequencies outside
/// bands 4–12 give `None`.
///
/// ```
/// use allocation_table::edition::{itu_band_number, itu_band_name};
/// assert_eq!(itu_band_number(435_000_000), Some(9));
/// assert_eq!(itu_band_number(3_000), None);          // lower edge of band 4 is exclusive
/// assert_eq!(itu_band_number(30_000), Some(4));      // upper edge inclusive
/// assert_eq!(itu_band_name(9), Some("UHF"));
/// ```
pub fn itu_band_number(freq_hz: u64) -> Option<u8> {
    (4u8..=12).find(|&n| {
        let upper = 3 * 10u64.pow(u32::from(n));
        let lower = upper / 10;
        freq_hz > lower && freq_hz <= upper
    })
}

/// Abbreviation of ITU band N (4–12): VLF, LF, MF, HF, VHF, UHF, SHF, EHF, THF.
pub fn itu_band_name(band: u8) -> Option<&'static str> {
    const NAMES: [&str; 9] = ["VLF", "LF", "MF", "HF", "VHF", "UHF", "SHF", "EHF", "THF"];
    band.checked_sub(4)
        .and_then(|i| NAMES.get(usize::from(i)))
        .copied()
}

/// Edges of ITU band N (4–12) in Hz: (lower exclusive, upper inclusive).
pub fn itu_band_edges_hz(band: u8) -> Option<(u64, u64)> {
    (4..=12).contains(&band).then(|| {
        let upper = 3 * 10u64.pow(u32::from(band));
        (upper / 10, upper)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_numbers_cover_vlf_to_thf() {
        assert_eq!(itu_band_number(3_001), Some(4));
        assert_eq!(itu_band_number(300_000_000), Some(8));
        assert_eq!(itu_band_number(300_000_001), Some(9));
        assert_eq!(itu_band_number(3_000_000_000_000), Some(12));
        assert_eq!(itu_band_number(3_000_000_000_001), None);
        assert_eq!(itu_band_name(12), Some("THF"));
        assert_eq!(itu_band_name(3), None);
        assert_eq!(itu_band_edges_hz(8), Some((30_000_000, 300_000_000)));
    }

    #[test]
    fn edition_limits_depend_on_wrc_12() {
        assert_eq!(
            EditionLimits::for_edition("2015").lowest_allocated_hz,
            8_300
        );
        assert_eq!(
            EditionLimits::for_edition("2004").lowest_allocated_hz,
            9_000
        );
        assert_eq!(
            EditionLimits::for_edition("").highest_allocated_hz,
            275_000_000_000
        );
    }
}
