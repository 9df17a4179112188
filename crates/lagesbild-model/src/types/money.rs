//! Amounts of money with their currency (`1 200 kr`, `1200:-`, `€50`, `0.05 BTC`), normalised
//! to `"<amount> <ISO 4217 code>"` (`1200.00 SEK`); the crypto currencies BTC, ETH and XMR and the
//! stablecoins USDT and USDC count as currencies too.

use super::clean;
use super::number::parse_decimal;

/// Most decimals an amount may have; more are not rounded away but make the value invalid.
const MAX_DECIMALS: usize = 8;

/// Reads an amount and its currency; returns the normalised amount and the currency code.
///
/// The currency may come before or after the amount, with or without a space: an ISO 4217 code
/// (`SEK`, `eur`), a symbol (`€` EUR, `$` USD, `£` GBP, `₿` BTC), a word (`kr`, `kronor`,
/// `euro`, `dollar`, `bitcoin`, …) or the Swedish `:-` after the amount (`1200:-`); `kr` and
/// `:-` read as SEK. The amount is a decimal as [`crate::types::number`] reads it (Swedish
/// decimal comma, space or dot thousands: `1.200,50 kr`); a trailing `,-` is allowed
/// (`1200,- kr`). Without a currency there is no money.
///
/// The amount comes back with at most eight decimals, trailing zeros dropped, but with at
/// least two for fiat currencies (`"1200.00"`, `"0.125"`); crypto currencies keep only the
/// decimals that are there (`"0.05"`, `"2"`).
pub fn parse_money(s: &str) -> Option<(String, String)> {
    let cleaned = clean::clean(s, clean::Mode::Line)?;
    let mut rest = cleaned.as_str();
    let mut negative = false;
    if let Some(r) = rest.strip_prefix(['-', '−']) {
        negative = true;
        rest = r.trim_start();
    }
    let mut currency: Option<&'static str> = None;
    if let Some(r) = rest.strip_suffix(":-") {
        currency = Some("SEK");
        rest = r.trim_end();
    }
    if let Some((code, r)) = leading_currency(rest) {
        merge(&mut currency, code)?;
        rest = r.trim_start();
    }
    if let Some((code, r)) = trailing_currency(rest) {
        merge(&mut currency, code)?;
        rest = r.trim_end();
    }
    if let Some(r) = rest
        .strip_suffix(",-")
        .or_else(|| rest.strip_suffix(".-"))
        .or_else(|| rest.strip_suffix(":-"))
    {
        rest = r.trim_end();
    }
    let currency = currency?;
    let mut amount = parse_decimal(rest)?;
    if negative {
        if amount.negative {
            return None;
        }
        amount.negative = true;
    }
    if amount.frac.len() > MAX_DECIMALS {
        return None;
    }
    let min_frac = if is_crypto(currency) { 0 } else { 2 };
    Some((amount.format(min_frac), currency.to_owned()))
}

/// The normalised form of a money value, `None` when it is not one.
pub(crate) fn normalise(s: &str) -> Option<String> {
    parse_money(s).map(|(amount, currency)| format!("{amount} {currency}"))
}

fn is_crypto(code: &str) -> bool {
    matches!(code, "BTC" | "ETH" | "XMR" | "USDT" | "USDC")
}

/// Sets the currency, or fails when another one was already found.
fn merge(currency: &mut Option<&'static str>, code: &'static str) -> Option<()> {
    match currency {
        Some(c) if *c != code => None,
        _ => {
            *currency = Some(code);
            Some(())
        }
    }
}

fn leading_currency(s: &str) -> Option<(&'static str, &str)> {
    let first = s.chars().next()?;
    if let Some(code) = symbol(first) {
        return Some((code, &s[first.len_utf8()..]));
    }
    let end = s
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(s.len());
    let word = &s[..end];
    // `kr.` before an amount keeps its dot.
    let (word, end) = if s[end..].starts_with('.') {
        (&s[..=end], end + 1)
    } else {
        (word, end)
    };
    currency_word(word)
        .or_else(|| currency_word(word.trim_end_matches('.')))
        .map(|code| (code, &s[end..]))
}

fn trailing_currency(s: &str) -> Option<(&'static str, &str)> {
    let last = s.chars().next_back()?;
    if let Some(code) = symbol(last) {
        return Some((code, &s[..s.len() - last.len_utf8()]));
    }
    let body = s.strip_suffix('.').unwrap_or(s);
    let start = body.len()
        - body
            .bytes()
            .rev()
            .take_while(u8::is_ascii_alphabetic)
            .count();
    let word = &body[start..];
    currency_word(word).map(|code| (code, &s[..start]))
}

fn symbol(c: char) -> Option<&'static str> {
    Some(match c {
        '€' => "EUR",
        '$' => "USD",
        '£' => "GBP",
        '₿' => "BTC",
        _ => return None,
    })
}

