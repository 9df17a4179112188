//! E-mail addresses, normalised to lower case (`Anna.Ek@Example.SE` → `anna.ek@example.se`).

/// The normalised form of an e-mail address, `None` when it is not one.
///
/// A `mailto:` prefix (and any `?subject=…` after the address) and enclosing `<…>` are
/// stripped. The address must have exactly one `@`, a local part of at most 64 characters
/// without spaces, quotes or the specials `()<>[]\,;:`, not starting or ending with a dot and
/// without `..`, and a domain of at least two dot-separated labels of letters (any script:
/// internationalised domains are kept as written, lower-cased), digits and inner hyphens, with
/// a top-level label that is not all digits. Quoted local parts and IP-literal domains, legal
/// but unheard of in practice, are not accepted.
pub(crate) fn normalise(s: &str) -> Option<String> {
    let mut s = s.trim();
    if s.len() > 320 {
        return None;
    }
    if s.len() >= 7 && s.as_bytes()[..7].eq_ignore_ascii_case(b"mailto:") {
        s = &s[7..];
        s = s.split_once('?').map_or(s, |(address, _)| address);
    }
    if let Some(inner) = s.strip_prefix('<').and_then(|r| r.strip_suffix('>')) {
        s = inner;
    }
    // Checked after lower-casing, which can add combining marks (`İ` → `i̇`).
    let lower = s.to_lowercase();
    let (local, domain) = lower.split_once('@')?;
    (valid_local(local) && valid_domain(domain)).then_some(lower)
}

fn valid_local(local: &str) -> bool {
    !local.is_empty()
        && local.chars().count() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| {
            !c.is_whitespace()
                && !c.is_control()
                && !matches!(
                    c,
                    '(' | ')' | '<' | '>' | '[' | ']' | '\\' | ',' | ';' | ':' | '"' | '@'
                )
        })
}

fn valid_domain(domain: &str) -> bool {
    if domain.is_empty() || domain.len() > 253 {
        return false;
    }
    let mut labels = 0;
    let mut last = "";
    for label in domain.split('.') {
        let ok = !label.is_empty()
            && label.chars().count() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-');
        if !ok {
            return false;
        }
        labels += 1;
        last = label;
    }
    labels >= 2 && !last.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(input: &str, expected: Option<&str>) {
        assert_eq!(normalise(input).as_deref(), expected, "{input:?}");
    }

    #[test]
    fn addresses() {
        check("anna@example.se", Some("anna@example.se"));
        check(" Anna.Ek@Example.SE ", Some("anna.ek@example.se"));
        check("MAILTO:anna@example.se", Some("anna@example.se"));
        check(
            "mailto:anna@example.se?subject=hej",
            Some("anna@example.se"),
        );
        check("<anna@example.se>", Some("anna@example.se"));
        check(
            "first.last+tag@sub.example.co.uk",
            Some("first.last+tag@sub.example.co.uk"),
        );
        check("x_y-z@a-b.se", Some("x_y-z@a-b.se"));
        check("Åsa@Exempel.Se", Some("åsa@exempel.se"));
        check("user@bücher.de", Some("user@bücher.de"));
        check("user@xn--bcher-kva.de", Some("user@xn--bcher-kva.de"));
    }

    #[test]
    fn not_addresses() {
        for s in [
            "",
            "anna",
            "anna@",
            "@example.se",
            "anna@example",
            "anna@@example.se",
            "anna@ex@ample.se",
            "anna ek@example.se",
            "anna@exa mple.se",
            "anna@.example.se",
            "anna@example.se.",
            "anna@example..se",
            "anna@-example.se",
            "anna@example-.se",
            ".anna@example.se",
            "anna.@example.se",
            "an..na@example.se",
            "\"anna\"@example.se",
            "anna@[127.0.0.1]",
            "anna@1.2.3.4",
            "anna@exa_mple.se",
            "anna,ek@example.se",
            "mailto:",
            "<anna@example.se",
        ] {
            check(s, None);
        }
        check(&format!("{}@example.se", "a".repeat(65)), None);
        check(&format!("a@{}.se", "b".repeat(64)), None);
    }

    proptest! {
        #[test]
        fn idempotent(local in "[a-zA-Z0-9._+-]{1,20}", domain in "[a-zA-Z0-9-]{1,10}\\.[a-zA-Z]{2,4}") {
            let raw = format!("{local}@{domain}");
            if let Some(once) = normalise(&raw) {
                prop_assert_eq!(normalise(&once), Some(once.clone()));
                prop_assert_eq!(once, raw.to_lowercase());
            }
        }
    }
}
