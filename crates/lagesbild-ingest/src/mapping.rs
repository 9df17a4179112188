//! FollowTheMoney mapping files: the YAML of `ftm map` and Aleph (`queries`, `entities`,
//! `schema`, `keys`, `key_literal`, `id_column`, `properties` with `column`, `columns`, `join`,
//! `split`, `literal`, `template`, `entity`, `required`, `format`), so that existing mappings work
//! unchanged. Lägesbild adds `strict` on a property (an invalid value fails the file) and a
//! `policy` block per query (policy fields from columns or literals, overriding the defaults).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_norway::Value;

use lagesbild_model::{PropType, model};

use crate::error::IngestError;

/// One query: a source of rows and the entities mapped from each row.
#[derive(Debug, Clone)]
pub struct QueryMapping {
    /// The CSV files the mapping names (`csv_url`, `csv_urls`).
    pub csv_urls: Vec<String>,
    pub filters: Vec<(String, Vec<String>)>,
    pub filters_not: Vec<(String, Vec<String>)>,
    /// Entities in dependency order (referenced entities first).
    pub entities: Vec<EntityMapping>,
    pub policy: PolicyMapping,
}

#[derive(Debug, Clone)]
pub struct EntityMapping {
    pub name: String,
    pub schema: &'static str,
    pub keys: Vec<String>,
    pub key_literal: Option<String>,
    pub id_column: Option<String>,
    pub properties: Vec<PropertyMapping>,
}

#[derive(Debug, Clone)]
pub struct PropertyMapping {
    pub prop: &'static str,
    pub kind: PropType,
    pub columns: Vec<String>,
    pub literals: Vec<String>,
    pub join: Option<String>,
    pub split: Option<String>,
    pub entity: Option<String>,
    /// `{{column}}` placeholders filled from the row.
    pub template: Option<String>,
    pub required: bool,
    /// A strptime-style date format for date properties (`%d.%m.%Y`).
    pub format: Option<String>,
    /// A value that cannot be normalised fails the whole file instead of being kept flagged.
    pub strict: bool,
}

/// Where a policy field comes from: a column of the row or a literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Column(String),
    Literal(String),
}

#[derive(Debug, Clone, Default)]
pub struct PolicyMapping {
    pub org: Option<Source>,
    pub grading: Option<Source>,
    pub handling: Option<Source>,
    pub handling_note: Option<Source>,
    pub subject_category: Option<Source>,
    pub purpose: Option<Source>,
    pub legal_basis: Option<Source>,
    pub compartment: Option<Source>,
    pub review_by: Option<Source>,
    pub delete_by: Option<Source>,
}

impl PolicyMapping {
    pub fn columns(&self) -> impl Iterator<Item = &str> {
        [
            &self.org,
            &self.grading,
            &self.handling,
            &self.handling_note,
            &self.subject_category,
            &self.purpose,
            &self.legal_basis,
            &self.compartment,
            &self.review_by,
            &self.delete_by,
        ]
        .into_iter()
        .filter_map(|s| match s {
            Some(Source::Column(c)) => Some(c.as_str()),
            _ => None,
        })
    }
}

/// A whole mapping file: dataset name → queries.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub datasets: Vec<(String, Vec<QueryMapping>)>,
}

impl QueryMapping {
    /// Every column the query reads.
    pub fn columns(&self) -> Vec<String> {
        let mut cols: Vec<String> = Vec::new();
        let mut push = |c: &str| {
            if !cols.iter().any(|x| x == c) {
                cols.push(c.to_owned());
            }
        };
        for e in &self.entities {
            e.keys.iter().for_each(|k| push(k));
            if let Some(c) = &e.id_column {
                push(c);
            }
            for p in &e.properties {
                p.columns.iter().for_each(|c| push(c));
            }
        }
        for (c, _) in self.filters.iter().chain(&self.filters_not) {
            push(c);
        }
        self.policy.columns().for_each(&mut push);
        cols
    }
}

fn as_list(v: Option<&Value>) -> Vec<String> {
    match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Sequence(s)) => s.iter().filter_map(scalar).collect(),
        Some(other) => scalar(other).into_iter().collect(),
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn string(map: &serde_norway::Mapping, key: &str) -> Option<String> {
    map.get(key).and_then(scalar)
}

