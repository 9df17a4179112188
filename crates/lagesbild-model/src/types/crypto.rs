//! Crypto-currency addresses: Bitcoin (base58check and bech32/bech32m segwit), Ethereum (with
//! its EIP-55 mixed-case checksum) and Monero, recognised, verified and normalised.

use sha3::{Digest, Keccak256};

/// The currency an address belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CryptoKind {
    Btc,
    Eth,
    Xmr,
}

/// Recognises and verifies a mainnet address, returning its currency and normalised form.
///
/// - **Bitcoin**: base58check P2PKH (`1…`) and P2SH (`3…`) addresses, checked with the
///   double-SHA-256 checksum and the version byte (0x00 or 0x05), kept as written (base58 is
///   case-sensitive); segwit addresses (`bc1…`), checked per BIP-173 (version 0, bech32) and
///   BIP-350 (version 1 and up, bech32m), returned in lower case.
/// - **Ethereum**: `0x` and 40 hex digits, returned in lower case. All-lower or all-upper hex
///   carries no checksum; mixed case must match the EIP-55 checksum (Keccak-256 of the
///   lower-case hex), or the address is rejected: a wrong case there means a typo.
/// - **Monero**: standard addresses and subaddresses (95 characters, starting with `4` or `8`)
///   and integrated addresses (106 characters, with a payment id), decoded from Monero's block
///   base58 and checked: mainnet network byte (18, 42; 19 for integrated) and the Keccak-256
///   checksum.
///
/// A payment URI prefix (`bitcoin:`, `ethereum:`, `monero:`) and what follows the address in
/// such a URI (`?amount=…`, `@1` chain id) are stripped. Testnet addresses are not accepted.
pub fn classify_crypto(s: &str) -> Option<(CryptoKind, String)> {
    let s = strip_uri(s.trim());
    if s.len() > 128 {
        return None;
    }
    let b = s.as_bytes();
    if b.len() > 3 && b[..3].eq_ignore_ascii_case(b"bc1") {
        return segwit(s).map(|a| (CryptoKind::Btc, a));
    }
    if b.len() > 2 && (b.starts_with(b"0x") || b.starts_with(b"0X")) {
        return eth(&s[2..]).map(|a| (CryptoKind::Eth, a));
    }
    match b.first()? {
        b'1' | b'3' => base58check(s).map(|a| (CryptoKind::Btc, a)),
        b'4' | b'8' => monero(s).map(|a| (CryptoKind::Xmr, a)),
        _ => None,
    }
}

/// The normalised form of a crypto address value, `None` when it is not one.
pub(crate) fn normalise(s: &str) -> Option<String> {
    classify_crypto(s).map(|(_, address)| address)
}

fn strip_uri(s: &str) -> &str {
    for scheme in ["bitcoin:", "ethereum:", "monero:"] {
        if s.len() > scheme.len()
            && s.as_bytes()[..scheme.len()].eq_ignore_ascii_case(scheme.as_bytes())
        {
            let rest = &s[scheme.len()..];
            return rest.split(['?', '@', '/']).next().unwrap_or(rest);
        }
    }
    s
}

fn base58check(s: &str) -> Option<String> {
    if !(26..=35).contains(&s.len()) {
        return None;
    }
    let payload = bs58::decode(s).with_check(None).into_vec().ok()?;
    (payload.len() == 21 && matches!(payload[0], 0x00 | 0x05)).then(|| s.to_owned())
}

fn segwit(s: &str) -> Option<String> {
    if s.len() > 90 {
        return None;
    }
    let (hrp, _version, _program) = bech32::segwit::decode(s).ok()?;
    (hrp == bech32::hrp::BC).then(|| s.to_ascii_lowercase())
}

fn eth(hex: &str) -> Option<String> {
    if hex.len() != 40 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let lower = hex.to_ascii_lowercase();
    let has_upper = hex.bytes().any(|b| b.is_ascii_uppercase());
    let has_lower = hex.bytes().any(|b| b.is_ascii_lowercase());
    if has_upper && has_lower && !eip55_matches(hex, &lower) {
        return None;
    }
    Some(format!("0x{lower}"))
}

