//! Countries, normalised to lower-case ISO 3166-1 alpha-2 codes as FollowTheMoney writes them
//! (`Sverige`, `SWE`, `Sweden`, `se` → `se`).

use std::collections::HashMap;
use std::sync::OnceLock;

use super::name::name_key;

/// The lower-case alpha-2 code of a country, `None` when `s` names none.
///
/// Reads alpha-2 and alpha-3 codes, the English short names of ISO 3166-1 with common
/// variants (`Czech Republic`, `Ivory Coast`, `Russia`, `UK`, `England`), and Swedish names
/// (`Nederländerna`, `Storbritannien`, `Förenta staterna`, …), all case- and
/// diacritics-insensitively, with punctuation ignored and a leading "the" dropped. Kosovo is
/// `xk`, the code the EU and FtM use. England, Scotland, Wales and Northern Ireland read as
/// `gb`.
pub fn country_code(s: &str) -> Option<&'static str> {
    let map = index();
    let s = s.trim();
    if s.len() <= 3 && s.bytes().all(|b| b.is_ascii_alphabetic()) {
        let mut buf = [0u8; 3];
        let code = &mut buf[..s.len()];
        code.copy_from_slice(s.as_bytes());
        code.make_ascii_lowercase();
        return std::str::from_utf8(code)
            .ok()
            .and_then(|k| map.get(k).copied());
    }
    if s.len() > 100 {
        return None;
    }
    map.get(fold(s).as_str()).copied()
}

/// The normalised form of a country value, `None` when it is not one.
pub(crate) fn normalise(s: &str) -> Option<String> {
    country_code(s).map(str::to_owned)
}

/// The lookup key of a country name: [`name_key`] with hyphens read as spaces and a leading
/// "the" dropped.
fn fold(s: &str) -> String {
    let key = name_key(s);
    let mut out = String::with_capacity(key.len());
    for word in key.split(['-', ' ']).filter(|w| !w.is_empty()) {
        if out.is_empty() && word == "the" {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Every code and name, folded, to its alpha-2 code.
fn index() -> &'static HashMap<&'static str, &'static str> {
    static INDEX: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut map = HashMap::with_capacity(COUNTRIES.len() * 5);
        for &(a2, a3, names) in COUNTRIES {
            map.insert(a2, a2);
            map.insert(a3, a2);
            for name in names.split('|') {
                map.insert(name, a2);
            }
        }
        map.insert("uk", "gb");
        map.insert("el", "gr");
        map
    })
}

