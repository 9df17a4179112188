//! The statements of a record as stored with it: compact JSON arrays rather than objects, since
//! every record carries them (`[[id, schema, [[prop, value], [prop, value, original],
//! [prop, value, original or null, false]]], ...]`); the validity flag is written only when
//! false, the original only when it differs. A plain value that is the id of one of the record's
//! own fragments (an ownership's owner, a payment's payer) is written as that fragment's
//! position, a number, instead of the id again: ids are long and such links are in most records.

use serde_json::Value;
use serde_json::value::RawValue;

use lagesbild_model::schema::{intern_prop, model};
use lagesbild_model::{Fragment, PropValue};

/// Writes the fragments of a record.
pub(crate) fn encode(fragments: &[Fragment]) -> String {
    let mut out = String::with_capacity(64 * fragments.len() + 32);
    out.push('[');
    for (i, f) in fragments.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        string(&mut out, &f.id);
        out.push(',');
        string(&mut out, f.schema);
        out.push_str(",[");
        for (j, v) in f.values.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push('[');
            string(&mut out, v.prop);
            out.push(',');
            match (&v.original, v.valid) {
                (None, true) => match fragments.iter().position(|g| g.id == v.value) {
                    Some(k) => out.push_str(&k.to_string()),
                    None => string(&mut out, &v.value),
                },
                (Some(o), true) => {
                    string(&mut out, &v.value);
                    out.push(',');
                    string(&mut out, o);
                }
                (o, false) => {
                    string(&mut out, &v.value);
                    out.push(',');
                    match o {
                        Some(o) => string(&mut out, o),
                        None => out.push_str("null"),
                    }
                    out.push_str(",false");
                }
            }
            out.push(']');
        }
        out.push_str("]]");
    }
    out.push(']');
    out
}

/// A JSON string; text with nothing to escape (the common case) is copied as it is.
fn string(out: &mut String, s: &str) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        // serde_json escapes exactly as JSON requires; writing into a String cannot fail
        out.push_str(&serde_json::to_string(s).expect("strings serialise"));
    }
}

/// Reads what [`encode`] wrote.
pub(crate) fn decode(text: &str) -> Result<Vec<Fragment>, String> {
    decode_where(text, |_| true)
}

/// Reads the fragments about these entities only; the record's others are skipped unparsed (an
/// account's page reads thousands of payments for the account's few values in each).
pub(crate) fn decode_about(text: &str, ids: &[String]) -> Result<Vec<Fragment>, String> {
    decode_where(text, |id| ids.iter().any(|i| i == id))
}

fn decode_where(text: &str, keep: impl Fn(&str) -> bool) -> Result<Vec<Fragment>, String> {
    let parsed = outline(text)?;
    let ids: Vec<&str> = parsed.iter().map(|(id, _, _)| id.as_str()).collect();
    parsed
        .iter()
        .filter(|(id, _, _)| keep(id))
        .map(|(id, schema, values)| {
            Ok(Fragment {
                id: id.clone(),
                schema: model()
                    .get(schema)
                    .map(|s| s.name.as_str())
                    .ok_or_else(|| format!("unknown schema {schema:?}"))?,
                values: self::values(values, &ids)?,
            })
        })
        .collect()
}

/// A record's fragments as id, schema and their statements still unread.
pub(crate) type Outline<'a> = Vec<(String, String, &'a RawValue)>;

/// Reads a record's fragments only as far as their ids and schemata.
pub(crate) fn outline(text: &str) -> Result<Outline<'_>, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// How many statements a fragment of an [`outline`] has, without reading them.
pub(crate) fn count(values: &RawValue) -> Result<usize, String> {
    serde_json::from_str::<Vec<serde::de::IgnoredAny>>(values.get())
        .map(|v| v.len())
        .map_err(|e| e.to_string())
}

