//! Reading and validating a scenario file (TOML).

use std::path::Path;

use toml::de::DeTable;

use super::scenario::{
    Blocking, BlockingMode, Criteria, Distribution, Interferer, Position, Propagation, Scenario,
    Simulation, Victim, Wanted, n_i_n_db,
};
use super::toml_in::{Ctx, Tab};
use crate::error::InterferenceError;

type R<T> = Result<T, InterferenceError>;

fn any(_: f64) -> bool {
    true
}
fn positive(x: f64) -> bool {
    x > 0.0
}
fn nonneg(x: f64) -> bool {
    x >= 0.0
}
fn probability(x: f64) -> bool {
    (0.0..=1.0).contains(&x)
}

const POSITIVE: &str = "a positive number";
const NONNEG: &str = "a number ≥ 0";
const NUMBER: &str = "a number";

fn distribution(t: &Tab<'_, '_>, key: &str, nonnegative: bool) -> R<Option<Distribution>> {
    let Some(v) = t.get(key) else {
        return Ok(None);
    };
    let field = t.field(key);
    if let Some(inner) = t.opt_tab(key).ok().flatten() {
        let (kind, kspan) = inner
            .opt_str("type")?
            .ok_or_else(|| inner.missing("type", "constant, uniform, gaussian or discrete"))?;
        let d = match kind {
            "constant" => {
                inner.allow(&["type", "value"])?;
                Distribution::Constant(inner.req_num("value", any, NUMBER)?)
            }
            "uniform" => {
                inner.allow(&["type", "min", "max"])?;
                let min = inner.req_num("min", any, NUMBER)?;
                let max = inner.req_num("max", any, NUMBER)?;
                if max < min {
                    return Err(t.ctx.err(
                        &v.span(),
                        &field,
                        "min ≤ max",
                        format!("min {min} > max {max}"),
                    ));
                }
                Distribution::Uniform { min, max }
            }
            "gaussian" => {
                inner.allow(&["type", "mean", "sd"])?;
                Distribution::Gaussian {
                    mean: inner.req_num("mean", any, NUMBER)?,
                    sd: inner.req_num("sd", nonneg, NONNEG)?,
                }
            }
            "discrete" => {
                inner.allow(&["type", "values", "probabilities"])?;
                let (values, _) = inner
                    .opt_nums("values")?
                    .ok_or_else(|| inner.missing("values", "an array of numbers"))?;
                let (probabilities, pspan) = inner
                    .opt_nums("probabilities")?
                    .ok_or_else(|| inner.missing("probabilities", "an array of numbers"))?;
                let total: f64 = probabilities.iter().sum();
                if values.is_empty()
                    || values.len() != probabilities.len()
                    || probabilities.iter().any(|p| !probability(*p))
                    || (total - 1.0).abs() > 1e-6
                {
                    return Err(t.ctx.err(
                        &pspan,
                        &inner.field("probabilities"),
                        "one probability in [0, 1] per value, summing to 1",
                        format!("{} values, probabilities {probabilities:?}", values.len()),
                    ));
                }
                Distribution::Discrete {
                    values,
                    probabilities,
                }
            }
            other => {
                return Err(t.ctx.err(
                    &kspan,
                    &inner.field("type"),
                    "constant, uniform, gaussian or discrete",
                    format!("\"{other}\""),
                ));
            }
        };
        if nonnegative && d.min() < 0.0 && !matches!(d, Distribution::Gaussian { .. }) {
            return Err(t.ctx.err(
                &v.span(),
                &field,
                "values ≥ 0",
                format!("minimum {}", d.min()),
            ));
        }
        return Ok(Some(d));
    }
    let x = t.number_of(key, v).map_err(|_| {
        t.ctx.err(
            &v.span(),
            &field,
            "a number or a distribution table",
            super::toml_in::describe(v.get_ref()),
        )
    })?;
    if nonnegative && x < 0.0 {
        return Err(t.ctx.err(&v.span(), &field, NONNEG, x.to_string()));
    }
    Ok(Some(Distribution::Constant(x)))
}

fn req_distribution(t: &Tab<'_, '_>, key: &str, nonnegative: bool) -> R<Distribution> {
    distribution(t, key, nonnegative)?
        .ok_or_else(|| t.missing(key, "a number or a distribution table"))
}

