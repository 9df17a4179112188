//! CSV through a FollowTheMoney mapping: each row becomes one record, and the query's entity
//! mappings turn it into fragments (several entities per row, linked to each other), with entity
//! ids computed as `ftm map` computes them, so the same rows give the same ids.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;

use csv::ByteRecord;
use sha1::{Digest, Sha1};

use lagesbild_model::{Context, Fragment, Policy, PropType, Record, SourceRef};

use crate::error::IngestError;
use crate::mapping::{EntityMapping, PropertyMapping, QueryMapping};
use crate::policy::PolicyOverrides;
use crate::strptime;

/// The text encoding of a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// Windows-1252, which also reads ISO-8859-1 (Latin-1) as the WHATWG encoding standard does.
    Windows1252,
}

impl std::str::FromStr for Encoding {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "latin-1" | "latin1" | "iso-8859-1" | "windows-1252" | "cp1252" => {
                Ok(Encoding::Windows1252)
            }
            _ => Err(format!(
                "unsupported encoding {s:?} (use utf-8, latin-1 or windows-1252)"
            )),
        }
    }
}

struct CompiledProperty {
    prop: &'static str,
    kind: PropType,
    columns: Vec<usize>,
    column_names: Vec<String>,
    literals: Vec<String>,
    join: Option<String>,
    split: Option<String>,
    entity: Option<usize>,
    template: Option<String>,
    required: bool,
    format: Option<String>,
    strict: bool,
}

struct CompiledEntity {
    schema: &'static str,
    keys: Vec<usize>,
    seed: Sha1,
    id_column: Option<usize>,
    properties: Vec<CompiledProperty>,
}

/// FtM's namespace: entity ids signed with HMAC-SHA1 keyed by the dataset name
/// (`{key}.{signature}`), so that ids from different datasets never collide.
#[derive(Clone)]
struct Namespace {
    inner: Sha1,
    outer: Sha1,
}

impl Namespace {
    fn new(name: &str) -> Option<Namespace> {
        if name.is_empty() {
            return None;
        }
        let mut key = [0u8; 64];
        if name.len() > 64 {
            key[..20].copy_from_slice(&Sha1::digest(name.as_bytes()));
        } else {
            key[..name.len()].copy_from_slice(name.as_bytes());
        }
        let mut inner = Sha1::new();
        inner.update(key.map(|b| b ^ 0x36));
        let mut outer = Sha1::new();
        outer.update(key.map(|b| b ^ 0x5c));
        Some(Namespace { inner, outer })
    }

    fn sign(&self, mut id: String) -> String {
        let mut inner = self.inner.clone();
        inner.update(id.as_bytes());
        let mut outer = self.outer.clone();
        outer.update(inner.finalize());
        id.reserve(41);
        id.push('.');
        push_hex(&mut id, &outer.finalize());
        id
    }
}

/// Appends `bytes` as lowercase hexadecimal (`hex::encode` gathers characters one at a time:
/// with two digests an entity, that was about 1.5 % of a mapped ingest's CPU in a profile).
fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
}

struct CompiledQuery {
    filters: Vec<(usize, Vec<String>)>,
    filters_not: Vec<(usize, Vec<String>)>,
    entities: Vec<CompiledEntity>,
    policy: PolicyOverrides,
    namespace: Option<Namespace>,
}

/// Reads a CSV file row by row and yields one record per row that passes the filters.
pub struct CsvReader<R: Read> {
    file: String,
    reader: csv::Reader<R>,
    encoding: Encoding,
    headers: Vec<String>,
    /// Each column's key in the raw JSON object (`"name":`), with the field it takes its value
    /// from, in the order of the object.
    raw_keys: Vec<(String, usize)>,
    raw_hint: usize,
    queries: Vec<CompiledQuery>,
    base_policy: Arc<Policy>,
    ctx: Context,
    row: ByteRecord,
    fields: Vec<String>,
    failed: bool,
}

fn decode(
    file: &str,
    line: u64,
    column: &str,
    bytes: &[u8],
    enc: Encoding,
) -> Result<String, IngestError> {
    let text = match enc {
        Encoding::Utf8 => std::str::from_utf8(bytes).map(str::to_owned).map_err(|e| {
            IngestError::new(
                file,
                format!(
                    "invalid UTF-8 at byte {} of the value (if the file is Latin-1 or \
                     Windows-1252, say so with --encoding latin-1)",
                    e.valid_up_to()
                ),
            )
            .at(line)
            .field(format!("column {column:?}"))
        })?,
        Encoding::Windows1252 => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    };
    Ok(sanitize(text))
}

