//! Records and what they say: a record is one immutable source row (a CSV line, a JSON line, a
//! message), kept as read with the place it came from; each record yields fragments, the
//! statements it makes about entities (entity, property, value).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::policy::Policy;
use crate::schema::{Property, Schema, model};
use crate::types::{self, Context, PropType};

/// Where a record was read: the file (as named to the reader) and the 1-based line and byte
/// offset of its start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    pub file: String,
    pub line: u64,
    pub offset: u64,
}

/// One value of a property: normalised, and the text it was read from when that differs. The
/// property's name is the model's own (`&'static`): an ingest makes millions of values, and a
/// copy of the name for each was one allocation more each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropValue {
    #[serde(deserialize_with = "crate::schema::deserialize_prop_name")]
    pub prop: &'static str,
    pub value: String,
    /// The raw text, kept when normalisation changed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<String>,
    /// False when the raw text could not be normalised for the property's type; the value is
    /// then the raw text, kept and flagged.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub valid: bool,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// What one record says about one entity. The schema's name is the model's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fragment {
    pub id: String,
    #[serde(deserialize_with = "crate::schema::deserialize_schema_name")]
    pub schema: &'static str,
    pub values: Vec<PropValue>,
}

/// An error in what a record says: an unknown schema or property.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FragmentError {
    #[error("unknown schema {0:?}")]
    UnknownSchema(String),
    #[error("schema {schema} has no property {prop:?}")]
    UnknownProperty { schema: String, prop: String },
    #[error("entity id is empty")]
    EmptyId,
}

impl Fragment {
    pub fn new(id: impl Into<String>, schema: &str) -> Result<Fragment, FragmentError> {
        let id = id.into();
        if id.trim().is_empty() {
            return Err(FragmentError::EmptyId);
        }
        let Some(schema) = model().get(schema) else {
            return Err(FragmentError::UnknownSchema(schema.to_owned()));
        };
        Ok(Fragment {
            id,
            schema: schema.name.as_str(),
            values: Vec::new(),
        })
    }

    pub fn schema(&self) -> &'static Schema {
        model().get(self.schema).expect("a schema of the model")
    }

    /// Normalises `raw` for the property's type and adds it; empty text adds nothing. A value
    /// already present is not added twice.
    pub fn add(&mut self, prop: &str, raw: &str, ctx: &Context) -> Result<(), FragmentError> {
        let p = self.property(prop)?;
        self.add_typed(p.name.as_str(), p.kind, raw, ctx);
        Ok(())
    }

    /// Like [`Fragment::add`] with the property already looked up (the hot path of the readers):
    /// `prop` is the model's name for it.
    pub fn add_typed(&mut self, prop: &'static str, kind: PropType, raw: &str, ctx: &Context) {
        let Some(n) = types::normalise(kind, raw, ctx) else {
            return;
        };
        if self
            .values
            .iter()
            .any(|v| v.prop == prop && v.value == n.value)
        {
            return;
        }
        let original = (n.value != raw).then(|| raw.to_owned());
        self.values.push(PropValue {
            prop,
            value: n.value,
            original,
            valid: n.valid,
        });
    }

    pub fn prop_type(&self, prop: &str) -> Result<PropType, FragmentError> {
        self.property(prop).map(|p| p.kind)
    }

    /// The schema's property of this name.
    pub fn property(&self, prop: &str) -> Result<&'static Property, FragmentError> {
        self.schema()
            .property(prop)
            .ok_or_else(|| FragmentError::UnknownProperty {
                schema: self.schema.to_owned(),
                prop: prop.to_owned(),
            })
    }

    /// The values of one property.
    pub fn get<'a>(&'a self, prop: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.values
            .iter()
            .filter(move |v| v.prop == prop)
            .map(|v| v.value.as_str())
    }
}

/// One source row as read, with its policy and the fragments drawn from it.
#[derive(Debug, Clone)]
pub struct Record {
    pub source: SourceRef,
    /// The row as read (a CSV row re-serialised as a JSON array, a JSON line as is).
    pub raw: String,
    pub policy: Arc<Policy>,
    pub fragments: Vec<Fragment>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragment_normalises_and_keeps_original() {
        let ctx = Context::default();
        let mut f = Fragment::new("p1", "Person").unwrap();
        f.add("name", "  Anna   Svensson ", &ctx).unwrap();
        f.add("phone", "070-123 45 67", &ctx).unwrap();
        f.add("phone", "+46701234567", &ctx).unwrap();
        f.add("birthDate", "1987-05", &ctx).unwrap();
        f.add("email", "not an email", &ctx).unwrap();
        f.add("alias", "   ", &ctx).unwrap();
        assert_eq!(f.get("name").collect::<Vec<_>>(), ["Anna Svensson"]);
        assert_eq!(f.get("phone").collect::<Vec<_>>(), ["+46701234567"]);
        let phone = f.values.iter().find(|v| v.prop == "phone").unwrap();
        assert_eq!(phone.original.as_deref(), Some("070-123 45 67"));
        assert_eq!(f.get("birthDate").collect::<Vec<_>>(), ["1987-05"]);
        let email = f.values.iter().find(|v| v.prop == "email").unwrap();
        assert!(!email.valid);
        assert_eq!(email.value, "not an email");
        assert_eq!(f.get("alias").count(), 0);
    }

    #[test]
    fn unknown_names_are_errors() {
        assert_eq!(
            Fragment::new("x", "Dragon").unwrap_err(),
            FragmentError::UnknownSchema("Dragon".into())
        );
        let mut f = Fragment::new("x", "Person").unwrap();
        assert!(matches!(
            f.add("wings", "2", &Context::default()),
            Err(FragmentError::UnknownProperty { .. })
        ));
        assert_eq!(
            Fragment::new(" ", "Person").unwrap_err(),
            FragmentError::EmptyId
        );
    }
}
