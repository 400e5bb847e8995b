//! A small reader over toml's spanned document tree: every value keeps its
//! byte range, so that every error names the file, the line and the dotted
//! field.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::error::InterferenceError;

/// The file being read: its name and text (for line numbers).
pub(crate) struct Ctx<'t> {
    pub(crate) file: &'t str,
    pub(crate) text: &'t str,
}

impl Ctx<'_> {
    /// 1-based line of a byte offset.
    pub(crate) fn line(&self, pos: usize) -> usize {
        let bytes = self.text.as_bytes();
        let end = pos.min(bytes.len());
        bytes[..end].iter().filter(|b| **b == b'\n').count() + 1
    }

    /// An input error at `span`.
    pub(crate) fn err(
        &self,
        span: &Range<usize>,
        field: &str,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> InterferenceError {
        InterferenceError::Input {
            file: self.file.to_owned(),
            line: self.line(span.start),
            field: field.to_owned(),
            expected: expected.into(),
            found: found.into(),
        }
    }
}

/// A short description of a value for error messages.
pub(crate) fn describe(v: &DeValue<'_>) -> String {
    match v {
        DeValue::String(s) => format!("string \"{s}\""),
        DeValue::Integer(i) => format!("integer {i}"),
        DeValue::Float(f) => format!("float {f}"),
        DeValue::Boolean(b) => format!("boolean {b}"),
        DeValue::Datetime(d) => format!("datetime {d}"),
        DeValue::Array(_) => "an array".to_owned(),
        DeValue::Table(_) => "a table".to_owned(),
    }
}

/// A table with its dotted path and span.
pub(crate) struct Tab<'a, 'i> {
    pub(crate) ctx: &'a Ctx<'a>,
    pub(crate) path: String,
    pub(crate) table: &'a DeTable<'i>,
    pub(crate) span: Range<usize>,
}

type R<T> = Result<T, InterferenceError>;

/// `[x, y]` pairs with the span of their array.
pub(crate) type Pairs = (Vec<(f64, f64)>, Range<usize>);