fn position(t: &Tab<'_, '_>, allow_density: bool) -> R<Position> {
    let modes = if allow_density {
        "fixed, polar, uniform, polygon or density"
    } else {
        "fixed, polar, uniform or polygon"
    };
    let (mode, mspan) = t.opt_str("mode")?.ok_or_else(|| t.missing("mode", modes))?;
    match mode {
        "fixed" => {
            t.allow(&["mode", "x_km", "y_km"])?;
            Ok(Position::Fixed {
                x_km: t.req_num("x_km", any, NUMBER)?,
                y_km: t.req_num("y_km", any, NUMBER)?,
            })
        }
        "polar" => {
            t.allow(&["mode", "distance_km", "azimuth_deg"])?;
            Ok(Position::Polar {
                distance_km: req_distribution(t, "distance_km", true)?,
                azimuth_deg: distribution(t, "azimuth_deg", false)?.unwrap_or(
                    Distribution::Uniform {
                        min: 0.0,
                        max: 360.0,
                    },
                ),
            })
        }
        "uniform" => {
            t.allow(&["mode", "radius_km", "protection_km"])?;
            let radius_km = t.req_num("radius_km", positive, POSITIVE)?;
            let protection_km = t.opt_num("protection_km", nonneg, NONNEG)?.unwrap_or(0.0);
            if protection_km > radius_km {
                return Err(t.ctx.err(
                    &t.span,
                    &t.field("protection_km"),
                    "protection_km ≤ radius_km",
                    format!("{protection_km} > {radius_km}"),
                ));
            }
            Ok(Position::Uniform {
                radius_km,
                protection_km,
            })
        }
        "polygon" => {
            t.allow(&["mode", "vertices_km"])?;
            let field = t.field("vertices_km");
            let Some((vertices, span)) = t.opt_pairs("vertices_km")? else {
                return Err(t.missing("vertices_km", "an array of [x_km, y_km] vertices"));
            };
            let area = {
                use geo::Area;
                crate::montecarlo::scenario::polygon_of(&vertices).unsigned_area()
            };
            let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
            for &(x, y) in &vertices {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            }
            let bbox = (x1 - x0) * (y1 - y0);
            if vertices.len() < 3
                || vertices
                    .iter()
                    .any(|(x, y)| !x.is_finite() || !y.is_finite())
                || !(area > 0.0 && area >= bbox * 1e-3)
            {
                return Err(t.ctx.err(
                    &span,
                    &field,
                    "at least 3 finite vertices enclosing an area of at least 1/1000 of their bounding box",
                    format!("{} vertices, area {area} km²", vertices.len()),
                ));
            }
            Ok(Position::Polygon {
                vertices_km: vertices,
            })
        }
        "density" if allow_density => {
            t.allow(&["mode", "density_per_km2", "n_active", "protection_km"])?;
            let n_active = t.opt_uint("n_active", "a positive integer")?.unwrap_or(1);
            if n_active == 0 {
                return Err(t
                    .ctx
                    .err(&t.span, &t.field("n_active"), "a positive integer", "0"));
            }
            Ok(Position::Density {
                density_per_km2: t.req_num("density_per_km2", positive, POSITIVE)?,
                n_active: usize::try_from(n_active).unwrap_or(usize::MAX),
                protection_km: t.opt_num("protection_km", nonneg, NONNEG)?.unwrap_or(0.0),
            })
        }
        other => Err(t
            .ctx
            .err(&mspan, &t.field("mode"), modes, format!("\"{other}\""))),
    }
}

fn pairs_sorted(t: &Tab<'_, '_>, key: &str) -> R<Option<Vec<(f64, f64)>>> {
    let Some((pts, span)) = t.opt_pairs(key)? else {
        return Ok(None);
    };
    if pts.is_empty() || pts.windows(2).any(|w| w[1].0 < w[0].0) {
        return Err(t.ctx.err(
            &span,
            &t.field(key),
            "a non-empty list with non-decreasing offsets",
            format!("{pts:?}"),
        ));
    }
    Ok(Some(pts))
}