/// Reads the statements of a fragment of an [`outline`]; `ids` are the ids of the record's
/// fragments, in order, for the values written as positions.
pub(crate) fn values(values: &RawValue, ids: &[&str]) -> Result<Vec<PropValue>, String> {
    let values: Vec<Vec<Value>> = serde_json::from_str(values.get()).map_err(|e| e.to_string())?;
    values
        .into_iter()
        .map(|v| {
            let text = |i: usize| v.get(i).and_then(Value::as_str).map(str::to_owned);
            let value = match v.get(1) {
                Some(Value::Number(n)) => n
                    .as_u64()
                    .and_then(|k| ids.get(k as usize))
                    .map(|id| (*id).to_owned())
                    .ok_or("a value refers to a fragment the record does not have")?,
                _ => text(1).ok_or("a statement without a value")?,
            };
            Ok(PropValue {
                prop: v
                    .first()
                    .and_then(Value::as_str)
                    .map(intern_prop)
                    .ok_or("a statement without a property")?,
                value,
                original: text(2),
                valid: v.get(3).and_then(Value::as_bool).unwrap_or(true),
            })
        })
        .collect::<Result<_, &str>>()
        .map_err(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let frags = vec![
            Fragment {
                id: "a.\"quoted\"".into(),
                schema: "Person",
                values: vec![
                    PropValue {
                        prop: "name",
                        value: "Åsa \\ Öberg\n".into(),
                        original: None,
                        valid: true,
                    },
                    PropValue {
                        prop: "phone",
                        value: "+46701234567".into(),
                        original: Some("070-123 45 67".into()),
                        valid: true,
                    },
                    PropValue {
                        prop: "email",
                        value: "nope".into(),
                        original: None,
                        valid: false,
                    },
                    PropValue {
                        prop: "birthDate",
                        value: "x".into(),
                        original: Some(" x".into()),
                        valid: false,
                    },
                ],
            },
            Fragment {
                id: "b".into(),
                schema: "Company",
                values: vec![],
            },
        ];
        let text = encode(&frags);
        assert_eq!(decode(&text).unwrap(), frags);
        assert!(
            text.starts_with("[[\"a.\\\"quoted\\\"\",\"Person\",[[\"name\""),
            "{text}"
        );
        assert!(decode("[[1]]").is_err());
        assert_eq!(decode("[]").unwrap(), vec![]);
    }

    #[test]
    fn links_within_a_record_are_written_once() {
        let value = |prop: &'static str, value: &str| PropValue {
            prop,
            value: value.into(),
            original: None,
            valid: true,
        };
        let owner = "1d347458551631eb9b225f1f491343560f829f5c.e34d318d053eeb47cf0b526ff1e00e1b";
        let frags = vec![
            Fragment {
                id: "ownership-1".into(),
                schema: "Ownership",
                // a link to a later fragment, one to an earlier, and one to an outside entity
                values: vec![
                    value("owner", owner),
                    value("asset", "ownership-1"),
                    value("asset", "elsewhere"),
                ],
            },
            Fragment {
                id: owner.into(),
                schema: "Person",
                values: vec![value("name", "Ove \"Ö\" Ek")],
            },
        ];
        let text = encode(&frags);
        assert_eq!(text.matches(owner).count(), 1, "{text}");
        assert!(text.contains(r#"["owner",1]"#), "{text}");
        assert!(text.contains(r#"["asset",0]"#), "{text}");
        assert_eq!(decode(&text).unwrap(), frags);
        // facts written before back-references existed read as they did
        let old = format!(r#"[["o","Ownership",[["owner","{owner}"]]],["{owner}","Person",[]]]"#);
        assert_eq!(decode(&old).unwrap()[0].values[0].value, owner);
        assert!(decode(r#"[["o","Ownership",[["owner",7]]]]"#).is_err());
        // one fragment alone, its link to another still resolved
        let about = decode_about(&text, &["ownership-1".to_owned()]).unwrap();
        assert_eq!(about, frags[..1]);
        assert!(
            decode_about(&text, &["nobody".to_owned()])
                .unwrap()
                .is_empty()
        );
    }

    proptest::proptest! {
        /// Whatever the fragments, decoding gives back what was encoded; ids are drawn from a
        /// few so that values often repeat them.
        #[test]
        fn any_fragments_round_trip(
            frags in proptest::collection::vec(
                (
                    "[a-c\"\\\\é]{0,3}",
                    proptest::collection::vec(
                        ("[a-z]{1,4}", "[a-c\"\\\\\n é]{0,3}", proptest::option::of(".{0,3}"), proptest::bool::ANY),
                        0..5,
                    ),
                ),
                0..4,
            )
        ) {
            let frags: Vec<Fragment> = frags
                .into_iter()
                .map(|(id, values)| Fragment {
                    id,
                    schema: "Thing",
                    values: values
                        .into_iter()
                        .map(|(prop, value, original, valid)| PropValue { prop: intern_prop(&prop), value, original, valid })
                        .collect(),
                })
                .collect();
            proptest::prop_assert_eq!(decode(&encode(&frags)).unwrap(), frags);
        }
    }
}