/// Removes control characters other than tab and line breaks, as FtM does.
fn sanitize(s: String) -> String {
    if s.chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        s.chars()
            .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
            .collect()
    } else {
        s
    }
}

/// Guesses the delimiter from the first line: the most frequent of `,` `;` tab `|`.
pub fn sniff_delimiter(head: &[u8]) -> u8 {
    let line = head.split(|b| *b == b'\n').next().unwrap_or_default();
    [b',', b';', b'\t', b'|']
        .into_iter()
        .max_by_key(|d| (line.iter().filter(|b| *b == d).count(), *d == b','))
        .unwrap_or(b',')
}

impl<R: Read> CsvReader<R> {
    /// Reads the header and checks that every column the queries use is there.
    #[allow(clippy::too_many_arguments)] // each is a separate fact about the file; see `open`
    pub fn new(
        file: &str,
        input: R,
        namespace: &str,
        delimiter: u8,
        encoding: Encoding,
        queries: &[QueryMapping],
        base_policy: Arc<Policy>,
        ctx: Context,
    ) -> Result<Self, IngestError> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(false)
            .has_headers(true)
            .from_reader(input);
        let raw_headers = reader
            .byte_headers()
            .map_err(|e| csv_error(file, e))?
            .clone();
        if raw_headers.is_empty() || raw_headers.iter().all(|h| h.is_empty()) {
            return Err(IngestError::new(file, "the file is empty: no header row").at(1));
        }
        let mut headers = Vec::with_capacity(raw_headers.len());
        for (i, h) in raw_headers.iter().enumerate() {
            let h = if i == 0 {
                h.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(h)
            } else {
                h
            };
            headers.push(
                decode(file, 1, &format!("#{}", i + 1), h, encoding)?
                    .trim()
                    .to_owned(),
            );
        }
        let index: HashMap<&str, usize> = headers
            .iter()
            .enumerate()
            .map(|(i, h)| (h.as_str(), i))
            .collect();
        let col = |name: &str| -> Result<usize, IngestError> {
            index.get(name).copied().ok_or_else(|| {
                IngestError::new(
                    file,
                    format!(
                        "the mapping uses column {name:?}, which the header does not have \
                         (it has: {})",
                        headers.join(", ")
                    ),
                )
                .at(1)
                .field(format!("column {name:?}"))
            })
        };
        let mut compiled = Vec::new();
        for q in queries {
            for c in q.columns() {
                col(&c)?;
            }
            let names: Vec<&str> = q.entities.iter().map(|e| e.name.as_str()).collect();
            let entities = q
                .entities
                .iter()
                .map(|e| compile_entity(e, &col, &names, namespace))
                .collect::<Result<_, _>>()?;
            let filt =
                |fs: &[(String, Vec<String>)]| -> Result<Vec<(usize, Vec<String>)>, IngestError> {
                    fs.iter().map(|(c, v)| Ok((col(c)?, v.clone()))).collect()
                };
            compiled.push(CompiledQuery {
                filters: filt(&q.filters)?,
                filters_not: filt(&q.filters_not)?,
                entities,
                policy: PolicyOverrides::compile(file, &q.policy, &col)?,
                namespace: Namespace::new(namespace),
            });
        }
        let mut raw_keys: Vec<(String, usize)> = Vec::with_capacity(headers.len());
        for (i, h) in headers.iter().enumerate() {
            let key = format!("{}:", serde_json::Value::from(h.as_str()));
            match raw_keys.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = i,
                None => raw_keys.push((key, i)),
            }
        }
        Ok(CsvReader {
            file: file.to_owned(),
            reader,
            encoding,
            headers,
            raw_keys,
            raw_hint: 64,
            queries: compiled,
            base_policy,
            ctx,
            row: ByteRecord::new(),
            fields: Vec::new(),
            failed: false,
        })
    }

    fn next_record(&mut self) -> Result<Option<Record>, IngestError> {
        loop {
            if !self
                .reader
                .read_byte_record(&mut self.row)
                .map_err(|e| csv_error(&self.file, e))?
            {
                return Ok(None);
            }
            let (line, byte) = self.row.position().map_or((0, 0), |p| (p.line(), p.byte()));
            self.fields.clear();
            for (i, bytes) in self.row.iter().enumerate() {
                let v = decode(&self.file, line, &self.headers[i], bytes, self.encoding)?;
                self.fields.push(v);
            }
            if self.fields.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let mut fragments = Vec::new();
            let mut policy: Option<Arc<Policy>> = None;
            for q in &self.queries {
                if !passes(&q.filters, &q.filters_not, &self.fields) {
                    continue;
                }
                if policy.is_none() && !q.policy.is_empty() {
                    let p =
                        q.policy
                            .apply(&self.base_policy, &self.fields)
                            .map_err(|(col, msg)| {
                                IngestError::new(&self.file, msg)
                                    .at(line)
                                    .field(format!("column {col:?}"))
                            })?;
                    policy = Some(Arc::new(p));
                }
                map_row(&self.file, line, q, &self.fields, &self.ctx, &mut fragments)?;
            }
            if fragments.is_empty() {
                continue;
            }
            // the row as a JSON object of column → value (as a map of them is written: the
            // first place of a column named twice, with its last value), written directly
            let mut raw: Vec<u8> = Vec::with_capacity(self.raw_hint);
            raw.push(b'{');
            for (key, i) in &self.raw_keys {
                let Some(v) = self.fields.get(*i) else {
                    continue;
                };
                if raw.len() > 1 {
                    raw.push(b',');
                }
                raw.extend_from_slice(key.as_bytes());
                serde_json::to_writer(&mut raw, v.as_str())
                    .expect("a string serialises into memory");
            }
            raw.push(b'}');
            self.raw_hint = self.raw_hint.max(raw.len());
            return Ok(Some(Record {
                source: SourceRef {
                    file: self.file.clone(),
                    line,
                    offset: byte,
                },
                raw: String::from_utf8(raw).expect("JSON of strings is UTF-8"),
                policy: policy.unwrap_or_else(|| self.base_policy.clone()),
                fragments,
            }));
        }
    }
}