fn victim<'a, 'i>(t: &Tab<'a, 'i>) -> R<(Victim, Tab<'a, 'i>)> {
    t.allow(&[
        "frequency_mhz",
        "bandwidth_khz",
        "noise_floor_dbm",
        "noise_figure_db",
        "sensitivity_dbm",
        "antenna_gain_dbi",
        "antenna_height_m",
        "criteria",
        "wanted",
    ])?;
    let frequency_mhz = t.req_num("frequency_mhz", positive, POSITIVE)?;
    let bandwidth_khz = t.req_num("bandwidth_khz", positive, POSITIVE)?;
    let floor = t.opt_num("noise_floor_dbm", any, NUMBER)?;
    let nf = t.opt_num("noise_figure_db", nonneg, NONNEG)?;
    let noise_floor_dbm = match (floor, nf) {
        (Some(n), None) => n,
        (None, Some(nf)) => -174.0 + nf + 10.0 * (bandwidth_khz * 1000.0).log10(),
        (Some(_), Some(_)) => {
            return Err(t.ctx.err(
                &t.span,
                &t.field("noise_floor_dbm"),
                "either noise_floor_dbm or noise_figure_db",
                "both",
            ));
        }
        (None, None) => {
            return Err(t.missing("noise_floor_dbm", "noise_floor_dbm or noise_figure_db"));
        }
    };
    let c = t.req_tab("criteria")?;
    c.allow(&["c_i_db", "c_n_i_db", "n_i_n_db", "i_n_db"])?;
    let c_n_i_db = c.req_num("c_n_i_db", any, NUMBER)?;
    let i_n_db = c.req_num("i_n_db", any, NUMBER)?;
    let n_i_n = c
        .opt_num("n_i_n_db", nonneg, NONNEG)?
        .unwrap_or_else(|| n_i_n_db(i_n_db));
    let criteria = Criteria {
        c_i_db: c
            .opt_num("c_i_db", any, NUMBER)?
            .unwrap_or(c_n_i_db + n_i_n - i_n_db),
        c_n_i_db,
        n_i_n_db: n_i_n,
        i_n_db,
    };
    let v = Victim {
        frequency_mhz,
        bandwidth_khz,
        noise_floor_dbm,
        sensitivity_dbm: t.req_num("sensitivity_dbm", any, NUMBER)?,
        antenna_gain_dbi: t.opt_num("antenna_gain_dbi", any, NUMBER)?.unwrap_or(0.0),
        antenna_height_m: t
            .opt_num("antenna_height_m", nonneg, NONNEG)?
            .unwrap_or(30.0),
        criteria,
    };
    Ok((v, t.req_tab("wanted")?))
}

fn interferer(t: &Tab<'_, '_>, n: usize, victim: &Victim) -> R<Interferer> {
    t.allow(&[
        "name",
        "power_dbm",
        "antenna_gain_dbi",
        "antenna_height_m",
        "frequency_mhz",
        "bandwidth_khz",
        "reference_bandwidth_khz",
        "mask",
        "blocking",
        "position",
        "activity",
    ])?;
    let bandwidth_khz = t.req_num("bandwidth_khz", positive, POSITIVE)?;
    let blocking = match t.opt_tab("blocking")? {
        None => None,
        Some(b) => {
            b.allow(&["mode", "response_db", "response"])?;
            let (mode, mspan) = b.opt_str("mode")?.ok_or_else(|| {
                b.missing("mode", "protection_ratio, sensitivity or user_defined")
            })?;
            let mode = match mode {
                "protection_ratio" => BlockingMode::ProtectionRatio,
                "sensitivity" => BlockingMode::Sensitivity,
                "user_defined" => BlockingMode::UserDefined,
                other => {
                    return Err(t.ctx.err(
                        &mspan,
                        &b.field("mode"),
                        "protection_ratio, sensitivity or user_defined",
                        format!("\"{other}\""),
                    ));
                }
            };
            let response = match (
                b.opt_num("response_db", any, NUMBER)?,
                pairs_sorted(&b, "response")?,
            ) {
                (Some(r), None) => vec![(0.0, r)],
                (None, Some(p)) => p,
                _ => {
                    return Err(b.missing(
                        "response_db",
                        "exactly one of response_db (constant) or response ([[offset_mhz, dB], …])",
                    ));
                }
            };
            Some(Blocking { mode, response })
        }
    };
    Ok(Interferer {
        name: t
            .opt_str("name")?
            .map_or_else(|| format!("interferer {n}"), |(s, _)| s.to_owned()),
        power_dbm: req_distribution(t, "power_dbm", false)?,
        antenna_gain_dbi: t.opt_num("antenna_gain_dbi", any, NUMBER)?.unwrap_or(0.0),
        antenna_height_m: t
            .opt_num("antenna_height_m", nonneg, NONNEG)?
            .unwrap_or(victim.antenna_height_m),
        frequency_mhz: distribution(t, "frequency_mhz", true)?
            .unwrap_or(Distribution::Constant(victim.frequency_mhz)),
        bandwidth_khz,
        reference_bandwidth_khz: t
            .opt_num("reference_bandwidth_khz", positive, POSITIVE)?
            .unwrap_or(bandwidth_khz),
        mask: pairs_sorted(t, "mask")?,
        blocking,
        position: position(&t.req_tab("position")?, true)?,
        activity: t
            .opt_num("activity", probability, "a probability in [0, 1]")?
            .unwrap_or(1.0),
    })
}

