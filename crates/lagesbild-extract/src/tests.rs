//! Hand-written cases from the contract (docs/extraction.md): what must be found, and the
//! ordinary text that must not be.

use super::*;

fn ex() -> Extractor {
    Extractor::new(Options {
        default_region: "SE",
        reference: Ymd {
            year: 2026,
            month: 6,
            day: 1,
        },
    })
}

fn found(text: &str) -> Vec<(Kind, String)> {
    let ms = ex().extract(text);
    for m in &ms {
        assert!(!m.raw(text).is_empty(), "{m:?} has no raw text in {text:?}");
    }
    ms.into_iter().map(|m| (m.kind, m.value)).collect()
}

fn has(text: &str, kind: Kind, value: &str) {
    let f = found(text);
    assert!(
        f.contains(&(kind, value.to_owned())),
        "{kind} {value} not found in {text:?}: {f:?}"
    );
}

fn none_of(text: &str, kind: Kind) {
    let f = found(text);
    assert!(
        !f.iter().any(|(k, _)| *k == kind),
        "{kind} found in {text:?}: {f:?}"
    );
}

#[test]
fn phones_in_every_style() {
    for (raw, e164) in [
        ("070-123 45 67", "+46701234567"),
        ("0701234567", "+46701234567"),
        ("070 123 45 67", "+46701234567"),
        ("+46 70 123 45 67", "+46701234567"),
        ("+46 (0)70 123 45 67", "+46701234567"),
        ("+46701234567", "+46701234567"),
        ("0046 8 123 456 78", "+46812345678"),
        ("08-123 456 78", "+46812345678"),
        ("040-12 34 56", "+4640123456"),
        ("031-123 45 67", "+46311234567"),
        ("+358 40 1234567", "+358401234567"),
        ("+45 20 12 34 56", "+4520123456"),
    ] {
        has(&format!("ring mig på {raw} ikväll"), Kind::Phone, e164);
    }
}

#[test]
fn numbers_that_are_not_phones() {
    for text in [
        "vi ses 2026-03-14 kl 21.30",
        "ordernr 0701234567 skickad",
        "dnr 5000-K123456-26",
        "det kostade 1 234 567 kr",
        "postnummer 211 45 Malmö",
        "leverans 14/3",
    ] {
        none_of(text, Kind::Phone);
    }
    has("det kostade 1 234 567 kr", Kind::Price, "1234567 SEK");
}

#[test]
fn swish_business_and_private() {
    has("Swish 123 456 78 90", Kind::Swish, "1234567890");
    let f = found("swisha 070 123 45 67 innan");
    assert!(f.contains(&(Kind::Swish, "0701234567".into())), "{f:?}");
    assert!(f.contains(&(Kind::Phone, "+46701234567".into())), "{f:?}");
    // a mobile without the word Swish is only a phone
    none_of("ring 070 123 45 67", Kind::Swish);
}

#[test]
fn iban_and_accounts() {
    has(
        "betala till se45 5000 0000 0583 9825 7466 tack",
        Kind::Iban,
        "SE4550000000058398257466",
    );
    // one digit off: the check digits fail
    none_of("IBAN SE45 5000 0000 0583 9825 7467", Kind::Iban);
    has(
        "clearing 8327-9, konto 123 456 789-0",
        Kind::Account,
        "83279-1234567890",
    );
    has("kontonr 6789-123 456 789", Kind::Account, "6789-123456789");
}

#[test]
fn crypto_addresses() {
    has(
        "btc: 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
        Kind::Btc,
        "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
    );
    has(
        "send to BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4 now",
        Kind::Btc,
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
    );
    has(
        "eth 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        Kind::Eth,
        "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
    );
    // EIP-55 case broken
    none_of("eth 0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", Kind::Eth);
    none_of("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3", Kind::Btc);
}

#[test]
fn emails_and_handles() {
    let f = found("maila Kalle.Pettersson@Example.se eller @Snabb_Leverans på tele");
    assert!(f.contains(&(Kind::Email, "kalle.pettersson@example.se".into())));
    assert!(f.contains(&(Kind::Handle, "@snabb_leverans".into())));
    assert!(!f.contains(&(Kind::Handle, "@example".into())));
    has("kolla t.me/snabbleverans", Kind::Handle, "@snabbleverans");
    has("snap: gronagubben", Kind::Handle, "@gronagubben");
    has("wickr me: kungen_420", Kind::Handle, "@kungen_420");
    none_of("skriv på telegram idag", Kind::Handle);
}