/// Whether the case of the letters in `hex` follows EIP-55: a letter is upper case exactly when
/// its nibble of Keccak-256(`lower`) is 8 or more.
fn eip55_matches(hex: &str, lower: &str) -> bool {
    let hash = Keccak256::digest(lower.as_bytes());
    hex.bytes().enumerate().all(|(i, c)| {
        if c.is_ascii_digit() {
            return true;
        }
        let byte = hash[i / 2];
        let nibble = if i % 2 == 0 { byte >> 4 } else { byte & 0x0f };
        c.is_ascii_uppercase() == (nibble >= 8)
    })
}

/// Bytes in a standard Monero address: network byte, public spend key, public view key,
/// checksum.
const XMR_BYTES: usize = 1 + 32 + 32 + 4;

fn monero(s: &str) -> Option<String> {
    // standard addresses and subaddresses: 69 bytes; integrated addresses (with an 8-byte
    // payment id): 77 bytes
    let (len, networks): (usize, &[u8]) = match s.len() {
        95 => (XMR_BYTES, &[18, 42]),
        106 => (XMR_BYTES + 8, &[19]),
        _ => return None,
    };
    let mut buf = [0u8; XMR_BYTES + 8];
    let bytes = &mut buf[..len];
    // Monero's base58 encodes 8-byte blocks as 11 characters each; the last block of 5 bytes
    // takes 7.
    for (block, chunk) in s.as_bytes().chunks(11).enumerate() {
        let size = if chunk.len() == 11 { 8 } else { 5 };
        if chunk.len() != 11 && chunk.len() != 7 {
            return None;
        }
        let mut value: u64 = 0;
        for &c in chunk {
            let digit = BASE58.iter().position(|&a| a == c)?;
            value = value.checked_mul(58)?.checked_add(digit as u64)?;
        }
        if size < 8 && value >> (8 * size) != 0 {
            return None;
        }
        let start = block * 8;
        bytes
            .get_mut(start..start + size)?
            .copy_from_slice(&value.to_be_bytes()[8 - size..]);
    }
    if !networks.contains(&bytes[0]) {
        return None;
    }
    let hash = Keccak256::digest(&bytes[..len - 4]);
    (hash[..4] == bytes[len - 4..]).then(|| s.to_owned())
}

