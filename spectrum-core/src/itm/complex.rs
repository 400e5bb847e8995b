//! The few complex-number operations ITM needs (ground impedance and the
//! two-ray reflection coefficient), with the semantics of C++ `std::complex<double>`.

/// A complex number `re + i·im`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Complex {
    pub re: f64,
    pub im: f64,
}

impl Complex {
    pub(crate) const fn new(re: f64, im: f64) -> Self {
        Self { re, im }
    }

    /// Principal square root.
    pub(crate) fn sqrt(self) -> Self {
        if self.re == 0.0 && self.im == 0.0 {
            return Self::new(0.0, self.im);
        }
        let m = self.abs();
        if self.re >= 0.0 {
            let t = ((m + self.re) * 0.5).sqrt();
            Self::new(t, self.im / (2.0 * t))
        } else {
            let t = ((m - self.re) * 0.5).sqrt();
            Self::new(self.im.abs() / (2.0 * t), t.copysign(self.im))
        }
    }

    /// Modulus |z|.
    pub(crate) fn abs(self) -> f64 {
        self.re.hypot(self.im)
    }

    pub(crate) fn add(self, o: Self) -> Self {
        Self::new(self.re + o.re, self.im + o.im)
    }

    pub(crate) fn sub(self, o: Self) -> Self {
        Self::new(self.re - o.re, self.im - o.im)
    }

    pub(crate) fn scale(self, k: f64) -> Self {
        Self::new(self.re * k, self.im * k)
    }

    pub(crate) fn div(self, o: Self) -> Self {
        let d = o.re * o.re + o.im * o.im;
        Self::new(
            (self.re * o.re + self.im * o.im) / d,
            (self.im * o.re - self.re * o.im) / d,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::Complex;

    #[test]
    fn sqrt_squares_back() {
        let z = Complex::new(14.0, 0.0257);
        let r = z.sqrt();
        let back = Complex::new(r.re * r.re - r.im * r.im, 2.0 * r.re * r.im);
        assert!((back.re - z.re).abs() < 1e-12 && (back.im - z.im).abs() < 1e-12);
        let q = z.div(z);
        assert!((q.re - 1.0).abs() < 1e-15 && q.im.abs() < 1e-15);
    }
}
