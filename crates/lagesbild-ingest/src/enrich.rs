//! Text extraction on ingest: the free text of every fragment (message bodies, listing titles
//! and descriptions, report narratives) is read by `lagesbild-extract`; each mention becomes a
//! statement on the fragment (`phoneMentioned`, `handleMentioned`, `substanceMentioned`…), and
//! each account, wallet, handle or vehicle becomes an entity of its own, with an id made from
//! the identifier alone, linked from the fragment through `mentions`. So the IBAN in a chat is
//! the same entity wherever it is mentioned, and the key statements (phone, IBAN, account,
//! wallet, personnummer) meet the same values in registers through the store's key index.
//!
//! Offsets are not stored: extraction is deterministic and fast, so a reader that wants to
//! highlight a mention extracts the text again.

use lagesbild_extract::{Extractor, Kind};
use lagesbild_model::{Context, Fragment, PropType, Record};

/// Properties of type `string` that hold free text as well.
const TEXT_STRINGS: &[&str] = &["title", "subject", "threadTopic"];

/// The statement a mention becomes, and the entity it names (schema, id prefix, property).
fn target(
    kind: Kind,
) -> (
    &'static str,
    Option<(&'static str, &'static str, &'static str)>,
) {
    match kind {
        Kind::Phone => ("phoneMentioned", None),
        Kind::Email => ("emailMentioned", None),
        Kind::Iban => ("ibanMentioned", Some(("BankAccount", "iban", "iban"))),
        Kind::Swish => (
            "swishMentioned",
            Some(("BankAccount", "swish", "accountNumber")),
        ),
        Kind::Account => (
            "accountMentioned",
            Some(("BankAccount", "account", "accountNumber")),
        ),
        Kind::Btc | Kind::Eth | Kind::Xmr => (
            "cryptoMentioned",
            Some(("CryptoWallet", "wallet", "publicKey")),
        ),
        Kind::Handle => (
            "handleMentioned",
            Some(("UserAccount", "handle", "username")),
        ),
        Kind::Personnummer | Kind::Samordningsnummer => ("idNumberMentioned", None),
        Kind::Plate => (
            "plateMentioned",
            Some(("Vehicle", "plate", "registrationNumber")),
        ),
        Kind::Substance => ("substanceMentioned", None),
        Kind::Quantity => ("quantityMentioned", None),
        Kind::Price => ("priceMentioned", None),
        Kind::Place => ("placeMentioned", None),
    }
}

/// Adds what the free text of `record` mentions, as statements and entities.
pub fn enrich(record: &mut Record, ex: &Extractor, ctx: &Context) {
    let mut new_entities: Vec<Fragment> = Vec::new();
    for frag in &mut record.fragments {
        let schema = frag.schema();
        let texts: Vec<String> = frag
            .values
            .iter()
            .filter(|v| {
                schema
                    .property(v.prop)
                    .is_some_and(|p| p.kind == PropType::Text || TEXT_STRINGS.contains(&v.prop))
            })
            .map(|v| v.value.clone())
            .collect();
        let mut seen: Vec<(Kind, String)> = Vec::new();
        for text in &texts {
            for m in ex.extract(text) {
                if seen.iter().any(|(k, v)| *k == m.kind && *v == m.value) {
                    continue;
                }
                let (prop, entity) = target(m.kind);
                let value = match &m.per {
                    Some(per) if m.kind == Kind::Price => format!("{}/{per}", m.value),
                    _ => m.value.clone(),
                };
                // the properties are on every Thing and Interval; a schema without them
                // (none today) keeps its text unread rather than failing the import
                let Ok(t) = frag.prop_type(prop) else {
                    continue;
                };
                frag.add_typed(prop, t, &value, ctx);
                if let Some((schema, prefix, key)) = entity {
                    let id = format!("{prefix}-{}", m.value);
                    if let Ok(mut e) = Fragment::new(id.clone(), schema) {
                        if let Ok(t) = e.prop_type(key) {
                            e.add_typed(key, t, &m.value, ctx);
                        }
                        if schema == "BankAccount" && m.kind == Kind::Swish {
                            e.add_typed("bankName", PropType::String, "Swish", ctx);
                        }
                        if schema == "CryptoWallet" {
                            let symbol = match m.kind {
                                Kind::Btc => "BTC",
                                Kind::Eth => "ETH",
                                _ => "XMR",
                            };
                            e.add_typed("currencySymbol", PropType::String, symbol, ctx);
                        }
                        if !new_entities.iter().any(|f| f.id == e.id) {
                            new_entities.push(e);
                        }
                        frag.add_typed("mentions", PropType::Entity, &id, ctx);
                    }
                }
                seen.push((m.kind, m.value));
            }
        }
    }
    record.fragments.extend(new_entities);
}