const BASE58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(input: &str, expected: Option<(CryptoKind, &str)>) {
        assert_eq!(
            classify_crypto(input)
                .as_ref()
                .map(|(k, a)| (*k, a.as_str())),
            expected,
            "{input:?}"
        );
    }

    const P2PKH: &str = "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2";
    const P2SH: &str = "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy";
    const P2WPKH: &str = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";
    const P2TR: &str = "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0";
    const ETH_1: &str = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
    const ETH_2: &str = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359";
    /// The Monero project's general fund donation address.
    const XMR: &str = "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";

    #[test]
    fn bitcoin() {
        use CryptoKind::Btc;
        check(P2PKH, Some((Btc, P2PKH)));
        check(P2SH, Some((Btc, P2SH)));
        check(P2WPKH, Some((Btc, P2WPKH)));
        check(&P2WPKH.to_uppercase(), Some((Btc, P2WPKH)));
        check(P2TR, Some((Btc, P2TR)));
        check(&format!("bitcoin:{P2PKH}?amount=0.1"), Some((Btc, P2PKH)));
        check(&format!(" {P2SH} "), Some((Btc, P2SH)));
        // BIP-173 valid 32-byte version 0 program.
        check(
            "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3",
            Some((
                Btc,
                "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3",
            )),
        );
    }

    #[test]
    fn bitcoin_hard_negatives() {
        use CryptoKind::Btc;
        for s in [
            "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3", // last character changed
            "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNvN2", // case of one character changed
            "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz",
            "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN", // character dropped
            "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN20", // character added
            "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN0", // 0 is not base58
            "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
            "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kV8f3t4", // mixed case
            "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", // testnet
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj1",
            // BIP-350: version 1 with a bech32 (not bech32m) checksum.
            "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",
            // BIP-350: version 0 with a bech32m checksum.
            "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
            "bc1",
            "1",
            "3",
            "bitcoin:",
        ] {
            check(s, None);
        }
        // Valid base58check strings with another version byte or payload length.
        let mut tried = 0;
        for version in 0..=255u8 {
            for len in [19, 20, 21] {
                let mut payload = vec![version];
                payload.extend((0..len).map(|i| i as u8 * 7));
                let encoded = bs58::encode(&payload).with_check().into_string();
                let ok = len == 20 && matches!(version, 0 | 5);
                if encoded.starts_with(['1', '3']) && !ok {
                    check(&encoded, None);
                    tried += 1;
                }
                if ok {
                    check(&encoded, Some((Btc, &encoded)));
                }
            }
        }
        assert!(tried > 10);
    }

    #[test]
    fn ethereum() {
        use CryptoKind::Eth;
        check(
            ETH_1,
            Some((Eth, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")),
        );
        check(
            ETH_2,
            Some((Eth, "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359")),
        );
        check(
            &ETH_1.to_lowercase(),
            Some((Eth, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")),
        );
        check(
            "0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED",
            Some((Eth, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")),
        );
        check(
            &format!("ethereum:{ETH_1}@1"),
            Some((Eth, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")),
        );
        // EIP-55 test vectors.
        for a in [
            "0x52908400098527886E0F7030069857D2E4169EE7",
            "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
            "0xde709f2102306220921060314715629080e2fb77",
            "0x27b1fdb04752bbc536007a920d24acb045561c26",
            "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
            "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        ] {
            assert!(classify_crypto(a).is_some(), "{a}");
        }
    }

    #[test]
    fn ethereum_hard_negatives() {
        for s in [
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", // one letter's case flipped
            "0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5D359",
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe", // 39 digits
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed0", // 41 digits
            "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg", // not hex
            "5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",  // no 0x
            "0x",
        ] {
            check(s, None);
        }
    }

    /// Any case change of one letter in an EIP-55 address is caught.
    #[test]
    fn eip55_single_case_flip_is_rejected() {
        let mut flips = 0;
        for address in [ETH_1, ETH_2] {
            for i in 2..42 {
                let mut bytes = address.as_bytes().to_vec();
                if bytes[i].is_ascii_alphabetic() {
                    bytes[i] ^= 0x20;
                    check(std::str::from_utf8(&bytes).unwrap(), None);
                    flips += 1;
                }
            }
        }
        assert!(flips > 30);
    }

    #[test]
    fn monero() {
        check(XMR, Some((CryptoKind::Xmr, XMR)));
        check(
            &format!("monero:{XMR}?tx_amount=1"),
            Some((CryptoKind::Xmr, XMR)),
        );
        let mut changed = XMR.to_owned();
        changed.replace_range(40..41, "x");
        check(&changed, None);
        check(&XMR[..94], None);
        check(&format!("{XMR}A"), None);
        check(&XMR.replace('4', "0"), None);
        check(&"4".repeat(95), None);
        // an integrated address (with a payment id), 106 characters
        let integrated = "4LJD17i4sEThakTssP9VoEX3Aj3aiTjkhbiWn761jrfRbrwNpq5fNhuZhsFZ71AVcb9STsuuR2AMz1PkMixp553dU2cQNhup5hPU4PXU25";
        check(integrated, Some((CryptoKind::Xmr, integrated)));
        check(&integrated.replace("U25", "U26"), None);
        check(&"z".repeat(95), None);
    }

    #[test]
    fn not_addresses() {
        for s in [
            "",
            "hello",
            "12345",
            "0x123",
            "4",
            "8",
            "💰",
            &"1".repeat(10_000),
            &"bc1".repeat(1000),
        ] {
            check(s, None);
        }
    }

    proptest! {
        #[test]
        fn idempotent(s in "[13bc0x48][0-9a-zA-Z]{20,100}") {
            if let Some((kind, a)) = classify_crypto(&s) {
                prop_assert_eq!(classify_crypto(&a), Some((kind, a.clone())));
            }
        }

        /// One changed character in a Monero address breaks its checksum (or its encoding).
        #[test]
        fn monero_single_change_is_rejected(i in 1usize..95, c in prop::sample::select(BASE58.to_vec())) {
            prop_assume!(XMR.as_bytes()[i] != c);
            let mut bytes = XMR.as_bytes().to_vec();
            bytes[i] = c;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert_eq!(classify_crypto(&changed), None);
        }
    }
}