impl<'a, 'i> Tab<'a, 'i> {
    /// The dotted path of `key` in this table.
    pub(crate) fn field(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(_, v)| v)
    }

    /// Error: `key` is missing from this table.
    pub(crate) fn missing(&self, key: &str, expected: &str) -> InterferenceError {
        self.ctx
            .err(&self.span, &self.field(key), expected, "nothing (missing)")
    }

    /// Rejects keys outside `allowed` (typos would otherwise pass silently).
    pub(crate) fn allow(&self, allowed: &[&str]) -> R<()> {
        for (k, _) in self.table.iter() {
            let name = k.get_ref().as_ref();
            if !allowed.contains(&name) {
                return Err(self.ctx.err(
                    &k.span(),
                    &self.field(name),
                    format!("one of the keys {}", allowed.join(", ")),
                    format!("unknown key `{name}`"),
                ));
            }
        }
        Ok(())
    }

    /// A value as a number (integers are accepted).
    pub(crate) fn number_of(&self, key: &str, v: &Spanned<DeValue<'_>>) -> R<f64> {
        let field = self.field(key);
        let parsed = match v.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                .ok()
                .map(|x| x as f64),
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            other => {
                return Err(self.ctx.err(&v.span(), &field, "a number", describe(other)));
            }
        };
        match parsed {
            Some(x) if x.is_finite() => Ok(x),
            _ => Err(self
                .ctx
                .err(&v.span(), &field, "a finite number", describe(v.get_ref()))),
        }
    }

    /// An optional number satisfying `ok` (described by `expected`).
    pub(crate) fn opt_num(&self, key: &str, ok: fn(f64) -> bool, expected: &str) -> R<Option<f64>> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        let x = self.number_of(key, v)?;
        if !ok(x) {
            return Err(self
                .ctx
                .err(&v.span(), &self.field(key), expected, x.to_string()));
        }
        Ok(Some(x))
    }

    /// A required number satisfying `ok`.
    pub(crate) fn req_num(&self, key: &str, ok: fn(f64) -> bool, expected: &str) -> R<f64> {
        self.opt_num(key, ok, expected)?
            .ok_or_else(|| self.missing(key, expected))
    }

    /// An optional non-negative integer.
    pub(crate) fn opt_uint(&self, key: &str, expected: &str) -> R<Option<u64>> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        match v.get_ref() {
            DeValue::Integer(i) => u64::from_str_radix(i.as_str(), i.radix())
                .map(Some)
                .map_err(|_| {
                    self.ctx
                        .err(&v.span(), &self.field(key), expected, describe(v.get_ref()))
                }),
            other => Err(self
                .ctx
                .err(&v.span(), &self.field(key), expected, describe(other))),
        }
    }

    /// An optional string.
    pub(crate) fn opt_str(&self, key: &str) -> R<Option<(&'a str, Range<usize>)>> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        match v.get_ref() {
            DeValue::String(s) => Ok(Some((s.as_ref(), v.span()))),
            other => Err(self
                .ctx
                .err(&v.span(), &self.field(key), "a string", describe(other))),
        }
    }

    /// An optional sub-table.
    pub(crate) fn opt_tab(&self, key: &str) -> R<Option<Tab<'a, 'i>>> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        match v.get_ref() {
            DeValue::Table(t) => Ok(Some(Tab {
                ctx: self.ctx,
                path: self.field(key),
                table: t,
                span: v.span(),
            })),
            other => Err(self
                .ctx
                .err(&v.span(), &self.field(key), "a table", describe(other))),
        }
    }

    /// A required sub-table.
    pub(crate) fn req_tab(&self, key: &str) -> R<Tab<'a, 'i>> {
        self.opt_tab(key)?
            .ok_or_else(|| self.missing(key, "a table"))
    }

    /// An optional array of tables (`[[key]]`).
    pub(crate) fn opt_tabs(&self, key: &str) -> R<Vec<Tab<'a, 'i>>> {
        let Some(v) = self.get(key) else {
            return Ok(Vec::new());
        };
        let DeValue::Array(items) = v.get_ref() else {
            return Err(self.ctx.err(
                &v.span(),
                &self.field(key),
                "an array of tables",
                describe(v.get_ref()),
            ));
        };
        let mut out = Vec::with_capacity(items.len());
        for (n, item) in items.iter().enumerate() {
            let path = format!("{}[{n}]", self.field(key));
            match item.get_ref() {
                DeValue::Table(t) => out.push(Tab {
                    ctx: self.ctx,
                    path,
                    table: t,
                    span: item.span(),
                }),
                other => {
                    return Err(self
                        .ctx
                        .err(&item.span(), &path, "a table", describe(other)));
                }
            }
        }
        Ok(out)
    }

    /// An optional array of numbers.
    pub(crate) fn opt_nums(&self, key: &str) -> R<Option<(Vec<f64>, Range<usize>)>> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        let DeValue::Array(items) = v.get_ref() else {
            return Err(self.ctx.err(
                &v.span(),
                &self.field(key),
                "an array of numbers",
                describe(v.get_ref()),
            ));
        };
        let mut out = Vec::with_capacity(items.len());
        for (n, item) in items.iter().enumerate() {
            out.push(self.number_of(&format!("{key}[{n}]"), item)?);
        }
        Ok(Some((out, v.span())))
    }

    /// An optional array of `[x, y]` pairs.
    pub(crate) fn opt_pairs(&self, key: &str) -> R<Option<Pairs>> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        let expected = "an array of [offset, value] pairs";
        let DeValue::Array(items) = v.get_ref() else {
            return Err(self
                .ctx
                .err(&v.span(), &self.field(key), expected, describe(v.get_ref())));
        };
        let mut out = Vec::with_capacity(items.len());
        for (n, item) in items.iter().enumerate() {
            let name = format!("{key}[{n}]");
            match item.get_ref() {
                DeValue::Array(pair) if pair.len() == 2 => out.push((
                    self.number_of(&name, &pair[0])?,
                    self.number_of(&name, &pair[1])?,
                )),
                other => {
                    return Err(self.ctx.err(
                        &item.span(),
                        &self.field(&name),
                        "a pair [offset, value]",
                        describe(other),
                    ));
                }
            }
        }
        Ok(Some((out, v.span())))
    }
}
