//! The libm results of ITM v1.3 that depend on the frequency alone (NTIA
//! `DiffractionLoss`'s f^±⅓, `LongleyRice`'s ln f, `Variability`'s
//! (575.7·10¹²/w_n)^⅓ and ln(0.133·w_n), the free-space loss's log₁₀ f),
//! computed once per thread for the frequency in use.
//!
//! A map, a batch of paths or a study calls the model many times at one
//! frequency; the six calls cost about as much as a short profile's
//! analysis. Each value is the same expression NTIA evaluates, so the
//! results are the same bits.

use std::cell::Cell;

/// ⅓, as NTIA writes it.
pub(crate) const THIRD: f64 = 1.0 / 3.0;

/// The frequency-only terms for one frequency (MHz).
#[derive(Debug, Clone, Copy)]
pub(crate) struct FrequencyTerms {
    f_mhz: f64,
    /// f^⅓ (`DiffractionLoss`).
    pub third: f64,
    /// f^−⅓ (`DiffractionLoss`).
    pub minus_third: f64,
    /// ln f (`LongleyRice`, the distance `d_x`).
    pub ln: f64,
    /// log₁₀ f (free-space loss).
    pub log10: f64,
    /// (575.7·10¹² / w_n)^⅓, w_n = f / 47.7 (`Variability`, `d_ex`).
    pub variability_cbrt: f64,
    /// ln(0.133·w_n) (`Variability`, the climate curves).
    pub variability_ln: f64,
}

impl FrequencyTerms {
    /// The terms of `f_mhz`, from this thread's last frequency when equal.
    pub(crate) fn of(f_mhz: f64) -> Self {
        thread_local! {
            static LAST: Cell<Option<FrequencyTerms>> = const { Cell::new(None) };
        }
        LAST.with(|last| match last.get() {
            Some(t) if t.f_mhz.to_bits() == f_mhz.to_bits() => t,
            _ => {
                let t = Self::compute(f_mhz);
                last.set(Some(t));
                t
            }
        })
    }

    fn compute(f_mhz: f64) -> Self {
        let wn = f_mhz / 47.7;
        FrequencyTerms {
            f_mhz,
            third: f_mhz.powf(THIRD),
            minus_third: f_mhz.powf(-THIRD),
            ln: f_mhz.ln(),
            log10: f_mhz.log10(),
            variability_cbrt: (575.7e12 / wn).powf(THIRD),
            variability_ln: (0.133 * wn).ln(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_terms_are_the_computed_ones() {
        for f in [600.0, 3500.0, 600.0, 20.0, f64::NAN, 20.0] {
            let a = FrequencyTerms::of(f);
            let b = FrequencyTerms::compute(f);
            let bits = |t: FrequencyTerms| {
                [
                    t.third,
                    t.minus_third,
                    t.ln,
                    t.log10,
                    t.variability_cbrt,
                    t.variability_ln,
                ]
                .map(f64::to_bits)
            };
            assert_eq!(bits(a), bits(b), "{f} MHz");
            assert_eq!(a.third.to_bits(), f.powf(1.0 / 3.0).to_bits());
        }
    }
}
