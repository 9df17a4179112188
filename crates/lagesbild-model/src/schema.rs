//! The schemata: which kinds of entity exist, which typed properties they have, and how they
//! inherit from each other. Loaded once from the embedded `schemata.yaml`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;

use crate::types::PropType;

/// One property of a schema, after inheritance is resolved.
#[derive(Debug, Clone)]
pub struct Property {
    pub name: String,
    pub kind: PropType,
    /// For entity references: the schema the referenced entity must be.
    pub range: Option<String>,
    /// The schema that declared the property first.
    pub declared_by: String,
}

/// One schema with every property it has, its own and its ancestors'.
#[derive(Debug, Clone)]
pub struct Schema {
    pub name: String,
    pub parents: Vec<String>,
    /// Itself and every ancestor, nearest first.
    pub ancestors: Vec<String>,
    pub is_abstract: bool,
    pub matchable: bool,
    /// Defined by Lägesbild rather than by FollowTheMoney.
    pub own: bool,
    /// For link schemata: the properties holding the two ends.
    pub edge: Option<Edge>,
    pub properties: BTreeMap<String, Property>,
    /// The same properties for look-ups by name, which every statement of an ingest makes
    /// several times: in a profile of the 1M-row mapped ingest, string comparisons were 4.4 % of
    /// all CPU samples, most of them (by a shorter profile with call stacks) in these look-ups.
    lookup: FxHashMap<String, Property>,
}

/// The two ends of a link schema (Payment: payer → beneficiary).
#[derive(Debug, Clone, Deserialize)]
pub struct Edge {
    pub source: String,
    pub target: String,
    #[serde(default)]
    pub directed: bool,
}

impl Schema {
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.lookup.get(name)
    }

    /// Whether this schema is `other` or descends from it.
    pub fn is_a(&self, other: &str) -> bool {
        self.ancestors.iter().any(|a| a == other)
    }
}

/// Every schema, by name.
#[derive(Debug)]
pub struct Model {
    schemata: FxHashMap<String, Schema>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchema {
    #[serde(default)]
    extends: Vec<String>,
    #[serde(default, rename = "abstract")]
    is_abstract: bool,
    #[serde(default)]
    matchable: bool,
    #[serde(default)]
    own: bool,
    #[serde(default)]
    edge: Option<Edge>,
    #[serde(default)]
    properties: BTreeMap<String, RawProperty>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawProperty {
    Type(String),
    Full {
        #[serde(rename = "type")]
        kind: String,
        range: Option<String>,
    },
}

const SCHEMATA: &str = include_str!("schemata.yaml");

/// The model, parsed once from the embedded definition.
pub fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| Model::parse(SCHEMATA).expect("the embedded schemata are valid"))
}

impl Model {
    fn parse(text: &str) -> Result<Model, String> {
        let raw: BTreeMap<String, RawSchema> =
            serde_norway::from_str(text).map_err(|e| e.to_string())?;
        let mut schemata = FxHashMap::default();
        for name in raw.keys() {
            let schema = resolve(name, &raw, &mut Vec::new())?;
            schemata.insert(name.clone(), schema);
        }
        Ok(Model { schemata })
    }

    pub fn get(&self, name: &str) -> Option<&Schema> {
        self.schemata.get(name)
    }

    pub fn schemata(&self) -> impl Iterator<Item = &Schema> {
        self.schemata.values()
    }

    /// The most specific schema that both can be, if one descends from the other
    /// (`LegalEntity` and `Person` → `Person`). Unrelated schemata have none.
    pub fn common_schema<'a>(&'a self, a: &str, b: &str) -> Option<&'a Schema> {
        let sa = self.get(a)?;
        let sb = self.get(b)?;
        if sa.is_a(b) {
            Some(sa)
        } else if sb.is_a(a) {
            Some(sb)
        } else {
            None
        }
    }
}

fn resolve(
    name: &str,
    raw: &BTreeMap<String, RawSchema>,
    stack: &mut Vec<String>,
) -> Result<Schema, String> {
    if stack.iter().any(|s| s == name) {
        return Err(format!("schema inheritance cycle at {name}"));
    }
    let def = raw
        .get(name)
        .ok_or_else(|| format!("unknown schema {name}"))?;
    stack.push(name.to_owned());
    let mut ancestors = vec![name.to_owned()];
    let mut properties = BTreeMap::new();
    for (pname, p) in &def.properties {
        let (kind, range) = match p {
            RawProperty::Type(t) => (t.as_str(), None),
            RawProperty::Full { kind, range } => (kind.as_str(), range.clone()),
        };
        let kind = PropType::from_name(kind)
            .ok_or_else(|| format!("{name}.{pname}: unknown type {kind}"))?;
        properties.insert(
            pname.clone(),
            Property {
                name: pname.clone(),
                kind,
                range,
                declared_by: name.to_owned(),
            },
        );
    }
    let mut edge = def.edge.clone();
    for parent in &def.extends {
        let p = resolve(parent, raw, stack)?;
        for a in p.ancestors {
            if !ancestors.contains(&a) {
                ancestors.push(a);
            }
        }
        for (pname, prop) in p.properties {
            properties.entry(pname).or_insert(prop);
        }
        if edge.is_none() {
            edge = p.edge;
        }
    }
    stack.pop();
    Ok(Schema {
        name: name.to_owned(),
        parents: def.extends.clone(),
        ancestors,
        is_abstract: def.is_abstract,
        matchable: def.matchable,
        own: def.own,
        edge,
        lookup: properties
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        properties,
    })
}