#[derive(Deserialize)]
struct Top(BTreeMap<String, Value>);

/// Parses a mapping file's text; `file` names it in errors.
pub fn parse_mapping(file: &str, text: &str) -> Result<Mapping, IngestError> {
    let err = |m: String| IngestError::new(file, m);
    let top: Top = serde_norway::from_str(text).map_err(|e| {
        let mut ie = err(format!("not a valid YAML mapping: {e}"));
        if let Some(loc) = e.location() {
            ie = ie.at(loc.line() as u64);
        }
        ie
    })?;
    let mut datasets = Vec::new();
    for (dataset, body) in top.0 {
        let Value::Mapping(body) = body else {
            return Err(err(format!(
                "dataset {dataset:?} must be a mapping with `queries`"
            )));
        };
        let queries: Vec<&Value> = match (body.get("queries"), body.get("query")) {
            (Some(Value::Sequence(qs)), _) => qs.iter().collect(),
            (Some(q @ Value::Mapping(_)), _) | (None, Some(q)) => vec![q],
            _ => return Err(err(format!("dataset {dataset:?} has no `queries`")).field("queries")),
        };
        let mut parsed = Vec::new();
        for (i, q) in queries.into_iter().enumerate() {
            let Value::Mapping(q) = q else {
                return Err(err(format!(
                    "query {} of {dataset:?} is not a mapping",
                    i + 1
                )));
            };
            parsed.push(parse_query(file, &dataset, q)?);
        }
        datasets.push((dataset, parsed));
    }
    if datasets.is_empty() {
        return Err(err("the mapping defines no dataset".into()));
    }
    Ok(Mapping { datasets })
}

fn filters(q: &serde_norway::Mapping, key: &str) -> Vec<(String, Vec<String>)> {
    match q.get(key) {
        Some(Value::Mapping(m)) => m
            .iter()
            .filter_map(|(k, v)| Some((scalar(k)?, as_list(Some(v)))))
            .collect(),
        _ => Vec::new(),
    }
}

fn parse_query(
    file: &str,
    dataset: &str,
    q: &serde_norway::Mapping,
) -> Result<QueryMapping, IngestError> {
    let err = |m: String| IngestError::new(file, format!("dataset {dataset:?}: {m}"));
    let mut csv_urls = as_list(q.get("csv_url"));
    csv_urls.extend(as_list(q.get("csv_urls")));
    let Some(Value::Mapping(ents)) = q.get("entities") else {
        return Err(err("no entity mappings are defined".into()).field("entities"));
    };
    let mut entities = Vec::new();
    for (name, def) in ents {
        let name = scalar(name).unwrap_or_default();
        let Value::Mapping(def) = def else {
            return Err(err(format!("entity {name:?} is not a mapping")));
        };
        entities.push(parse_entity(&err, &name, def)?);
    }
    // references must name an entity of the query, whose schema fits the property's range
    for e in &entities {
        for p in &e.properties {
            let Some(target) = &p.entity else { continue };
            let Some(t) = entities.iter().find(|x| &x.name == target) else {
                return Err(err(format!(
                    "no entity {target:?} for property {}.{}",
                    e.name, p.prop
                )));
            };
            let range = model()
                .get(e.schema)
                .and_then(|s| s.property(p.prop))
                .and_then(|pr| pr.range.clone());
            if let Some(range) = range {
                let ts = model().get(t.schema).expect("checked");
                if !ts.is_a(&range) {
                    return Err(err(format!(
                        "the entity {target:?} must be a {range} (not {}) for {}.{}",
                        t.schema, e.name, p.prop
                    )));
                }
            }
        }
    }
    // dependency order
    let mut ordered: Vec<EntityMapping> = Vec::new();
    let mut pending = entities;
    while !pending.is_empty() {
        let before = pending.len();
        let mut i = 0;
        while i < pending.len() {
            let ready = pending[i]
                .properties
                .iter()
                .filter_map(|p| p.entity.as_ref())
                .all(|d| ordered.iter().any(|o| &o.name == d));
            if ready {
                ordered.push(pending.remove(i));
            } else {
                i += 1;
            }
        }
        if pending.len() == before {
            return Err(err("circular entity dependency".into()));
        }
    }
    let policy = match q.get("policy") {
        None => PolicyMapping::default(),
        Some(Value::Mapping(p)) => parse_policy(&err, p)?,
        Some(_) => return Err(err("`policy` must be a mapping".into()).field("policy")),
    };
    Ok(QueryMapping {
        csv_urls,
        filters: filters(q, "filters"),
        filters_not: filters(q, "filters_not"),
        entities: ordered,
        policy,
    })
}

