//! The terrain-path models, one module per family: [`ntia`] (NTIA ITM v1.3
//! point-to-point and area, Extended Hata) and [`itu`] (ITU-R P.452-18,
//! P.1812-6). Each model has a scalar call returning the full result as a
//! dict (the `result` of `spectra propagate … --json`, bit-identical) and a
//! vectorised call returning the basic transmission loss over many profiles
//! and/or parameter arrays, computed on all cores with the GIL released.
//! This module holds what they share: the profiles argument and the
//! broadcasting loop.

pub mod itu;
pub mod ntia;

use pyo3::prelude::*;
use spectrum_core::profile::PathProfile;

use crate::convert::{Numbers, broadcast_len, numpy_f64, to_object};
use crate::errors::refused;
use crate::profile::Profile;
use crate::vectorised::collect;

/// One profile for every element, or one per element.
pub(crate) enum Profiles {
    One(Py<Profile>),
    Many(Vec<Py<Profile>>),
}

impl Profiles {
    pub(crate) fn read(obj: &Bound<'_, PyAny>) -> PyResult<Profiles> {
        if let Ok(p) = obj.cast::<Profile>() {
            return Ok(Profiles::One(p.clone().unbind()));
        }
        let items = obj.try_iter().map_err(|_| {
            refused(format!(
                "profiles: expected a Profile or a sequence of Profile objects, found {}",
                obj.get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            ))
        })?;
        let many = items
            .enumerate()
            .map(|(i, p)| {
                let p = p?;
                p.cast::<Profile>()
                    .map(|b| b.clone().unbind())
                    .map_err(|_| refused(format!("profiles[{i}]: expected a Profile")))
            })
            .collect::<PyResult<Vec<_>>>()?;
        Ok(Profiles::Many(many))
    }

    fn as_numbers_len(&self) -> Numbers {
        match self {
            Profiles::One(_) => Numbers::Scalar(0.0),
            Profiles::Many(v) => Numbers::Array(vec![0.0; v.len()]),
        }
    }

    #[inline]
    fn at(&self, i: usize) -> &PathProfile {
        match self {
            Profiles::One(p) => &p.get().inner,
            Profiles::Many(v) => &v[i].get().inner,
        }
    }
}

/// A percentage argument that defaults to 50 %.
pub(crate) fn percent(obj: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Numbers> {
    obj.map_or(Ok(Numbers::Scalar(50.0)), |o| Numbers::read(o, name))
}

/// Both antenna heights above ground within (0, 10 000] m, the CLI's rule
/// before any path model (each model then checks its own domain).
pub(crate) fn antenna_heights(
    tx: (&'static str, f64),
    rx: (&'static str, f64),
) -> Result<(), String> {
    for (name, h) in [tx, rx] {
        spectrum_core::bounds::antenna_height(name, h).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Runs `f` over the broadcast elements and returns the array of losses.
pub(crate) fn losses<'py>(
    py: Python<'py>,
    profiles: &Profiles,
    args: &[(&str, &Numbers)],
    f: impl Fn(&PathProfile, usize) -> Result<f64, String> + Sync,
) -> PyResult<Bound<'py, PyAny>> {
    let shape = profiles.as_numbers_len();
    let mut all = vec![("profiles", &shape)];
    all.extend_from_slice(args);
    let n = broadcast_len(&all)?;
    let values = py.detach(|| collect(n, &|i| f(profiles.at(i), i)));
    Ok(numpy_f64(py, values.map_err(refused)?).into_any())
}

/// A model's full result as a dict, refused when any of its values is not
/// finite (JSON writes NaN and infinities as null; a result struct has no
/// optional number, so a null is one of them), naming the value.
pub(crate) fn finite_result<'py>(
    py: Python<'py>,
    model: &str,
    result: &impl serde::Serialize,
) -> PyResult<Bound<'py, PyAny>> {
    let value = serde_json::to_value(result).map_err(|e| refused(e.to_string()))?;
    if let Some(name) = first_null(&value, "") {
        return Err(refused(format!(
            "{model}: the inputs give a non-finite {name}; check that they are within the model's domain"
        )));
    }
    to_object(py, &value)
}

fn first_null(v: &serde_json::Value, path: &str) -> Option<String> {
    match v {
        serde_json::Value::Null => Some(path.to_owned()),
        serde_json::Value::Object(m) => m.iter().find_map(|(k, x)| {
            first_null(
                x,
                &if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                },
            )
        }),
        serde_json::Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, x)| first_null(x, &format!("{path}[{i}]"))),
        _ => None,
    }
}