impl<R: Read> Iterator for CsvReader<R> {
    type Item = Result<Record, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        match self.next_record() {
            Ok(Some(r)) => Some(Ok(r)),
            Ok(None) => None,
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

fn csv_error(file: &str, e: csv::Error) -> IngestError {
    let line = e.position().map(|p| p.line());
    let msg = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("the row has {len} fields where the header has {expected_len}")
        }
        csv::ErrorKind::Io(io) => format!("cannot read: {io}"),
        _ => e.to_string(),
    };
    let mut ie = IngestError::new(file, msg);
    ie.line = line;
    ie
}

fn passes(filters: &[(usize, Vec<String>)], not: &[(usize, Vec<String>)], row: &[String]) -> bool {
    filters
        .iter()
        .all(|(c, vals)| vals.iter().any(|v| v == row[*c].trim()))
        && !not
            .iter()
            .any(|(c, vals)| vals.iter().any(|v| v == row[*c].trim()))
}

fn compile_entity(
    e: &EntityMapping,
    col: &dyn Fn(&str) -> Result<usize, IngestError>,
    names: &[&str],
    key_prefix: &str,
) -> Result<CompiledEntity, IngestError> {
    // FtM: sha1(key prefix, the dataset) updated with the key literal, then with each sorted
    // key value.
    let mut seed = Sha1::new();
    seed.update(key_prefix.trim().as_bytes());
    if let Some(l) = &e.key_literal {
        seed.update(l.trim().as_bytes());
    }
    let properties = e
        .properties
        .iter()
        .map(|p: &PropertyMapping| {
            Ok(CompiledProperty {
                prop: p.prop,
                kind: p.kind,
                columns: p.columns.iter().map(|c| col(c)).collect::<Result<_, _>>()?,
                column_names: p.columns.clone(),
                literals: p.literals.clone(),
                join: p.join.clone(),
                split: p.split.clone(),
                entity: p
                    .entity
                    .as_ref()
                    .and_then(|n| names.iter().position(|x| x == n)),
                template: p.template.clone(),
                required: p.required,
                format: p.format.clone(),
                strict: p.strict,
            })
        })
        .collect::<Result<Vec<_>, IngestError>>()?;
    // countries first: phone numbers use them as hints, as in FtM
    let mut properties = properties;
    properties.sort_by_key(|p| p.kind != PropType::Country);
    Ok(CompiledEntity {
        schema: e.schema,
        keys: e.keys.iter().map(|k| col(k)).collect::<Result<_, _>>()?,
        seed,
        id_column: e.id_column.as_deref().map(col).transpose()?,
        properties,
    })
}