fn parse_entity(
    err: &dyn Fn(String) -> IngestError,
    name: &str,
    def: &serde_norway::Mapping,
) -> Result<EntityMapping, IngestError> {
    let schema_name =
        string(def, "schema").ok_or_else(|| err(format!("no schema for entity {name:?}")))?;
    let schema = model().get(&schema_name).ok_or_else(|| {
        err(format!(
            "invalid schema {schema_name:?} for entity {name:?}"
        ))
    })?;
    let mut keys = as_list(def.get("key"));
    keys.extend(as_list(def.get("keys")));
    let id_column = string(def, "id_column");
    if keys.is_empty() && id_column.is_none() {
        return Err(err(format!("no keys or id_column for entity {name:?}")));
    }
    if !keys.is_empty() && id_column.is_some() {
        return Err(err(format!(
            "use only keys or id_column, not both, for entity {name:?}"
        )));
    }
    let mut properties = Vec::new();
    if let Some(Value::Mapping(props)) = def.get("properties") {
        for (pname, pdef) in props {
            let pname = scalar(pname).unwrap_or_default();
            let prop = schema.property(&pname).ok_or_else(|| {
                err(format!(
                    "invalid property {pname:?} for schema {schema_name} (entity {name:?})"
                ))
            })?;
            let Value::Mapping(pdef) = pdef else {
                return Err(err(format!("property {name}.{pname} is not a mapping")));
            };
            let mut columns = as_list(pdef.get("column"));
            columns.extend(as_list(pdef.get("columns")));
            let mut literals = as_list(pdef.get("literal"));
            literals.extend(as_list(pdef.get("literals")));
            let template = string(pdef, "template");
            if let Some(t) = &template {
                columns.extend(template_refs(t));
            }
            let flag = |k: &str| matches!(pdef.get(k), Some(Value::Bool(true)));
            properties.push(PropertyMapping {
                prop: prop.name.as_str(),
                kind: prop.kind,
                columns,
                literals,
                join: string(pdef, "join"),
                split: string(pdef, "split"),
                entity: string(pdef, "entity"),
                template,
                required: flag("required"),
                format: string(pdef, "format"),
                strict: flag("strict"),
            });
        }
    }
    Ok(EntityMapping {
        name: name.to_owned(),
        schema: schema.name.as_str(),
        keys,
        key_literal: string(def, "key_literal"),
        id_column,
        properties,
    })
}

/// The column names inside `{{ }}` of a template.
pub fn template_refs(t: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = t;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        out.push(after[..end].trim().to_owned());
        rest = &after[end + 2..];
    }
    out
}

