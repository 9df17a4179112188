//! Value types and their normalisers: one entry point, [`normalise`], turns the raw text of a
//! property value into its canonical form for the property's [`PropType`], or keeps it flagged
//! when it cannot.
//!
//! Every type first goes through the same cleaning (control and invisible format characters
//! stripped, whitespace collapsed, trimmed, Unicode NFC); each type's module then does the rest.
//! A value that cannot be normalised is never dropped: it comes back as the cleaned raw text with
//! `valid == false`, so that an analyst still sees what the source said.
//!
//! Normalisation is idempotent: normalising a valid normalised value yields the same value, valid.

mod clean;
pub mod country;
pub mod crypto;
pub mod date;
pub mod email;
pub mod geo;
pub mod iban;
pub mod money;
pub mod name;
pub mod number;
pub mod phone;
pub mod url;

use serde::{Deserialize, Serialize};

pub use country::country_code;
pub use crypto::{CryptoKind, classify_crypto};
pub use date::{PartialDate, parse_date};
pub use geo::parse_geo;
pub use iban::iban_valid;
pub use money::parse_money;
pub use name::name_key;

/// The type of a property's values (FollowTheMoney type names where FtM has them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PropType {
    Name,
    String,
    Text,
    Date,
    Phone,
    Email,
    Iban,
    Identifier,
    Country,
    Number,
    Url,
    Entity,
    Address,
    Geo,
    Money,
    Crypto,
    Gender,
    Language,
    Html,
    Json,
}

impl PropType {
    /// Every type, in declaration order.
    pub const ALL: [PropType; 20] = [
        PropType::Name,
        PropType::String,
        PropType::Text,
        PropType::Date,
        PropType::Phone,
        PropType::Email,
        PropType::Iban,
        PropType::Identifier,
        PropType::Country,
        PropType::Number,
        PropType::Url,
        PropType::Entity,
        PropType::Address,
        PropType::Geo,
        PropType::Money,
        PropType::Crypto,
        PropType::Gender,
        PropType::Language,
        PropType::Html,
        PropType::Json,
    ];

    /// The type named `s` (as in a schema file: `"name"`, `"date"`, …; ASCII case-insensitive).
    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s))
    }

    /// The type's name, lower case, as [`PropType::from_name`] reads it and serde writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            PropType::Name => "name",
            PropType::String => "string",
            PropType::Text => "text",
            PropType::Date => "date",
            PropType::Phone => "phone",
            PropType::Email => "email",
            PropType::Iban => "iban",
            PropType::Identifier => "identifier",
            PropType::Country => "country",
            PropType::Number => "number",
            PropType::Url => "url",
            PropType::Entity => "entity",
            PropType::Address => "address",
            PropType::Geo => "geo",
            PropType::Money => "money",
            PropType::Crypto => "crypto",
            PropType::Gender => "gender",
            PropType::Language => "language",
            PropType::Html => "html",
            PropType::Json => "json",
        }
    }

    /// Whether values of this type go into the full-text index.
    pub fn is_text_searchable(self) -> bool {
        matches!(
            self,
            PropType::Name
                | PropType::String
                | PropType::Text
                | PropType::Address
                | PropType::Email
                | PropType::Phone
                | PropType::Iban
                | PropType::Identifier
                | PropType::Crypto
                | PropType::Url
        )
    }
}

impl std::fmt::Display for PropType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a normaliser may know about where a value comes from.
#[derive(Debug, Clone)]
pub struct Context {
    /// The region national phone numbers belong to: ISO 3166-1 alpha-2, upper case (`"SE"`).
    /// When empty, the first of `country_hints` is used instead.
    pub default_region: &'static str,
    /// Countries of the entity the value belongs to, lower-case alpha-2 codes (`"se"`).
    pub country_hints: Vec<String>,
}

impl Default for Context {
    /// Sweden, no hints.
    fn default() -> Self {
        Context {
            default_region: "SE",
            country_hints: Vec::new(),
        }
    }
}

impl Context {
    /// The region to read national phone numbers in: `default_region`, or the first country
    /// hint when that is empty.
    pub fn phone_region(&self) -> &str {
        if self.default_region.is_empty() {
            self.country_hints.first().map_or("", String::as_str)
        } else {
            self.default_region
        }
    }
}

/// Result of normalising one raw value. `valid == false` means the raw text could not be
/// normalised; then `value` is the raw text with control characters stripped and whitespace
/// collapsed and trimmed (kept, flagged, never dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalised {
    pub value: String,
    pub valid: bool,
}

impl Normalised {
    fn valid(value: String) -> Self {
        Normalised { value, valid: true }
    }

    fn flagged(value: String) -> Self {
        Normalised {
            value,
            valid: false,
        }
    }
}