fn entity_id(e: &CompiledEntity, row: &[String]) -> Option<String> {
    if let Some(c) = e.id_column {
        let v = row[c].trim();
        return (!v.is_empty()).then(|| v.to_owned());
    }
    let mut values: Vec<&[u8]> = e.keys.iter().map(|k| row[*k].trim().as_bytes()).collect();
    values.sort_unstable();
    let mut digest = e.seed.clone();
    let mut has = false;
    for v in values {
        if !v.is_empty() {
            has = true;
            digest.update(v);
        }
    }
    has.then(|| {
        let mut id = String::with_capacity(81);
        push_hex(&mut id, &digest.finalize());
        id
    })
}

fn map_row(
    file: &str,
    line: u64,
    q: &CompiledQuery,
    row: &[String],
    ctx: &Context,
    out: &mut Vec<Fragment>,
) -> Result<(), IngestError> {
    // ids of this row's entities, by position in q.entities, for references
    let mut ids: Vec<Option<String>> = vec![None; q.entities.len()];
    for (i, e) in q.entities.iter().enumerate() {
        let Some(id) = entity_id(e, row) else {
            continue;
        };
        let id = match &q.namespace {
            Some(ns) => ns.sign(id),
            None => id,
        };
        let mut frag = Fragment {
            id,
            schema: e.schema,
            values: Vec::new(),
        };
        let mut local_ctx: Option<Context> = None;
        let mut missing_required = false;
        for p in &e.properties {
            let before = frag.values.len();
            if let Some(target) = p.entity {
                if let Some(tid) = &ids[target] {
                    frag.add_typed(p.prop, PropType::Entity, tid, ctx);
                }
            } else {
                let c = local_ctx.as_ref().unwrap_or(ctx);
                for raw in property_values(p, row) {
                    let raw = match (&p.format, p.kind) {
                        (Some(fmt), PropType::Date) => strptime::parse(&raw, fmt).unwrap_or(raw),
                        _ => raw,
                    };
                    frag.add_typed(p.prop, p.kind, &raw, c);
                    if p.strict && frag.values.last().is_some_and(|v| !v.valid) {
                        let column = p.column_names.first().cloned().unwrap_or_default();
                        return Err(IngestError::new(
                            file,
                            format!(
                                "{raw:?} is not a valid {} for {}.{}",
                                p.kind.as_str(),
                                e.schema,
                                p.prop
                            ),
                        )
                        .at(line)
                        .field(format!("column {column:?}")));
                    }
                }
                if p.kind == PropType::Country {
                    let hints: Vec<String> = frag.get(p.prop).map(str::to_owned).collect();
                    if !hints.is_empty() {
                        let mut c = local_ctx.take().unwrap_or_else(|| ctx.clone());
                        c.country_hints.extend(hints);
                        local_ctx = Some(c);
                    }
                }
            }
            if p.required && frag.values.len() == before {
                missing_required = true;
            }
        }
        if missing_required {
            continue;
        }
        ids[i] = Some(frag.id.clone());
        out.push(frag);
    }
    Ok(())
}

/// The raw values of a property for a row: literals, then columns (or the template), joined
/// and split as the mapping says; empty values dropped.
fn property_values(p: &CompiledProperty, row: &[String]) -> Vec<String> {
    let mut values: Vec<String> = Vec::new();
    if let Some(t) = &p.template {
        let mut s = t.clone();
        for (name, c) in p.column_names.iter().zip(&p.columns) {
            s = s.replace(&format!("{{{{{name}}}}}"), row[*c].trim());
        }
        values.push(s.trim().to_owned());
    } else {
        values.extend(p.literals.iter().cloned());
        values.extend(p.columns.iter().map(|c| row[*c].clone()));
    }
    values.retain(|v| !v.trim().is_empty());
    if let Some(j) = &p.join {
        let joined = values.iter().map(|v| v.trim()).collect::<Vec<_>>().join(j);
        values = vec![joined];
    }
    if let Some(s) = &p.split {
        values = values
            .iter()
            .flat_map(|v| v.split(s.as_str()).map(str::to_owned))
            .collect();
    }
    values
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_digits_are_those_of_the_hex_crate() {
        let bytes: Vec<u8> = (0..=255).collect();
        let mut out = String::from("x.");
        super::push_hex(&mut out, &bytes);
        assert_eq!(out, format!("x.{}", hex::encode(&bytes)));
    }
}