/// A property name as a `&'static str`: the model's own copy when a schema has the property;
/// otherwise (a name read from outside, checked against its schema elsewhere) a copy kept for
/// the rest of the process, one per distinct name.
pub fn intern_prop(name: &str) -> &'static str {
    static NAMES: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    static OTHERS: std::sync::Mutex<BTreeSet<&'static str>> =
        std::sync::Mutex::new(BTreeSet::new());
    let names = NAMES.get_or_init(|| {
        model()
            .schemata()
            .flat_map(|s| s.properties.values())
            .map(|p| p.name.as_str())
            .collect()
    });
    if let Some(known) = names.get(name) {
        return known;
    }
    let mut others = OTHERS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(known) = others.get(name) {
        return known;
    }
    let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
    others.insert(leaked);
    leaked
}

/// Reads a schema's name as the model's own `&'static str`; a name the model lacks is an error.
pub(crate) fn deserialize_schema_name<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<&'static str, D::Error> {
    let name = std::borrow::Cow::<'de, str>::deserialize(d)?;
    model()
        .get(&name)
        .map(|s| s.name.as_str())
        .ok_or_else(|| serde::de::Error::custom(format!("unknown schema {name:?}")))
}

/// Reads a property's name as a `&'static str` ([`intern_prop`]).
pub(crate) fn deserialize_prop_name<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<&'static str, D::Error> {
    let name = std::borrow::Cow::<'de, str>::deserialize(d)?;
    Ok(intern_prop(&name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inheritance_resolves() {
        let m = model();
        let person = m.get("Person").unwrap();
        assert!(person.is_a("LegalEntity"));
        assert!(person.is_a("Thing"));
        assert_eq!(person.property("phone").unwrap().kind, PropType::Phone);
        assert_eq!(person.property("name").unwrap().declared_by, "Thing");
        assert_eq!(person.property("birthDate").unwrap().kind, PropType::Date);
        let company = m.get("Company").unwrap();
        assert!(company.is_a("Asset") && company.is_a("Organization"));
        assert!(company.property("amount").is_some());
    }

    #[test]
    fn edges_and_references() {
        let m = model();
        let pay = m.get("Payment").unwrap();
        let edge = pay.edge.as_ref().unwrap();
        assert_eq!(
            (edge.source.as_str(), edge.target.as_str()),
            ("payer", "beneficiary")
        );
        assert_eq!(
            pay.property("payer").unwrap().range.as_deref(),
            Some("LegalEntity")
        );
        // every range names a schema that exists
        for s in m.schemata() {
            for p in s.properties.values() {
                if let Some(r) = &p.range {
                    assert!(m.get(r).is_some(), "{}.{} → {r}", s.name, p.name);
                    assert_eq!(p.kind, PropType::Entity);
                }
            }
            if let Some(e) = &s.edge {
                assert!(s.property(&e.source).is_some(), "{}: {}", s.name, e.source);
                assert!(s.property(&e.target).is_some(), "{}: {}", s.name, e.target);
            }
        }
    }

    #[test]
    fn own_schemata_exist() {
        let m = model();
        for name in [
            "Seizure",
            "Substance",
            "Listing",
            "Observation",
            "Incident",
            "Case",
            "Device",
            "WastewaterSample",
        ] {
            assert!(m.get(name).unwrap().own, "{name}");
        }
        assert!(!m.get("Person").unwrap().own);
    }

    #[test]
    fn common_schema() {
        let m = model();
        assert_eq!(
            m.common_schema("LegalEntity", "Person").unwrap().name,
            "Person"
        );
        assert_eq!(
            m.common_schema("Company", "Organization").unwrap().name,
            "Company"
        );
        assert!(m.common_schema("Person", "Company").is_none());
    }

    #[test]
    fn names_read_from_outside_are_the_models_own() {
        // a property's name is one of the model's own copies (each schema keeps its own)
        let interned = intern_prop(&String::from("iban"));
        assert!(
            model()
                .schemata()
                .filter_map(|s| s.properties.get("iban"))
                .any(|p| std::ptr::eq(interned, p.name.as_str()))
        );
        // a name no schema has is kept once and handed out again
        let odd = intern_prop("notAPropertyOfAnySchema");
        assert_eq!(odd, "notAPropertyOfAnySchema");
        assert!(std::ptr::eq(odd, intern_prop("notAPropertyOfAnySchema")));

        let frag: crate::Fragment = serde_json::from_str(
            r#"{"id": "a", "schema": "Person", "values": [{"prop": "name", "value": "Ann"}]}"#,
        )
        .unwrap();
        assert!(std::ptr::eq(
            frag.schema,
            model().get("Person").unwrap().name.as_str()
        ));
        assert_eq!(frag.values[0].prop, "name");
        let unknown = serde_json::from_str::<crate::Fragment>(
            r#"{"id": "a", "schema": "Persona", "values": []}"#,
        )
        .unwrap_err();
        assert!(
            unknown.to_string().contains("unknown schema \"Persona\""),
            "{unknown}"
        );
    }
}