#[test]
fn personnummer_with_century() {
    has("pnr 811218-9876", Kind::Personnummer, "19811218-9876");
    has("19811218 9876", Kind::Personnummer, "19811218-9876");
    has("född 811218+9876", Kind::Personnummer, "18811218-9876");
    none_of("811218-9875", Kind::Personnummer);
    // ten digits without a cue are not read as a personnummer
    none_of("8112189876", Kind::Personnummer);
    has("pnr 8112189876", Kind::Personnummer, "19811218-9876");
}

#[test]
fn plates() {
    has("bilen ABC 123 stod där", Kind::Plate, "ABC123");
    has("en svart Volvo med reg abc12d", Kind::Plate, "ABC12D");
    // a product or discount code without a vehicle is not a plate
    none_of("artikel XYZ123 i lager", Kind::Plate);
    none_of("rabattkod BEN 500 gäller till fredag", Kind::Plate);
    // I, Q and V are not used
    none_of("bilen AIC 123", Kind::Plate);
}

#[test]
fn substances_from_words_slang_brands_and_emoji() {
    for (text, s) in [
        ("har du hasch?", "cannabis"),
        ("🍁 10g/1500", "cannabis"),
        ("kokain 1g 800kr", "cocaine"),
        ("❄️ 1g/700 leverans", "cocaine"),
        ("tjack finns", "amphetamine"),
        ("xanax 2mg 20 st", "benzodiazepine"),
        ("subutex till salu", "buprenorphine"),
        ("lyrica 300mg", "pregabalin"),
        ("🍄 svamp 5g", "psilocybin"),
    ] {
        has(text, Kind::Substance, s);
    }
}

#[test]
fn ordinary_words_are_not_drugs() {
    for text in [
        "klippte gräset i trädgården igår",
        "han körde i 140 km/h på motorvägen, speed kamera",
        "min häst står i stallet",
        "koka pasta i tio minuter",
        "det kom mycket snö i natt enligt smhi",
        "en vitt tröja",
    ] {
        none_of(text, Kind::Substance);
    }
    // with drug context the same words are drugs
    has("säljer speed 10g/1000", Kind::Substance, "amphetamine");
}

#[test]
fn quantities_and_prices() {
    has("5g", Kind::Quantity, "5 g");
    has("0,5 gram", Kind::Quantity, "0.5 g");
    has("ett kilo", Kind::Quantity, "1 kg");
    has("10 piller", Kind::Quantity, "10 st");
    has("1 hg", Kind::Quantity, "100 g");
    has("200kr", Kind::Price, "200 SEK");
    has("1000:-", Kind::Price, "1000 SEK");
    has("skicka 12k", Kind::Price, "12000 SEK");
    has("2 lax", Kind::Price, "2000 SEK");
    has("€50", Kind::Price, "50 EUR");
    has("0.01 btc", Kind::Price, "0.01 BTC");
    let ms = ex().extract("5g/1000");
    let price = ms.iter().find(|m| m.kind == Kind::Price).expect("a price");
    assert_eq!(price.value, "1000 SEK");
    assert_eq!(price.per.as_deref(), Some("5 g"));
    let ms = ex().extract("1g 200kr");
    let price = ms.iter().find(|m| m.kind == Kind::Price).expect("a price");
    assert_eq!(price.per.as_deref(), Some("1 g"));
}

#[test]
fn places() {
    has("leverans i hela malmö", Kind::Place, "Malmö");
    has("det langas på Rosengård", Kind::Place, "Rosengård");
    has("möts vid Kvarnby", Kind::Place, "Kvarnby");
    has("jag bor i Vara", Kind::Place, "Vara");
    none_of("det kan vara så", Kind::Place);
}

#[test]
fn offsets_are_byte_offsets_of_the_original() {
    let text = "Ölet 🍺 ÅÄÖ: ring 070-123 45 67 🍁";
    for m in ex().extract(text) {
        assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
        if m.kind == Kind::Phone {
            assert_eq!(m.raw(text), "070-123 45 67");
        }
    }
}

#[test]
fn hostile_text_does_not_panic() {
    let long = "0".repeat(100_000);
    let _ = ex().extract(&long);
    let _ = ex().extract(&"@".repeat(10_000));
    let _ = ex().extract(&"+4".repeat(10_000));
    let _ = ex().extract("\u{FE0F}\u{FE0F}❄\u{FE0F}");
    let _ = ex().extract("€");
    let _ = ex().extract("5 \u{a0}");
    // found by fuzzing: an IBAN-shaped token longer than any IBAN once stopped the scan
    let _ = ex().extract(&format!("z\0{}/st{}\u{1}", "1".repeat(64), "1".repeat(45)));
}
