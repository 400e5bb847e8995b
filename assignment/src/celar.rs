//! The original CELAR instance files (Cabon et al. 1999; the FullRLFAP
//! archive's `celar.blurb`): a directory with `var.txt` (`id domain
//! [initial mobility]`), `dom.txt` (`id cardinality v1 … vn`), `ctr.txt`
//! (`x y type op k [weight]`) and `cst.txt` (the objective in prose and the
//! coefficients `a1…a4`, `b1…b4`). Fields are separated by whitespace.

use std::path::Path;

use crate::instance::{
    AssignmentError, Constraint, Criterion, Instance, Op, Variable, fields, read, uint,
};

/// Reads a CELAR instance directory.
pub fn read_dir(dir: &Path) -> Result<Instance, AssignmentError> {
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("instance")
        .to_owned();
    let file = |f: &str| dir.join(f);
    let mut inst = Instance {
        name,
        ..Instance::default()
    };
    read_domains(&file("dom.txt"), &mut inst, false)?;
    read_variables(&file("var.txt"), &mut inst, false)?;
    read_constraints(&file("ctr.txt"), &mut inst, false)?;
    let cst = file("cst.txt");
    if cst.exists() {
        read_costs(&read(&cst)?, &mut inst);
    }
    inst.validate()?;
    Ok(inst)
}

/// `dom.txt` lines into `inst.domains`; `counted`: the first line is a count.
pub(crate) fn read_domains(
    path: &Path,
    inst: &mut Instance,
    counted: bool,
) -> Result<(), AssignmentError> {
    let text = read(path)?;
    let f = path.display().to_string();
    for (n, line) in data_lines(&text, counted) {
        let v = fields(line);
        let id: u32 = uint(&f, n, &v, 0, "domain id")?;
        let card: usize = uint(&f, n, &v, 1, "cardinality")?;
        if v.len() != card + 2 {
            return Err(AssignmentError::Field {
                file: f,
                line: n,
                field: "values".into(),
                expected: format!("{card} values (the cardinality)"),
                found: format!("{} values", v.len().saturating_sub(2)),
            });
        }
        let values = (0..card)
            .map(|i| uint(&f, n, &v, i + 2, "value"))
            .collect::<Result<Vec<u32>, _>>()?;
        inst.domains.insert(id, values);
    }
    Ok(())
}

/// `var.txt` lines into `inst.variables`.
pub(crate) fn read_variables(
    path: &Path,
    inst: &mut Instance,
    counted: bool,
) -> Result<(), AssignmentError> {
    let text = read(path)?;
    let f = path.display().to_string();
    for (n, line) in data_lines(&text, counted) {
        let v = fields(line);
        let initial = if v.len() >= 4 {
            let value: u32 = uint(&f, n, &v, 2, "initial value")?;
            let mobility: u8 = uint(&f, n, &v, 3, "mobility")?;
            if mobility > 4 {
                return Err(AssignmentError::Field {
                    file: f,
                    line: n,
                    field: "mobility".into(),
                    expected: "0 to 4".into(),
                    found: mobility.to_string(),
                });
            }
            Some((value, mobility))
        } else {
            None
        };
        inst.variables.push(Variable {
            id: uint(&f, n, &v, 0, "variable id")?,
            domain: uint(&f, n, &v, 1, "domain id")?,
            initial,
        });
    }
    Ok(())
}

/// `ctr.txt` lines into `inst.constraints`; `counted` files have no type column.
pub(crate) fn read_constraints(
    path: &Path,
    inst: &mut Instance,
    counted: bool,
) -> Result<(), AssignmentError> {
    let text = read(path)?;
    let f = path.display().to_string();
    for (n, line) in data_lines(&text, counted) {
        let v = fields(line);
        // CELAR: x y type op k [weight]; RLFAP: x y op k.
        let (kind, at) = if counted {
            ('?', 2)
        } else {
            let t = v.get(2).copied().unwrap_or("");
            let kind = t.chars().next().filter(|_| t.len() == 1).ok_or_else(|| {
                AssignmentError::Field {
                    file: f.clone(),
                    line: n,
                    field: "type".into(),
                    expected: "one of D, C, F, P, L".into(),
                    found: t.to_owned(),
                }
            })?;
            (kind, 3)
        };
        let op = match v.get(at).copied() {
            Some(">") => Op::Gt,
            Some("=") => Op::Eq,
            other => {
                return Err(AssignmentError::Field {
                    file: f,
                    line: n,
                    field: "operator".into(),
                    expected: "> or =".into(),
                    found: other.unwrap_or("").to_owned(),
                });
            }
        };
        let weight: u8 = if v.len() > at + 2 {
            uint(&f, n, &v, at + 2, "weight")?
        } else {
            0
        };
        if weight > 4 {
            return Err(AssignmentError::Field {
                file: f,
                line: n,
                field: "weight".into(),
                expected: "0 to 4".into(),
                found: weight.to_string(),
            });
        }
        inst.constraints.push(Constraint {
            x: uint(&f, n, &v, 0, "first variable")?,
            y: uint(&f, n, &v, 1, "second variable")?,
            kind,
            op,
            k: uint(&f, n, &v, at + 1, "distance")?,
            weight,
        });
    }
    Ok(())
}

/// The non-blank lines with their 1-based numbers (after the count line when `counted`).
fn data_lines(text: &str, counted: bool) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .skip(usize::from(counted))
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim().is_empty())
}

/// The criterion and the coefficients from the prose of `cst.txt`.
fn read_costs(text: &str, inst: &mut Instance) {
    let lower = text.to_ascii_lowercase();
    inst.criterion = Some(if lower.contains("largest") {
        Criterion::MinSpan
    } else if lower.contains("number of") {
        Criterion::MinOrder
    } else {
        Criterion::MinCost
    });
    let words: Vec<&str> = text.split_whitespace().collect();
    for w in words.windows(3) {
        if w[1] != "=" {
            continue;
        }
        let Ok(value) = w[2]
            .trim_end_matches(|c: char| !c.is_ascii_digit())
            .parse::<u64>()
        else {
            continue;
        };
        let slot = match w[0] {
            "a1" => &mut inst.a[0],
            "a2" => &mut inst.a[1],
            "a3" => &mut inst.a[2],
            "a4" => &mut inst.a[3],
            "b1" => &mut inst.b[0],
            "b2" => &mut inst.b[1],
            "b3" => &mut inst.b[2],
            "b4" => &mut inst.b[3],
            _ => continue,
        };
        *slot = value;
    }
}