/// ISO 3166-1 (and Kosovo): alpha-2, alpha-3, then folded names separated by `|`, English
/// first, then Swedish where it differs.
const COUNTRIES: &[(&str, &str, &str)] = &[
    ("af", "afg", "afghanistan"),
    ("ax", "ala", "aland islands|aland"),
    ("al", "alb", "albania|albanien"),
    ("dz", "dza", "algeria|algeriet"),
    ("as", "asm", "american samoa|amerikanska samoa"),
    ("ad", "and", "andorra"),
    ("ao", "ago", "angola"),
    ("ai", "aia", "anguilla"),
    ("aq", "ata", "antarctica|antarktis"),
    ("ag", "atg", "antigua and barbuda|antigua och barbuda"),
    ("ar", "arg", "argentina"),
    ("am", "arm", "armenia|armenien"),
    ("aw", "abw", "aruba"),
    ("au", "aus", "australia|australien"),
    ("at", "aut", "austria|osterrike"),
    ("az", "aze", "azerbaijan|azerbajdzjan"),
    ("bs", "bhs", "bahamas"),
    ("bh", "bhr", "bahrain"),
    ("bd", "bgd", "bangladesh"),
    ("bb", "brb", "barbados"),
    ("by", "blr", "belarus|vitryssland"),
    ("be", "bel", "belgium|belgien"),
    ("bz", "blz", "belize"),
    ("bj", "ben", "benin"),
    ("bm", "bmu", "bermuda"),
    ("bt", "btn", "bhutan"),
    ("bo", "bol", "bolivia|bolivia plurinational state of"),
    (
        "bq",
        "bes",
        "bonaire sint eustatius and saba|caribbean netherlands|karibiska nederlanderna",
    ),
    (
        "ba",
        "bih",
        "bosnia and herzegovina|bosnia herzegovina|bosnia|bosnien och hercegovina|bosnien hercegovina|bosnien",
    ),
    ("bw", "bwa", "botswana"),
    ("bv", "bvt", "bouvet island|bouveton"),
    ("br", "bra", "brazil|brasilien"),
    (
        "io",
        "iot",
        "british indian ocean territory|brittiska territoriet i indiska oceanen",
    ),
    ("bn", "brn", "brunei darussalam|brunei"),
    ("bg", "bgr", "bulgaria|bulgarien"),
    ("bf", "bfa", "burkina faso"),
    ("bi", "bdi", "burundi"),
    ("cv", "cpv", "cabo verde|cape verde|kap verde"),
    ("kh", "khm", "cambodia|kambodja"),
    ("cm", "cmr", "cameroon|kamerun"),
    ("ca", "can", "canada|kanada"),
    ("ky", "cym", "cayman islands|caymanoarna"),
    (
        "cf",
        "caf",
        "central african republic|centralafrikanska republiken",
    ),
    ("td", "tcd", "chad|tchad"),
    ("cl", "chl", "chile"),
    ("cn", "chn", "china|kina"),
    ("cx", "cxr", "christmas island|julon"),
    (
        "cc",
        "cck",
        "cocos keeling islands|cocos islands|kokosoarna",
    ),
    ("co", "col", "colombia"),
    ("km", "com", "comoros|komorerna"),
    (
        "cg",
        "cog",
        "congo|republic of the congo|congo brazzaville|kongo|kongo brazzaville|republiken kongo",
    ),
    (
        "cd",
        "cod",
        "congo democratic republic of the|democratic republic of the congo|dr congo|drc|congo kinshasa\
         |demokratiska republiken kongo|kongo kinshasa",
    ),
    ("ck", "cok", "cook islands|cookoarna"),
    ("cr", "cri", "costa rica"),
    ("ci", "civ", "cote divoire|ivory coast|elfenbenskusten"),
    ("hr", "hrv", "croatia|kroatien"),
    ("cu", "cub", "cuba|kuba"),
    ("cw", "cuw", "curacao"),
    ("cy", "cyp", "cyprus|cypern"),
    ("cz", "cze", "czechia|czech republic|tjeckien"),
    ("dk", "dnk", "denmark|danmark"),
    ("dj", "dji", "djibouti"),
    ("dm", "dma", "dominica"),
    ("do", "dom", "dominican republic|dominikanska republiken"),
    ("ec", "ecu", "ecuador"),
    ("eg", "egy", "egypt|egypten"),
    ("sv", "slv", "el salvador"),
    ("gq", "gnq", "equatorial guinea|ekvatorialguinea"),
    ("er", "eri", "eritrea"),
    ("ee", "est", "estonia|estland"),
    ("sz", "swz", "eswatini|swaziland"),
    ("et", "eth", "ethiopia|etiopien"),
    (
        "fk",
        "flk",
        "falkland islands|falkland islands malvinas|falklandsoarna",
    ),
    ("fo", "fro", "faroe islands|faroes|faroarna"),
    ("fj", "fji", "fiji"),
    ("fi", "fin", "finland"),
    ("fr", "fra", "france|frankrike"),
    ("gf", "guf", "french guiana|franska guyana"),
    ("pf", "pyf", "french polynesia|franska polynesien"),
    (
        "tf",
        "atf",
        "french southern territories|franska sydterritorierna",
    ),
    ("ga", "gab", "gabon"),
    ("gm", "gmb", "gambia"),
    ("ge", "geo", "georgia|georgien"),
    ("de", "deu", "germany|tyskland|deutschland"),
    ("gh", "gha", "ghana"),
    ("gi", "gib", "gibraltar"),
    ("gr", "grc", "greece|grekland"),
    ("gl", "grl", "greenland|gronland"),
    ("gd", "grd", "grenada"),
    ("gp", "glp", "guadeloupe"),
    ("gu", "gum", "guam"),
    ("gt", "gtm", "guatemala"),
    ("gg", "ggy", "guernsey"),
    ("gn", "gin", "guinea"),
    ("gw", "gnb", "guinea bissau"),
    ("gy", "guy", "guyana"),
    ("ht", "hti", "haiti"),
    (
        "hm",
        "hmd",
        "heard island and mcdonald islands|heard och mcdonaldoarna",
    ),
    ("va", "vat", "holy see|vatican|vatican city|vatikanstaten"),
    ("hn", "hnd", "honduras"),
    ("hk", "hkg", "hong kong|hongkong"),
    ("hu", "hun", "hungary|ungern"),
    ("is", "isl", "iceland|island"),
    ("in", "ind", "india|indien"),
    ("id", "idn", "indonesia|indonesien"),
    ("ir", "irn", "iran|iran islamic republic of"),
    ("iq", "irq", "iraq|irak"),
    ("ie", "irl", "ireland|irland"),
    ("im", "imn", "isle of man"),
    ("il", "isr", "israel"),
    ("it", "ita", "italy|italien"),
    ("jm", "jam", "jamaica"),
    ("jp", "jpn", "japan"),
    ("je", "jey", "jersey"),
    ("jo", "jor", "jordan|jordanien"),
    ("kz", "kaz", "kazakhstan|kazakstan"),
    ("ke", "ken", "kenya"),
    ("ki", "kir", "kiribati"),
    (
        "kp",
        "prk",
        "north korea|korea democratic peoples republic of|democratic peoples republic of korea|nordkorea",
    ),
    (
        "kr",
        "kor",
        "south korea|korea republic of|republic of korea|korea|sydkorea",
    ),
    ("kw", "kwt", "kuwait"),
    ("kg", "kgz", "kyrgyzstan|kirgizistan"),
    ("la", "lao", "laos|lao peoples democratic republic"),
    ("lv", "lva", "latvia|lettland"),
    ("lb", "lbn", "lebanon|libanon"),
    ("ls", "lso", "lesotho"),
    ("lr", "lbr", "liberia"),
    ("ly", "lby", "libya|libyen"),
    ("li", "lie", "liechtenstein"),
    ("lt", "ltu", "lithuania|litauen"),
    ("lu", "lux", "luxembourg|luxemburg"),
    ("mo", "mac", "macao|macau"),
    ("mg", "mdg", "madagascar|madagaskar"),
    ("mw", "mwi", "malawi"),
    ("my", "mys", "malaysia"),
    ("mv", "mdv", "maldives|maldiverna"),
    ("ml", "mli", "mali"),
    ("mt", "mlt", "malta"),
    ("mh", "mhl", "marshall islands|marshalloarna"),
    ("mq", "mtq", "martinique"),
    ("mr", "mrt", "mauritania|mauretanien"),
    ("mu", "mus", "mauritius"),
    ("yt", "myt", "mayotte"),
    ("mx", "mex", "mexico|mexiko"),
    (
        "fm",
        "fsm",
        "micronesia|micronesia federated states of|mikronesien",
    ),
    (
        "md",
        "mda",
        "moldova|moldova republic of|republic of moldova|moldavien",
    ),
    ("mc", "mco", "monaco"),
    ("mn", "mng", "mongolia|mongoliet"),
    ("me", "mne", "montenegro"),
    ("ms", "msr", "montserrat"),
    ("ma", "mar", "morocco|marocko"),
    ("mz", "moz", "mozambique|mocambique"),
    ("mm", "mmr", "myanmar|burma"),
    ("na", "nam", "namibia"),
    ("nr", "nru", "nauru"),
    ("np", "npl", "nepal"),
    (
        "nl",
        "nld",
        "netherlands|netherlands kingdom of the|holland|nederlanderna|nederland",
    ),
    ("nc", "ncl", "new caledonia|nya kaledonien"),
    ("nz", "nzl", "new zealand|nya zeeland"),
    ("ni", "nic", "nicaragua"),
    ("ne", "ner", "niger"),
    ("ng", "nga", "nigeria"),
    ("nu", "niu", "niue"),
    ("nf", "nfk", "norfolk island|norfolkon"),
    (
        "mk",
        "mkd",
        "north macedonia|macedonia|nordmakedonien|makedonien",
    ),
    ("mp", "mnp", "northern mariana islands|nordmarianerna"),
    ("no", "nor", "norway|norge"),
    ("om", "omn", "oman"),
    ("pk", "pak", "pakistan"),
    ("pw", "plw", "palau"),
    (
        "ps",
        "pse",
        "palestine|state of palestine|palestine state of|palestina",
    ),
    ("pa", "pan", "panama"),
    ("pg", "png", "papua new guinea|papua nya guinea"),
    ("py", "pry", "paraguay"),
    ("pe", "per", "peru"),
    ("ph", "phl", "philippines|filippinerna"),
    ("pn", "pcn", "pitcairn|pitcairn islands|pitcairnoarna"),
    ("pl", "pol", "poland|polen"),
    ("pt", "prt", "portugal"),
    ("pr", "pri", "puerto rico"),
    ("qa", "qat", "qatar"),
    ("re", "reu", "reunion"),
    ("ro", "rou", "romania|rumanien"),
    ("ru", "rus", "russia|russian federation|ryssland"),
    ("rw", "rwa", "rwanda"),
    ("bl", "blm", "saint barthelemy"),
    (
        "sh",
        "shn",
        "saint helena|saint helena ascension and tristan da cunha|sankta helena",
    ),
    ("kn", "kna", "saint kitts and nevis|saint kitts och nevis"),
    ("lc", "lca", "saint lucia"),
    ("mf", "maf", "saint martin|saint martin french part"),
    (
        "pm",
        "spm",
        "saint pierre and miquelon|saint pierre och miquelon",
    ),
    (
        "vc",
        "vct",
        "saint vincent and the grenadines|saint vincent och grenadinerna",
    ),
    ("ws", "wsm", "samoa"),
    ("sm", "smr", "san marino"),
    ("st", "stp", "sao tome and principe|sao tome och principe"),
    ("sa", "sau", "saudi arabia|saudiarabien"),
    ("sn", "sen", "senegal"),
    ("rs", "srb", "serbia|serbien"),
    ("sc", "syc", "seychelles|seychellerna"),
    ("sl", "sle", "sierra leone"),
    ("sg", "sgp", "singapore"),
    ("sx", "sxm", "sint maarten|sint maarten dutch part"),
    ("sk", "svk", "slovakia|slovakien"),
    ("si", "svn", "slovenia|slovenien"),
    ("sb", "slb", "solomon islands|salomonoarna"),
    ("so", "som", "somalia"),
    ("za", "zaf", "south africa|sydafrika"),
    (
        "gs",
        "sgs",
        "south georgia and the south sandwich islands|sydgeorgien och sydsandwichoarna",
    ),
    ("ss", "ssd", "south sudan|sydsudan"),
    ("es", "esp", "spain|spanien"),
    ("lk", "lka", "sri lanka"),
    ("sd", "sdn", "sudan"),
    ("sr", "sur", "suriname|surinam"),
    (
        "sj",
        "sjm",
        "svalbard and jan mayen|svalbard och jan mayen|svalbard",
    ),
    ("se", "swe", "sweden|sverige"),
    ("ch", "che", "switzerland|schweiz"),
    ("sy", "syr", "syria|syrian arab republic|syrien"),
    ("tw", "twn", "taiwan|taiwan province of china"),
    ("tj", "tjk", "tajikistan|tadzjikistan"),
    (
        "tz",
        "tza",
        "tanzania|tanzania united republic of|united republic of tanzania",
    ),
    ("th", "tha", "thailand"),
    ("tl", "tls", "timor leste|east timor|osttimor"),
    ("tg", "tgo", "togo"),
    ("tk", "tkl", "tokelau|tokelauoarna"),
    ("to", "ton", "tonga"),
    ("tt", "tto", "trinidad and tobago|trinidad och tobago"),
    ("tn", "tun", "tunisia|tunisien"),
    ("tr", "tur", "turkey|turkiye|turkiet"),
    ("tm", "tkm", "turkmenistan"),
    (
        "tc",
        "tca",
        "turks and caicos islands|turks och caicosoarna",
    ),
    ("tv", "tuv", "tuvalu"),
    ("ug", "uga", "uganda"),
    ("ua", "ukr", "ukraine|ukraina"),
    (
        "ae",
        "are",
        "united arab emirates|uae|forenade arabemiraten",
    ),
    (
        "gb",
        "gbr",
        "united kingdom|united kingdom of great britain and northern ireland|great britain|britain|england\
         |scotland|wales|northern ireland|storbritannien|forenade kungariket|skottland|nordirland",
    ),
    (
        "us",
        "usa",
        "united states|united states of america|forenta staterna",
    ),
    (
        "um",
        "umi",
        "united states minor outlying islands|forenta staternas mindre oar i oceanien och vastindien",
    ),
    ("uy", "ury", "uruguay"),
    ("uz", "uzb", "uzbekistan"),
    ("vu", "vut", "vanuatu"),
    ("ve", "ven", "venezuela|venezuela bolivarian republic of"),
    ("vn", "vnm", "viet nam|vietnam"),
    (
        "vg",
        "vgb",
        "virgin islands british|british virgin islands|brittiska jungfruoarna",
    ),
    (
        "vi",
        "vir",
        "virgin islands us|us virgin islands|amerikanska jungfruoarna",
    ),
    ("wf", "wlf", "wallis and futuna|wallis och futuna"),
    ("eh", "esh", "western sahara|vastsahara"),
    ("ye", "yem", "yemen|jemen"),
    ("zm", "zmb", "zambia"),
    ("zw", "zwe", "zimbabwe"),
    ("xk", "xkx", "kosovo"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn check(input: &str, expected: Option<&str>) {
        assert_eq!(normalise(input).as_deref(), expected, "{input:?}");
    }

    #[test]
    fn codes_and_names() {
        for s in [
            "se",
            "SE",
            "Se",
            "swe",
            "SWE",
            "Sweden",
            "sweden",
            "SVERIGE",
            "Sverige",
            " sverige ",
        ] {
            check(s, Some("se"));
        }
        let cases = [
            ("Norge", "no"),
            ("Danmark", "dk"),
            ("Finland", "fi"),
            ("Tyskland", "de"),
            ("Nederländerna", "nl"),
            ("The Netherlands", "nl"),
            ("Netherlands (Kingdom of the)", "nl"),
            ("Spanien", "es"),
            ("Storbritannien", "gb"),
            ("United Kingdom", "gb"),
            ("UK", "gb"),
            ("England", "gb"),
            ("Turkiet", "tr"),
            ("Türkiye", "tr"),
            ("Marocko", "ma"),
            ("Irak", "iq"),
            ("Syrien", "sy"),
            ("Syrian Arab Republic", "sy"),
            ("Somalia", "so"),
            ("Albanien", "al"),
            ("Serbien", "rs"),
            ("Colombia", "co"),
            ("Polen", "pl"),
            ("Litauen", "lt"),
            ("Estland", "ee"),
            ("Lettland", "lv"),
            ("Frankrike", "fr"),
            ("Italien", "it"),
            ("Belgien", "be"),
            ("Österrike", "at"),
            ("osterrike", "at"),
            ("Schweiz", "ch"),
            ("Grekland", "gr"),
            ("Côte d'Ivoire", "ci"),
            ("Cote d’Ivoire", "ci"),
            ("Guinea-Bissau", "gw"),
            ("Guinea Bissau", "gw"),
            ("Bosnia & Herzegovina", "ba"),
            ("Bosnien-Hercegovina", "ba"),
            ("Korea, Republic of", "kr"),
            ("Korea (Democratic People's Republic of)", "kp"),
            ("Congo, Democratic Republic of the", "cd"),
            ("Virgin Islands (U.S.)", "vi"),
            ("Förenta staterna", "us"),
            ("United States of America", "us"),
            ("Åland Islands", "ax"),
            ("Réunion", "re"),
            ("São Tomé och Príncipe", "st"),
            ("Kosovo", "xk"),
            ("XKX", "xk"),
            ("island", "is"),
            ("Vitryssland", "by"),
        ];
        for (input, code) in cases {
            check(input, Some(code));
        }
    }

    #[test]
    fn not_countries() {
        for s in [
            "",
            "xx",
            "zz",
            "s",
            "Atlantis",
            "Sverige!?x",
            "Swedenn",
            "Europe",
            "EU",
            "Stockholm",
            "123",
            "s e",
            "🇸🇪",
        ] {
            check(s, None);
        }
        check(&"a".repeat(10_000), None);
    }

    #[test]
    fn table_is_complete_and_consistent() {
        assert_eq!(COUNTRIES.len(), 250);
        let a2: HashSet<_> = COUNTRIES.iter().map(|c| c.0).collect();
        let a3: HashSet<_> = COUNTRIES.iter().map(|c| c.1).collect();
        assert_eq!((a2.len(), a3.len()), (250, 250));
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for &(code2, code3, names) in COUNTRIES {
            assert!(
                code2.len() == 2
                    && code3.len() == 3
                    && code2
                        .bytes()
                        .chain(code3.bytes())
                        .all(|b| b.is_ascii_lowercase())
            );
            for key in [code2, code3].into_iter().chain(names.split('|')) {
                assert_eq!(fold(key), key, "table keys are folded");
                if let Some(other) = seen.insert(key, code2) {
                    assert_eq!(other, code2, "{key} names two countries");
                }
            }
            assert_eq!(country_code(code2), Some(code2));
            assert_eq!(country_code(code3), Some(code2));
        }
    }
}
