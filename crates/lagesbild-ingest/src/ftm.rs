//! JSON Lines of FollowTheMoney entities (`{"id", "schema", "properties": {prop: [values]}}`),
//! as `ftm` and Aleph write them. Each line is one record; its entity becomes one fragment.
//! Properties the schema does not have are kept in the record's raw text and counted, not
//! turned into statements.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::sync::Arc;

use serde::Deserialize;

use lagesbild_model::{Context, Fragment, Policy, Record, SourceRef, model};

use crate::error::IngestError;

#[derive(Deserialize)]
struct Entity {
    id: Option<String>,
    schema: Option<String>,
    #[serde(default)]
    properties: BTreeMap<String, Values>,
}

/// FtM writes a list of strings; a lone value or numbers are accepted too.
#[derive(Deserialize)]
#[serde(untagged)]
enum Values {
    List(Vec<Scalar>),
    One(Scalar),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Number(serde_json::Number),
    Bool(bool),
    Null(()),
}

impl Scalar {
    fn text(&self) -> Option<String> {
        match self {
            Scalar::Text(s) => Some(s.clone()),
            Scalar::Number(n) => Some(n.to_string()),
            Scalar::Bool(b) => Some(b.to_string()),
            Scalar::Null(()) => None,
        }
    }
}

/// Reads FtM entities line by line.
pub struct FtmReader<R: BufRead> {
    file: String,
    input: R,
    line: u64,
    offset: u64,
    buf: Vec<u8>,
    policy: Arc<Policy>,
    ctx: Context,
    failed: bool,
    /// Values of properties the schema does not know, kept only in the raw text.
    pub unknown_properties: u64,
}

impl<R: BufRead> FtmReader<R> {
    pub fn new(file: &str, input: R, policy: Arc<Policy>, ctx: Context) -> Self {
        FtmReader {
            file: file.to_owned(),
            input,
            line: 0,
            offset: 0,
            buf: Vec::new(),
            policy,
            ctx,
            failed: false,
            unknown_properties: 0,
        }
    }

    fn err(&self, msg: impl Into<String>) -> IngestError {
        IngestError::new(&self.file, msg).at(self.line)
    }

    fn next_record(&mut self) -> Result<Option<Record>, IngestError> {
        loop {
            self.buf.clear();
            let start = self.offset;
            let n = self
                .input
                .read_until(b'\n', &mut self.buf)
                .map_err(|e| IngestError::new(&self.file, format!("cannot read: {e}")))?;
            if n == 0 {
                return Ok(None);
            }
            self.line += 1;
            self.offset += n as u64;
            let text = std::str::from_utf8(&self.buf).map_err(|e| {
                self.err(format!(
                    "invalid UTF-8 at byte {} of the line",
                    e.valid_up_to()
                ))
            })?;
            let text = text
                .trim_end_matches(['\n', '\r'])
                .trim_start_matches('\u{feff}');
            if text.trim().is_empty() {
                continue;
            }
            let entity: Entity = serde_json::from_str(text)
                .map_err(|e| self.err(format!("malformed JSON at column {}: {e}", e.column())))?;
            let id = entity
                .id
                .filter(|i| !i.trim().is_empty())
                .ok_or_else(|| self.err("the entity has no id").field("id"))?;
            let schema_name = entity
                .schema
                .ok_or_else(|| self.err("the entity has no schema").field("schema"))?;
            let Some(schema) = model().get(&schema_name) else {
                return Err(self
                    .err(format!("unknown schema {schema_name:?}"))
                    .field("schema"));
            };
            let mut frag = Fragment {
                id,
                schema: schema.name.as_str(),
                values: Vec::new(),
            };
            // countries first, as hints for phone numbers
            let mut ctx: Option<Context> = None;
            let mut props: Vec<(&String, &Values)> = entity.properties.iter().collect();
            props.sort_by_key(|(p, _)| {
                schema
                    .property(p)
                    .is_none_or(|pr| pr.kind != lagesbild_model::PropType::Country)
            });
            for (prop, values) in props {
                let Some(p) = schema.property(prop) else {
                    self.unknown_properties += 1;
                    tracing::debug!(file = %self.file, line = self.line, "schema {} has no property {prop}", schema.name);
                    continue;
                };
                let list: Vec<&Scalar> = match values {
                    Values::List(l) => l.iter().collect(),
                    Values::One(s) => vec![s],
                };
                for v in list {
                    if let Some(t) = v.text() {
                        frag.add_typed(
                            p.name.as_str(),
                            p.kind,
                            &t,
                            ctx.as_ref().unwrap_or(&self.ctx),
                        );
                    }
                }
                if p.kind == lagesbild_model::PropType::Country {
                    let hints: Vec<String> = frag.get(prop).map(str::to_owned).collect();
                    if !hints.is_empty() {
                        let mut c = ctx.take().unwrap_or_else(|| self.ctx.clone());
                        c.country_hints.extend(hints);
                        ctx = Some(c);
                    }
                }
            }
            return Ok(Some(Record {
                source: SourceRef {
                    file: self.file.clone(),
                    line: self.line,
                    offset: start,
                },
                raw: text.to_owned(),
                policy: self.policy.clone(),
                fragments: vec![frag],
            }));
        }
    }
}

impl<R: BufRead> Iterator for FtmReader<R> {
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