/// A currency word or code, ASCII case-insensitive.
fn currency_word(word: &str) -> Option<&'static str> {
    if word.is_empty() || word.len() > 9 {
        return None;
    }
    const WORDS: [(&str, &str); 22] = [
        ("kr", "SEK"),
        ("kr.", "SEK"),
        ("kronor", "SEK"),
        ("krona", "SEK"),
        ("skr", "SEK"),
        ("euro", "EUR"),
        ("euros", "EUR"),
        ("dollar", "USD"),
        ("dollars", "USD"),
        ("pound", "GBP"),
        ("pounds", "GBP"),
        ("bitcoin", "BTC"),
        ("bitcoins", "BTC"),
        ("xbt", "BTC"),
        ("btc", "BTC"),
        ("ether", "ETH"),
        ("eth", "ETH"),
        ("monero", "XMR"),
        ("xmr", "XMR"),
        ("usdt", "USDT"),
        ("tether", "USDT"),
        ("usdc", "USDC"),
    ];
    if let Some(&(_, code)) = WORDS.iter().find(|(w, _)| w.eq_ignore_ascii_case(word)) {
        return Some(code);
    }
    if word.len() != 3 {
        return None;
    }
    let upper = word.to_ascii_uppercase();
    ISO_4217
        .binary_search(&upper.as_str())
        .ok()
        .map(|i| ISO_4217[i])
}

/// ISO 4217 currency codes in use, plus a few recently replaced ones that old records still
/// carry (HRK, LTL, LVL, EEK). Sorted.
const ISO_4217: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD",
    "EEK", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF",
    "GTQ", "GYD", "HKD", "HNL", "HRK", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK",
    "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK",
    "LBP", "LKR", "LRD", "LSL", "LTL", "LVL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT",
    "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR",
    "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB",
    "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SLL", "SOS", "SRD", "SSP",
    "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS",
    "UAH", "UGX", "USD", "UYU", "UZS", "VED", "VES", "VND", "VUV", "WST", "XAF", "XCD", "XCG",
    "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG", "ZWL",
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(input: &str, expected: Option<&str>) {
        assert_eq!(normalise(input).as_deref(), expected, "{input:?}");
    }

    #[test]
    fn kronor() {
        check("1 200 kr", Some("1200.00 SEK"));
        check("1200:-", Some("1200.00 SEK"));
        check("1 200:-", Some("1200.00 SEK"));
        check("1200,- kr", Some("1200.00 SEK"));
        check("200 SEK", Some("200.00 SEK"));
        check("200SEK", Some("200.00 SEK"));
        check("SEK 200", Some("200.00 SEK"));
        check("1.200,50 kr", Some("1200.50 SEK"));
        check("1 200,5 kronor", Some("1200.50 SEK"));
        check("350 kr.", Some("350.00 SEK"));
        check("kr. 350", Some("350.00 SEK"));
        check("-50 kr", Some("-50.00 SEK"));
        check("0 kr", Some("0.00 SEK"));
    }

    #[test]
    fn other_currencies() {
        check("€50", Some("50.00 EUR"));
        check("50 €", Some("50.00 EUR"));
        check("50 EUR", Some("50.00 EUR"));
        check("50 euro", Some("50.00 EUR"));
        check("$20", Some("20.00 USD"));
        check("-$20", Some("-20.00 USD"));
        check("20 usd", Some("20.00 USD"));
        check("£7.5", Some("7.50 GBP"));
        check("1,200.125 USD", Some("1200.125 USD"));
        check("3000 NOK", Some("3000.00 NOK"));
        check("0.05 BTC", Some("0.05 BTC"));
        check("0,00012345 btc", Some("0.00012345 BTC"));
        check("2 BTC", Some("2 BTC"));
        check("₿0.1", Some("0.1 BTC"));
        check("1.5 ETH", Some("1.5 ETH"));
        check("12 XMR", Some("12 XMR"));
        check("$20 USD", Some("20.00 USD"));
    }

    #[test]
    fn not_money() {
        for s in [
            "1200",
            "kr",
            "SEK",
            "€",
            "200 ABC",
            "200 SEKK",
            "$20 EUR",
            "€ € 5",
            "50 kr 20",
            "1.23456789012 BTC",
            "abc kr",
            "12 34 kr",
            "--5 kr",
            "-−5 kr",
            "five kr",
            "5 k r",
            "50 % kr",
            ":-",
        ] {
            check(s, None);
        }
    }

    #[test]
    fn code_table_is_sorted_and_upper_case() {
        assert!(ISO_4217.windows(2).all(|w| w[0] < w[1]));
        assert!(
            ISO_4217
                .iter()
                .all(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()))
        );
    }

    proptest! {
        #[test]
        fn normalised_money_reads_back(units in 0u64..10_000_000, cents in 0u32..100, cur in "(SEK|EUR|USD|BTC|kr)") {
            let raw = format!("{units},{cents:02} {cur}");
            let once = normalise(&raw).unwrap();
            prop_assert_eq!(normalise(&once), Some(once.clone()));
        }
    }
}
