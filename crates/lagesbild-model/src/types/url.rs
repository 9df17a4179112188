//! Web addresses: `http` and `https` URLs, with the scheme and host lower-cased and everything
//! else kept as written.

/// The normalised form of a URL, `None` when it is not an `http(s)` URL.
///
/// The URL must start with `http://` or `https://` (any case; nothing is added to a bare
/// `www.example.se`), have a host of letters (any script), digits, hyphens and dots, or an
/// IPv6 literal in brackets, an optional `user@` and `:port` (at most 65535), and contain no
/// spaces, `<`, `>` or `"`. The scheme and host are lower-cased; the path, query and fragment
/// are kept as written (they may be case-sensitive). Defanged forms (`hxxp://`, `example[.]se`)
/// are not refanged.
pub(crate) fn normalise(s: &str) -> Option<String> {
    if s.chars()
        .any(|c| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
    {
        return None;
    }
    let (scheme, rest) = s.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let (userinfo, host_port) = match authority.rfind('@') {
        Some(i) => (&authority[..=i], &authority[i + 1..]),
        None => ("", authority),
    };
    let (host, port) = split_port(host_port)?;
    // Checked after lower-casing, which can change a host's characters (`İ` → `i̇`).
    let host = host.to_lowercase();
    if !valid_host(&host) {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    out.push_str(&scheme.to_ascii_lowercase());
    out.push_str("://");
    out.push_str(userinfo);
    out.push_str(&host);
    out.push_str(port);
    out.push_str(tail);
    Some(out)
}

/// Splits `host:port` into the host and the `:port` suffix (empty when there is none).
fn split_port(host_port: &str) -> Option<(&str, &str)> {
    let colon = if host_port.starts_with('[') {
        let close = host_port.find(']')?;
        match &host_port[close + 1..] {
            "" => return Some((host_port, "")),
            p if p.starts_with(':') => close + 1,
            _ => return None,
        }
    } else {
        match host_port.rfind(':') {
            Some(i) => i,
            None => return Some((host_port, "")),
        }
    };
    let port = &host_port[colon + 1..];
    if port.is_empty()
        || port.len() > 5
        || !port.bytes().all(|b| b.is_ascii_digit())
        || port.parse::<u32>().ok()? > 65535
    {
        return None;
    }
    Some((&host_port[..colon], &host_port[colon..]))
}

fn valid_host(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return !inner.is_empty()
            && inner
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
    }
    // One trailing dot (the DNS root) is allowed.
    let host = host.strip_suffix('.').unwrap_or(host);
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(input: &str, expected: Option<&str>) {
        assert_eq!(normalise(input).as_deref(), expected, "{input:?}");
    }

    #[test]
    fn urls() {
        check("https://example.se", Some("https://example.se"));
        check(
            "HTTPS://Example.SE/Path?Q=A#Frag",
            Some("https://example.se/Path?Q=A#Frag"),
        );
        check(
            "http://user:pw@Example.se:8080/x",
            Some("http://user:pw@example.se:8080/x"),
        );
        check("http://[2001:DB8::1]:80/", Some("http://[2001:db8::1]:80/"));
        check("http://[::1]", Some("http://[::1]"));
        check(
            "https://exempel.se/sök?q=å",
            Some("https://exempel.se/sök?q=å"),
        );
        check("https://BÜCHER.de", Some("https://bücher.de"));
        check("http://192.168.0.1/admin", Some("http://192.168.0.1/admin"));
        check("https://example.se./", Some("https://example.se./"));
        check(
            "https://my_host.example.se",
            Some("https://my_host.example.se"),
        );
        check(
            "http://abcdefghijklmnopqrstuvwxyz234567.onion/",
            Some("http://abcdefghijklmnopqrstuvwxyz234567.onion/"),
        );
    }

    #[test]
    fn not_urls() {
        for s in [
            "www.example.se",
            "example.se",
            "ftp://example.se",
            "mailto:a@b.se",
            "javascript:alert(1)",
            "https://",
            "https:///path",
            "https://exa mple.se",
            "https://example.se/a b",
            "https://example..se",
            "https://-example.se",
            "https://example.se:",
            "https://example.se:99999",
            "https://example.se:8a",
            "https://[::1",
            "https://[::1]x",
            "https://<script>",
            "hxxps://example[.]se",
            "https://example[.]se",
            "http//example.se",
            "https:example.se",
        ] {
            check(s, None);
        }
    }

    proptest! {
        #[test]
        fn idempotent(host in "[a-zA-Z0-9-]{1,10}(\\.[a-zA-Z]{2,4}){1,2}", path in "(/[a-zA-Z0-9._~%!$&'()*+,;=:@-]{0,8}){0,3}") {
            let raw = format!("HTTP://{host}{path}");
            if let Some(once) = normalise(&raw) {
                prop_assert_eq!(normalise(&once), Some(once.clone()));
            }
        }
    }
}
