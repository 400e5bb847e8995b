//! Plane geometry without the platform's libm (plain IEEE arithmetic gives
//! the same bits on every machine): sine and cosine in degrees, and a
//! hexagonal spiral.

/// sin of an angle in degrees, from a Taylor series (plain IEEE arithmetic,
/// identical on every machine).
pub(super) fn sin_deg(deg: f64) -> f64 {
    let mut d = deg % 360.0;
    if d > 180.0 {
        d -= 360.0;
    } else if d < -180.0 {
        d += 360.0;
    }
    if d > 90.0 {
        d = 180.0 - d;
    } else if d < -90.0 {
        d = -180.0 - d;
    }
    let x = d * (std::f64::consts::PI / 180.0);
    let x2 = x * x;
    let mut term = x;
    let mut sum = x;
    for k in 1..10 {
        let k = f64::from(k);
        term *= -x2 / ((2.0 * k) * (2.0 * k + 1.0));
        sum += term;
    }
    sum
}

/// cos of an angle in degrees.
pub(super) fn cos_deg(deg: f64) -> f64 {
    sin_deg(deg + 90.0)
}

/// Axial hexagon `q` of a spiral from the centre, in units of the spacing (x east, y north).
pub(super) fn hex_spiral(q: u64) -> (f64, f64) {
    if q == 0 {
        return (0.0, 0.0);
    }
    let mut r = ((q as f64) / 3.0).sqrt() as u64;
    while 3 * r * (r + 1) < q {
        r += 1;
    }
    while r > 1 && 3 * (r - 1) * r >= q {
        r -= 1;
    }
    const D: [(i64, i64); 6] = [(1, 0), (0, 1), (-1, 1), (-1, 0), (0, -1), (1, -1)];
    let t = q - (3 * r * (r - 1) + 1);
    let (side, step) = ((t / r) as usize % 6, t % r);
    let (a0, b0) = D[side];
    let (da, db) = D[(side + 2) % 6];
    let (r, step) = (r as i64, step as i64);
    let (a, b) = ((r * a0 + step * da) as f64, (r * b0 + step * db) as f64);
    (a + b / 2.0, b * (3.0_f64.sqrt() / 2.0))
}