/// Normalises one raw value of type `t`.
///
/// Returns `None` only when nothing is left after stripping control characters and whitespace;
/// otherwise the canonical value (`valid == true`) or the cleaned raw text, flagged
/// (`valid == false`). Never panics, whatever the input.
pub fn normalise(t: PropType, raw: &str, ctx: &Context) -> Option<Normalised> {
    let mode = match t {
        PropType::Text | PropType::Html => clean::Mode::Multiline,
        PropType::Json => clean::Mode::Json,
        _ => clean::Mode::Line,
    };
    let cleaned = clean::clean(raw, mode)?;
    let checked = match t {
        // Display and free-text types: the cleaned text is the value.
        PropType::Name
        | PropType::String
        | PropType::Text
        | PropType::Html
        | PropType::Json
        | PropType::Gender
        | PropType::Language
        | PropType::Identifier
        | PropType::Address
        | PropType::Entity => return Some(Normalised::valid(cleaned)),
        PropType::Date => date::normalise(&cleaned),
        PropType::Phone => phone::normalise(&cleaned, ctx.phone_region()),
        PropType::Email => email::normalise(&cleaned),
        PropType::Iban => iban::normalise(&cleaned),
        PropType::Crypto => crypto::normalise(&cleaned),
        PropType::Country => country::normalise(&cleaned),
        PropType::Number => number::normalise(&cleaned),
        PropType::Url => url::normalise(&cleaned),
        PropType::Geo => geo::normalise(&cleaned),
        PropType::Money => money::normalise(&cleaned),
    };
    Some(match checked {
        Some(value) => Normalised::valid(value),
        None => Normalised::flagged(cleaned),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_round_trip() {
        for t in PropType::ALL {
            assert_eq!(PropType::from_name(t.as_str()), Some(t));
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.as_str()));
            assert_eq!(serde_json::from_str::<PropType>(&json).unwrap(), t);
        }
        assert_eq!(PropType::from_name("Phone"), Some(PropType::Phone));
        assert_eq!(PropType::from_name("telephone"), None);
        assert_eq!(PropType::from_name(""), None);
    }

    #[test]
    fn text_searchable_types() {
        let searchable: Vec<_> = PropType::ALL
            .into_iter()
            .filter(|t| t.is_text_searchable())
            .map(PropType::as_str)
            .collect();
        assert_eq!(
            searchable,
            [
                "name",
                "string",
                "text",
                "phone",
                "email",
                "iban",
                "identifier",
                "url",
                "address",
                "crypto"
            ]
        );
    }

    #[test]
    fn empty_is_none_for_every_type() {
        let ctx = Context::default();
        for t in PropType::ALL {
            for raw in [
                "",
                "   ",
                "\t\n\r",
                "\u{0}\u{1b}\u{7f}",
                "\u{200b}\u{feff}",
                " \u{a0}\u{2003} ",
            ] {
                assert_eq!(normalise(t, raw, &ctx), None, "{t} {raw:?}");
            }
        }
    }

    #[test]
    fn invalid_values_are_kept_cleaned_and_flagged() {
        let ctx = Context::default();
        let cases = [
            (PropType::Date, " 2023-02-30 ", "2023-02-30"),
            (PropType::Phone, "12345", "12345"),
            (PropType::Email, "not  an\temail", "not an email"),
            (
                PropType::Iban,
                "SE45 5000 0000 0583 9825 7467",
                "SE45 5000 0000 0583 9825 7467",
            ),
            (
                PropType::Crypto,
                "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3",
                "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3",
            ),
            (PropType::Country, "Atlantis", "Atlantis"),
            (PropType::Number, "12 apples", "12 apples"),
            (PropType::Url, "www.example.se", "www.example.se"),
            (PropType::Geo, "91,10", "91,10"),
            (PropType::Money, "1200", "1200"),
        ];
        for (t, raw, kept) in cases {
            assert_eq!(
                normalise(t, raw, &ctx),
                Some(Normalised {
                    value: kept.to_owned(),
                    valid: false
                }),
                "{t} {raw:?}"
            );
        }
    }

    #[test]
    fn plain_types_are_cleaned_and_valid() {
        let ctx = Context::default();
        let cases = [
            (PropType::Name, "  Åsa\u{a0}\u{a0}Öberg\u{0} ", "Åsa Öberg"),
            (PropType::Name, "A\u{30a}sa", "Åsa"),
            (PropType::String, "a \n b", "a b"),
            (
                PropType::Text,
                "rad 1  \r\nrad\t2\u{7}\n\n",
                "rad 1\nrad\t2",
            ),
            (PropType::Html, "<p>a</p>\n<p>b</p>", "<p>a</p>\n<p>b</p>"),
            (
                PropType::Json,
                "{ \"a\" :\n 1,  \"b\": \"x  y\" }",
                "{ \"a\" : 1, \"b\": \"x  y\" }",
            ),
            (PropType::Identifier, " 19870514-1234 ", "19870514-1234"),
            (
                PropType::Address,
                "Storgatan 1,\n111 22  Stockholm",
                "Storgatan 1, 111 22 Stockholm",
            ),
            (PropType::Entity, " ab12 ", "ab12"),
            (PropType::Gender, "female", "female"),
            (PropType::Language, "swe", "swe"),
        ];
        for (t, raw, want) in cases {
            assert_eq!(
                normalise(t, raw, &ctx),
                Some(Normalised {
                    value: want.to_owned(),
                    valid: true
                }),
                "{t} {raw:?}"
            );
        }
    }

    #[test]
    fn valid_values_are_fixed_points() {
        let ctx = Context::default();
        let cases = [
            (PropType::Date, "14 maj 1987", "1987-05-14"),
            (
                PropType::Date,
                "1987-05-14T10:20:30+02:00",
                "1987-05-14T08:20:30",
            ),
            (PropType::Phone, "+46 (0)70-123 45 67", "+46701234567"),
            (PropType::Email, "MAILTO:Anna@Example.SE", "anna@example.se"),
            (
                PropType::Iban,
                "se45 5000 0000 0583 9825 7466",
                "SE4550000000058398257466",
            ),
            (
                PropType::Crypto,
                "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
            ),
            (
                PropType::Crypto,
                "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
                "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
            ),
            (
                PropType::Crypto,
                "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
                "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
            ),
            (PropType::Country, "Nederländerna", "nl"),
            (PropType::Number, "1 200,50", "1200.5"),
            (
                PropType::Url,
                "HTTPS://Example.SE/A",
                "https://example.se/A",
            ),
            (PropType::Geo, "59.3293N 18.0686E", "59.329300,18.068600"),
            (PropType::Money, "1.200,50 kr", "1200.50 SEK"),
            (PropType::Money, "0,05 btc", "0.05 BTC"),
        ];
        for (t, raw, want) in cases {
            let first = normalise(t, raw, &ctx).unwrap();
            assert_eq!(
                (first.value.as_str(), first.valid),
                (want, true),
                "{t} {raw:?}"
            );
            assert_eq!(normalise(t, want, &ctx), Some(first), "{t} {want:?}");
        }
    }

    #[test]
    fn phone_region_falls_back_to_hint() {
        let ctx = Context {
            default_region: "",
            country_hints: vec!["no".to_owned()],
        };
        assert_eq!(
            normalise(PropType::Phone, "22 33 44 55", &ctx)
                .unwrap()
                .value,
            "+4722334455"
        );
        assert_eq!(Context::default().phone_region(), "SE");
    }

    /// Raw text that looks a bit like every type's input, and a lot like nothing.
    fn messy() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[0-9 +().,:/-]{0,30}",
            "[0-9A-Za-z€$£ .,:-]{0,30}",
            "[0-9a-zA-Zåäö@ .\u{0300}\u{200b}\u{0}-]{0,30}",
        ]
    }

    proptest! {
        /// Normalising twice changes nothing, for every type, valid or flagged.
        #[test]
        fn idempotent_for_every_type(raw in messy()) {
            let ctx = Context::default();
            for t in PropType::ALL {
                if let Some(first) = normalise(t, &raw, &ctx) {
                    let second = normalise(t, &first.value, &ctx);
                    prop_assert_eq!(second.as_ref(), Some(&first), "{} {:?}", t, raw);
                }
            }
        }

        /// Only nothing-but-blank input is dropped.
        #[test]
        fn none_only_when_blank(raw in any::<String>()) {
            let ctx = Context::default();
            for t in PropType::ALL {
                let n = normalise(t, &raw, &ctx);
                if n.is_none() {
                    prop_assert!(clean::clean(&raw, clean::Mode::Multiline).is_none());
                } else {
                    prop_assert!(!n.unwrap().value.is_empty());
                }
            }
        }
    }

    #[test]
    fn huge_and_odd_inputs_do_not_panic() {
        let ctx = Context::default();
        let huge_digits = "9".repeat(200_000);
        let huge_b58 = "1".repeat(100_000);
        let huge_mixed = "1.2,3 ".repeat(50_000);
        let emoji = "👩‍👩‍👧‍👦🇸🇪 ❤️ \u{202e}abc\u{0301}\u{0301}";
        for t in PropType::ALL {
            // The last two once found slicing bugs (found by the proptests above).
            for raw in [
                huge_digits.as_str(),
                huge_b58.as_str(),
                huge_mixed.as_str(),
                emoji,
                "®",
                "0€A",
            ] {
                let n = normalise(t, raw, &ctx).unwrap();
                if !n.valid {
                    assert!(!n.value.is_empty());
                }
            }
        }
    }
}