impl Scenario {
    /// Parses a scenario from TOML text; `file` names it in errors.
    ///
    /// ```
    /// let text = r#"
    /// [victim]
    /// frequency_mhz = 1000
    /// bandwidth_khz = 200
    /// noise_floor_dbm = -110
    /// sensitivity_dbm = -94
    /// antenna_gain_dbi = 9
    /// criteria = { c_i_db = 19, c_n_i_db = 16, n_i_n_db = 3, i_n_db = 0 }
    /// [victim.wanted]
    /// power_dbm = 30
    /// antenna_gain_dbi = 9
    /// position = { mode = "fixed", x_km = 2, y_km = 2 }
    /// [[interferer]]
    /// power_dbm = 33
    /// antenna_gain_dbi = 11
    /// bandwidth_khz = 200
    /// position = { mode = "fixed", x_km = 4, y_km = 4 }
    /// [simulation]
    /// events = 10
    /// "#;
    /// let s = interference::montecarlo::Scenario::parse(text, "inline.toml").unwrap();
    /// assert_eq!(s.interferers.len(), 1);
    /// let bad = text.replace("bandwidth_khz = 200\nnoise", "bandwidth_khz = -200\nnoise");
    /// let e = interference::montecarlo::Scenario::parse(&bad, "bad.toml").unwrap_err();
    /// assert!(e.to_string().contains("bad.toml:4: field `victim.bandwidth_khz`"));
    /// ```
    pub fn parse(text: &str, file: &str) -> Result<Scenario, InterferenceError> {
        let ctx = Ctx { file, text };
        let doc = DeTable::parse(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            ctx.err(&span, "", "valid TOML", e.message().trim().to_owned())
        })?;
        let root = Tab {
            ctx: &ctx,
            path: String::new(),
            table: doc.get_ref(),
            span: doc.span(),
        };
        root.allow(&["victim", "interferer", "propagation", "simulation"])?;
        let (victim, w) = victim(&root.req_tab("victim")?)?;
        w.allow(&[
            "power_dbm",
            "antenna_gain_dbi",
            "antenna_height_m",
            "position",
        ])?;
        let wanted = Wanted {
            power_dbm: req_distribution(&w, "power_dbm", false)?,
            antenna_gain_dbi: w.opt_num("antenna_gain_dbi", any, NUMBER)?.unwrap_or(0.0),
            antenna_height_m: w
                .opt_num("antenna_height_m", nonneg, NONNEG)?
                .unwrap_or(victim.antenna_height_m),
            position: position(&w.req_tab("position")?, false)?,
        };
        let interferers = root
            .opt_tabs("interferer")?
            .iter()
            .enumerate()
            .map(|(n, t)| interferer(t, n, &victim))
            .collect::<R<Vec<_>>>()?;
        let propagation = match root.opt_tab("propagation")? {
            None => Propagation {
                constant_db: None,
                sigma_db: 0.0,
            },
            Some(p) => {
                p.allow(&["model", "constant_db", "sigma_db"])?;
                if let Some((m, span)) = p.opt_str("model")?
                    && m != "free_space"
                {
                    return Err(ctx.err(
                        &span,
                        &p.field("model"),
                        "\"free_space\"",
                        format!("\"{m}\""),
                    ));
                }
                Propagation {
                    constant_db: p.opt_num("constant_db", positive, POSITIVE)?,
                    sigma_db: p.opt_num("sigma_db", nonneg, NONNEG)?.unwrap_or(0.0),
                }
            }
        };
        let s = root.req_tab("simulation")?;
        s.allow(&["events", "seed"])?;
        let events = s
            .opt_uint("events", "a positive integer")?
            .ok_or_else(|| s.missing("events", "a positive integer"))?;
        if events == 0 {
            return Err(ctx.err(&s.span, &s.field("events"), "a positive integer", "0"));
        }
        let simulation = Simulation {
            events: usize::try_from(events).unwrap_or(usize::MAX),
            seed: s.opt_uint("seed", "an integer ≥ 0")?.unwrap_or(0),
        };
        Ok(Scenario {
            victim,
            wanted,
            interferers,
            propagation,
            simulation,
        })
    }

    /// Reads and parses a scenario file.
    pub fn load(path: &Path) -> Result<Scenario, InterferenceError> {
        let text = std::fs::read_to_string(path).map_err(|source| InterferenceError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Scenario::parse(&text, &path.display().to_string())
    }
}