fn parse_policy(
    err: &dyn Fn(String) -> IngestError,
    p: &serde_norway::Mapping,
) -> Result<PolicyMapping, IngestError> {
    let mut out = PolicyMapping::default();
    for (k, v) in p {
        let key = scalar(k).unwrap_or_default();
        let source = match v {
            Value::Mapping(m) => match (string(m, "column"), string(m, "literal")) {
                (Some(c), None) => Source::Column(c),
                (None, Some(l)) => Source::Literal(l),
                _ => {
                    return Err(err(format!("policy.{key} needs `column` or `literal`"))
                        .field(format!("policy.{key}")));
                }
            },
            other => match scalar(other) {
                Some(l) => Source::Literal(l),
                None => return Err(err(format!("policy.{key} is not a value"))),
            },
        };
        let slot = match key.as_str() {
            "org" | "organisation" | "organization" => &mut out.org,
            "grading" => &mut out.grading,
            "handling" => &mut out.handling,
            "handling_note" => &mut out.handling_note,
            "subject_category" => &mut out.subject_category,
            "purpose" => &mut out.purpose,
            "legal_basis" => &mut out.legal_basis,
            "compartment" => &mut out.compartment,
            "review_by" => &mut out.review_by,
            "delete_by" => &mut out.delete_by,
            _ => {
                return Err(
                    err(format!("unknown policy field {key:?}")).field(format!("policy.{key}"))
                );
            }
        };
        *slot = Some(source);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAPPING: &str = r#"
seizures:
  queries:
    - csv_url: file://seizures.csv
      filters:
        status: approved
      entities:
        suspect:
          schema: Person
          keys: [personnummer]
          properties:
            name:
              columns: [first_name, last_name]
              join: " "
            birthDate:
              column: born
              format: "%d.%m.%Y"
            phone:
              column: phone
        seizure:
          schema: Seizure
          key_literal: seizure
          keys: [case_id, item]
          properties:
            suspect:
              entity: suspect
            substance:
              column: substance
            weight:
              column: grams
              strict: true
            description:
              template: "{{substance}} i {{place}}"
      policy:
        grading: {column: grade}
        handling: H2
"#;

    #[test]
    fn parses_ftm_mapping_with_extensions() {
        let m = parse_mapping("m.yml", MAPPING).unwrap();
        let (name, queries) = &m.datasets[0];
        assert_eq!(name, "seizures");
        let q = &queries[0];
        assert_eq!(q.csv_urls, ["file://seizures.csv"]);
        assert_eq!(
            q.filters,
            [("status".to_owned(), vec!["approved".to_owned()])]
        );
        assert_eq!(q.entities[0].name, "suspect");
        let seizure = &q.entities[1];
        assert_eq!(seizure.key_literal.as_deref(), Some("seizure"));
        let desc = seizure
            .properties
            .iter()
            .find(|p| p.prop == "description")
            .unwrap();
        assert_eq!(desc.columns, ["substance", "place"]);
        assert!(
            seizure
                .properties
                .iter()
                .any(|p| p.prop == "weight" && p.strict)
        );
        assert_eq!(q.policy.grading, Some(Source::Column("grade".into())));
        assert_eq!(q.policy.handling, Some(Source::Literal("H2".into())));
        let cols = q.columns();
        for c in [
            "personnummer",
            "first_name",
            "born",
            "grams",
            "place",
            "status",
            "grade",
        ] {
            assert!(cols.iter().any(|x| x == c), "{c}");
        }
    }

    #[test]
    fn dependency_order_puts_referenced_first() {
        let text = MAPPING
            .replace(
                "        suspect:\n          schema: Person",
                "        zz:\n          schema: Person",
            )
            .replace("entity: suspect", "entity: zz");
        let m = parse_mapping("m.yml", &text).unwrap();
        let q = &m.datasets[0].1[0];
        assert_eq!(q.entities[0].name, "zz");
    }

    #[test]
    fn mistakes_are_named() {
        let check = |text: &str, needle: &str| {
            let e = parse_mapping("bad.yml", text).unwrap_err();
            assert!(
                e.to_string().contains(needle),
                "{e} should contain {needle}"
            );
            assert!(e.to_string().starts_with("bad.yml"));
        };
        check(
            "x:\n  queries:\n    - entities:\n        a:\n          schema: Dragon\n          keys: [id]\n",
            "invalid schema \"Dragon\"",
        );
        check(
            "x:\n  queries:\n    - entities:\n        a:\n          schema: Person\n",
            "no keys or id_column",
        );
        check(
            "x:\n  queries:\n    - entities:\n        a:\n          schema: Person\n          keys: [id]\n          properties:\n            wings: {column: w}\n",
            "invalid property \"wings\"",
        );
        check(
            "x:\n  queries:\n    - entities:\n        a:\n          schema: Payment\n          keys: [id]\n          properties:\n            payer: {entity: nobody}\n",
            "no entity \"nobody\"",
        );
        check(
            "x:\n  queries:\n    - entities:\n        acc:\n          schema: BankAccount\n          keys: [id]\n        p:\n          schema: Payment\n          keys: [id]\n          properties:\n            payer: {entity: acc}\n",
            "must be a LegalEntity",
        );
        check("x: [1, 2", "not a valid YAML");
        check(
            "x:\n  queries:\n    - entities:\n        a:\n          schema: Person\n          keys: [id]\n      policy:\n        colour: red\n",
            "unknown policy field",
        );
    }
}
