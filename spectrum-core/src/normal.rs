//! The standard normal distribution's inverse, to full double precision:
//! Wichura's algorithm AS 241 (`PPND16`, Applied Statistics 37(3), 1988),
//! relative error about 1e-16 over the whole open interval.
//!
//! Propagation recommendations write location and time percentages through
//! Q⁻¹(p), the inverse *complementary* normal distribution. Where a
//! recommendation prescribes its own approximation (ITU-R P.1812's I(x), the
//! Abramowitz & Stegun 26.2.23 rational form in P.1057, ITM's), the model uses
//! that one; where it names the function itself (ITU-R P.2108), this exact
//! version is used.

/// The standard normal quantile Φ⁻¹(p): the z with P(Z ≤ z) = p.
///
/// `p` must lie in (0, 1); 0 and 1 give ∓∞ and anything else NaN.
///
/// ```
/// use spectrum_core::normal::normal_quantile;
/// assert!((normal_quantile(0.975) - 1.959963984540054).abs() < 1e-14);
/// assert_eq!(normal_quantile(0.5), 0.0);
/// ```
pub fn normal_quantile(p: f64) -> f64 {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q * poly(&CENTRAL_NUM, r) / poly(&CENTRAL_DEN, r);
    }
    let tail = if q < 0.0 { p } else { 1.0 - p };
    let r = (-tail.ln()).sqrt();
    let z = if r <= 5.0 {
        let r = r - 1.6;
        poly(&NEAR_NUM, r) / poly(&NEAR_DEN, r)
    } else {
        let r = r - 5.0;
        poly(&FAR_NUM, r) / poly(&FAR_DEN, r)
    };
    if q < 0.0 { -z } else { z }
}

/// Q⁻¹(q): the z exceeded with probability `q` by a standard normal variable
/// (the inverse complementary distribution), `q` in (0, 1).
///
/// ```
/// use spectrum_core::normal::inverse_complementary;
/// assert!((inverse_complementary(0.1) - 1.2815515655446004).abs() < 1e-14);
/// ```
pub fn inverse_complementary(q: f64) -> f64 {
    -normal_quantile(q)
}

/// Horner evaluation, coefficients from the constant term up.
fn poly(c: &[f64; 8], x: f64) -> f64 {
    c.iter().rev().fold(0.0, |acc, &k| acc * x + k)
}

const CENTRAL_NUM: [f64; 8] = [
    3.387_132_872_796_366_5,
    1.331_416_678_917_843_8e2,
    1.971_590_950_306_551_3e3,
    1.373_169_376_550_946e4,
    4.592_195_393_154_987e4,
    6.726_577_092_700_87e4,
    3.343_057_558_358_813e4,
    2.509_080_928_730_122_7e3,
];
const CENTRAL_DEN: [f64; 8] = [
    1.0,
    4.231_333_070_160_091e1,
    6.871_870_074_920_579e2,
    5.394_196_021_424_751e3,
    2.121_379_430_158_659_7e4,
    3.930_789_580_009_271e4,
    2.872_908_573_572_194_3e4,
    5.226_495_278_852_545e3,
];
const NEAR_NUM: [f64; 8] = [
    1.423_437_110_749_683_5,
    4.630_337_846_156_546,
    5.769_497_221_460_691,
    3.647_848_324_763_204_5,
    1.270_458_252_452_368_4,
    2.417_807_251_774_506e-1,
    2.272_384_498_926_918_4e-2,
    7.745_450_142_783_414e-4,
];
const NEAR_DEN: [f64; 8] = [
    1.0,
    2.053_191_626_637_759,
    1.676_384_830_183_803_8,
    6.897_673_349_851e-1,
    1.481_039_764_274_800_8e-1,
    1.519_866_656_361_645_7e-2,
    5.475_938_084_995_345e-4,
    1.050_750_071_644_416_9e-9,
];
const FAR_NUM: [f64; 8] = [
    6.657_904_643_501_103,
    5.463_784_911_164_114,
    1.784_826_539_917_291_3,
    2.965_605_718_285_048_7e-1,
    2.653_218_952_657_612_4e-2,
    1.242_660_947_388_078_4e-3,
    2.711_555_568_743_487_6e-5,
    2.010_334_399_292_288_1e-7,
];
const FAR_DEN: [f64; 8] = [
    1.0,
    5.998_322_065_558_88e-1,
    1.369_298_809_227_358e-1,
    1.487_536_129_085_061_5e-2,
    7.868_691_311_456_133e-4,
    1.846_318_317_510_054_8e-5,
    1.421_511_758_316_446e-7,
    2.044_263_103_389_939_8e-15,
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Quantiles from R's `qnorm` / Python's `NormalDist.inv_cdf` (both AS 241).
    #[test]
    fn matches_published_quantiles() {
        let cases: [(f64, f64); 6] = [
            (0.5, 0.0),
            (0.8413447460685429, 1.0),
            (0.99, 2.326347874040841),
            (0.01, -2.326347874040841),
            (1e-10, -6.361340902404056),
            (1e-300, -37.0470962993612),
        ];
        for (p, z) in cases {
            let got = normal_quantile(p);
            let tol = 1e-13 * z.abs().max(1.0);
            assert!((got - z).abs() < tol, "p={p}: {got} vs {z}");
        }
    }

    #[test]
    fn is_odd_and_inverts_the_distribution() {
        for k in 1..1000 {
            let p = f64::from(k) / 1000.0;
            assert!((normal_quantile(p) + normal_quantile(1.0 - p)).abs() < 1e-12);
            assert!((inverse_complementary(p) - normal_quantile(1.0 - p)).abs() < 1e-12);
        }
        assert!(normal_quantile(1.5).is_nan());
        assert_eq!(normal_quantile(0.0), f64::NEG_INFINITY);
    }
}
