//! The statements of a record as stored with it: compact JSON arrays rather than objects, since
//! every record carries them (`[[id, schema, [[prop, value], [prop, value, original],
//! [prop, value, original or null, false]]], ...]`); the validity flag is written only when
//! false, the original only when it differs.

use serde_json::Value;

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
        string(&mut out, &f.schema);
        out.push_str(",[");
        for (j, v) in f.values.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push('[');
            string(&mut out, &v.prop);
            out.push(',');
            string(&mut out, &v.value);
            match (&v.original, v.valid) {
                (None, true) => {}
                (Some(o), true) => {
                    out.push(',');
                    string(&mut out, o);
                }
                (o, false) => {
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

fn string(out: &mut String, s: &str) {
    // serde_json escapes exactly as JSON requires; writing into a String cannot fail
    out.push_str(&serde_json::to_string(s).expect("strings serialise"));
}

/// Reads what [`encode`] wrote.
pub(crate) fn decode(text: &str) -> Result<Vec<Fragment>, String> {
    let parsed: Vec<(String, String, Vec<Vec<Value>>)> =
        serde_json::from_str(text).map_err(|e| e.to_string())?;
    parsed
        .into_iter()
        .map(|(id, schema, values)| {
            let values = values
                .into_iter()
                .map(|v| {
                    let text = |i: usize| v.get(i).and_then(Value::as_str).map(str::to_owned);
                    Ok(PropValue {
                        prop: text(0).ok_or("a statement without a property")?,
                        value: text(1).ok_or("a statement without a value")?,
                        original: text(2),
                        valid: v.get(3).and_then(Value::as_bool).unwrap_or(true),
                    })
                })
                .collect::<Result<_, &str>>()?;
            Ok(Fragment { id, schema, values })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let frags = vec![
            Fragment {
                id: "a.\"quoted\"".into(),
                schema: "Person".into(),
                values: vec![
                    PropValue {
                        prop: "name".into(),
                        value: "Åsa \\ Öberg\n".into(),
                        original: None,
                        valid: true,
                    },
                    PropValue {
                        prop: "phone".into(),
                        value: "+46701234567".into(),
                        original: Some("070-123 45 67".into()),
                        valid: true,
                    },
                    PropValue {
                        prop: "email".into(),
                        value: "nope".into(),
                        original: None,
                        valid: false,
                    },
                    PropValue {
                        prop: "birthDate".into(),
                        value: "x".into(),
                        original: Some(" x".into()),
                        valid: false,
                    },
                ],
            },
            Fragment {
                id: "b".into(),
                schema: "Company".into(),
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
}
