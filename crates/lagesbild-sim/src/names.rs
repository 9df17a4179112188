//! Names for the fictional region and its people. All are common given names and surnames or
//! made-up place names; no person or place in the output is real.

pub const FIRST_MALE: &[&str] = &[
    "Adam", "Ali", "Anton", "Axel", "Björn", "Daniel", "David", "Elias", "Emil", "Erik", "Filip",
    "Gustav", "Hassan", "Hugo", "Ibrahim", "Isak", "Jonas", "Karl", "Leo", "Liam", "Lucas",
    "Mohammed", "Noah", "Oliver", "Omar", "Oscar", "Sami", "Viktor", "Yusuf", "Örjan",
];

pub const FIRST_FEMALE: &[&str] = &[
    "Alice", "Amira", "Anna", "Astrid", "Elin", "Ella", "Emma", "Fatima", "Hanna", "Ida", "Julia",
    "Karin", "Lina", "Maja", "Märta", "Nora", "Sara", "Selma", "Wilma", "Åsa",
];

pub const LAST: &[&str] = &[
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Lindqvist",
    "Lindberg",
    "Öberg",
    "Sjöberg",
    "Ek",
    "Berg",
    "Håkansson",
    "Ahmed",
    "Ali",
    "Hassan",
    "Mohamed",
    "Haddad",
    "Yilmaz",
    "Kaya",
    "Nowak",
    "Jovanović",
    "Hodžić",
    "Rahimi",
];

pub const HANDLE_WORDS: &[&str] = &[
    "plug", "snow", "green", "kush", "boss", "fast", "leverans", "city", "king", "north", "south",
    "vip", "delivery", "247", "spot",
];

/// Street-level words for the message of a Swish payment.
pub const SWISH_MESSAGES: &[&str] = &[
    "", "", "", "tack", "🍁", "❄️", "lån", "mat", "gräs", "biljett", "skuld", "👍", "hämta", "💊",
];
