//! The simplified RLFAP decision instances (`var/varNAME.txt`,
//! `dom/domNAME.txt`, `ctr/ctrNAME.txt`, each starting with a count line;
//! constraints `x y op k`, all hard): satisfy every constraint or prove
//! there is no such assignment.

use std::path::Path;

use crate::celar::{read_constraints, read_domains, read_variables};
use crate::instance::{AssignmentError, Instance, fields, read, uint};

/// Reads instance `name` (e.g. `2-f24`) from an RLFAP directory holding
/// `var/`, `dom/` and `ctr/`; the count lines are checked.
pub fn read_instance(dir: &Path, name: &str) -> Result<Instance, AssignmentError> {
    let mut inst = Instance {
        name: name.to_owned(),
        ..Instance::default()
    };
    let path = |kind: &str| dir.join(kind).join(format!("{kind}{name}.txt"));
    read_domains(&path("dom"), &mut inst, true)?;
    read_variables(&path("var"), &mut inst, true)?;
    read_constraints(&path("ctr"), &mut inst, true)?;
    for (kind, n) in [
        ("dom", inst.domains.len()),
        ("var", inst.variables.len()),
        ("ctr", inst.constraints.len()),
    ] {
        let p = path(kind);
        let text = read(&p)?;
        let first = text.lines().next().unwrap_or("");
        let count: usize = uint(&p.display().to_string(), 1, &fields(first), 0, "count")?;
        if count != n {
            return Err(AssignmentError::Field {
                file: p.display().to_string(),
                line: 1,
                field: "count".into(),
                expected: format!("the number of lines that follow ({n})"),
                found: count.to_string(),
            });
        }
    }
    inst.validate()?;
    Ok(inst)
}

/// The instance names of an RLFAP directory (from `var/`), sorted.
pub fn instance_names(dir: &Path) -> Result<Vec<String>, AssignmentError> {
    let var = dir.join("var");
    let entries = std::fs::read_dir(&var).map_err(|source| AssignmentError::Io {
        path: var.display().to_string(),
        source,
    })?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_prefix("var"))
                .and_then(|n| n.strip_suffix(".txt"))
                .map(str::to_owned)
        })
        .collect();
    names.sort();
    Ok(names)
}
