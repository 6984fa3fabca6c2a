//! Naming: spec names in, Rust identifiers out (casing, keyword escapes, leading digits, collisions).
//!
//! Every identifier the generator emits is made here, so the rules live in one place: types are
//! UpperCamelCase, fields and methods snake_case, keywords become raw identifiers (`r#type`), and
//! names Rust cannot take even raw (`self`, `Self`, `crate`, `super`) get a trailing underscore.

mod case;

use foldhash::{HashMap, HashSet};
use std::cell::RefCell;

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "union",
];

/// The length of the longest word in [`KEYWORDS`] and [`NOT_RAW`].
const LONGEST_KEYWORD: usize = 8;

/// Keywords that cannot be written as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "crate", "super", "_"];

/// A type or enum-variant name: `installment_plan_period` → `InstallmentPlanPeriod`.
pub fn type_name(name: &str) -> String {
    remembered(name, |cache| &mut cache.type_names, type_name_of)
}

fn type_name_of(name: &str) -> String {
    let camel = case::upper_camel_case(name);
    let camel = if camel.is_empty() {
        "Unnamed".to_owned()
    } else {
        camel
    };
    let camel = if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("T{camel}")
    } else {
        camel
    };
    // `Self` is the one UpperCamelCase keyword; a suffix keeps the name UpperCamelCase.
    if camel == "Self" {
        "SelfType".to_owned()
    } else {
        camel
    }
}

/// A variant name for an enum value: `bank-transfer` → `BankTransfer`, `3ds` → `V3ds`.
pub fn variant_name(value: &str) -> String {
    remembered(value, |cache| &mut cache.variant_names, variant_name_of)
}

fn variant_name_of(value: &str) -> String {
    let camel = case::upper_camel_case(value);
    if camel.is_empty() {
        "Empty".to_owned()
    } else if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{camel}")
    } else if camel == "Self" {
        "SelfValue".to_owned()
    } else {
        camel
    }
}

/// A field, method or module name, without escaping: `_links` → `links`, `currencyCode` → `currency_code`.
pub fn snake_name(name: &str) -> String {
    remembered(name, |cache| &mut cache.snake_names, snake_name_of)
}

fn snake_name_of(name: &str) -> String {
    let snake = case::snake_case(name);
    let snake = if snake.is_empty() {
        "value".to_owned()
    } else {
        snake
    };
    if snake.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{snake}")
    } else {
        snake
    }
}

/// Names already made on this thread, while [`remembering_names`] runs.
///
/// Lowering names every property, type and enum value, and a document repeats the same few
/// thousand names many times over (`id`, `created_at`, `status`, …). Casing through heck,
/// which formats a character at a time, was over a fifth of lowering on the synthetic
/// document before this cache (docs/PERFORMANCE.md). The cache lives only for one call of
/// [`remembering_names`], so one run of the generator never starts with another's names (nor
/// does a timing of it).
#[derive(Default)]
struct NameCache {
    type_names: HashMap<String, String>,
    variant_names: HashMap<String, String>,
    snake_names: HashMap<String, String>,
}

thread_local! {
    static NAME_CACHE: RefCell<Option<NameCache>> = const { RefCell::new(None) };
}

/// Runs `work` with the names it makes remembered on this thread, and forgets them after.
pub fn remembering_names<T>(work: impl FnOnce() -> T) -> T {
    /// Forgets the names even when `work` panics.
    struct Forget;
    impl Drop for Forget {
        fn drop(&mut self) {
            NAME_CACHE.with_borrow_mut(|cache| *cache = None);
        }
    }
    NAME_CACHE.with_borrow_mut(|cache| *cache = Some(NameCache::default()));
    let _forget = Forget;
    work()
}

/// The names remembered so far, taken from this thread (which makes names afresh from here
/// on), to be dropped elsewhere: freeing tens of thousands of small strings is work the caller
/// may hand to a thread that is otherwise idle.
pub struct RememberedNames {
    _names: Option<NameCache>,
}

/// Takes the names remembered on this thread, if [`remembering_names`] is running.
pub fn take_remembered_names() -> RememberedNames {
    RememberedNames {
        _names: NAME_CACHE.with_borrow_mut(Option::take),
    }
}

/// `make(name)`, from the cache when [`remembering_names`] runs and `name` was made before.
fn remembered(
    name: &str,
    table: fn(&mut NameCache) -> &mut HashMap<String, String>,
    make: fn(&str) -> String,
) -> String {
    NAME_CACHE.with_borrow_mut(|cache| match cache.as_mut().map(table) {
        None => make(name),
        Some(table) => {
            if let Some(made) = table.get(name) {
                return made.clone();
            }
            let made = make(name);
            table.insert(name.to_owned(), made.clone());
            made
        }
    })
}

/// The identifier text for a snake_case name, escaped when it is a keyword: `type` → `r#type`.
/// Takes the name by value: most names are returned as they came.
pub fn escape_identifier(name: String) -> String {
    // Most names are longer than any keyword; they skip the two lists (checked by
    // `tests::no_keyword_is_longer_than_the_shortcut`).
    if name.len() > LONGEST_KEYWORD {
        name
    } else if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// A `proc_macro2::Ident` for an escaped identifier string (handles the `r#` prefix).
pub fn ident(escaped: &str) -> proc_macro2::Ident {
    match escaped.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => proc_macro2::Ident::new(escaped, proc_macro2::Span::call_site()),
    }
}

/// Crude English singular for a path segment: `refunds` → `refund`, `subscription_periods` → `subscription_period`.
pub fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if ["sses", "shes", "ches", "xes"]
        .iter()
        .any(|s| word.ends_with(s))
    {
        word[..word.len() - 2].to_owned()
    } else if word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") {
        word[..word.len() - 1].to_owned()
    } else {
        word.to_owned()
    }
}

/// Hands out names unique within one namespace by a fixed rule: the first asker keeps the
/// name, later ones get `2`, `3`, … appended (after an underscore for snake_case names).
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    // Only asked whether a name is taken, never listed, so its order cannot reach the output.
    taken: HashSet<String>,
}

impl Namespace {
    pub fn with_reserved(names: &[&str]) -> Self {
        Self {
            taken: names.iter().map(|n| (*n).to_owned()).collect(),
        }
    }

    /// An empty namespace with room for `names` names, which the caller expects to claim.
    pub fn with_capacity(names: usize) -> Self {
        Self {
            taken: HashSet::with_capacity_and_hasher(names, Default::default()),
        }
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Returns `name` if free, else the first free `name2`, `name3`, … (`name_2` when `snake`).
    pub fn claim(&mut self, name: &str, snake: bool) -> String {
        self.claim_owned(name.to_owned(), snake)
    }

    /// [`Namespace::claim`] for a name already made, which is returned itself when free.
    pub fn claim_owned(&mut self, name: String, snake: bool) -> String {
        if !self.taken.contains(&name) {
            self.taken.insert(name.clone());
            return name;
        }
        let mut counter = 2;
        loop {
            let candidate = if snake {
                format!("{name}_{counter}")
            } else {
                format!("{name}{counter}")
            };
            if !self.taken.contains(&candidate) {
                self.taken.insert(candidate.clone());
                return candidate;
            }
            counter += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_are_upper_camel() {
        assert_eq!(
            type_name("installment_plan_period"),
            "InstallmentPlanPeriod"
        );
        assert_eq!(type_name("top-up"), "TopUp");
        assert_eq!(type_name("Pay methods"), "PayMethods");
        assert_eq!(type_name("3ds"), "T3ds");
        assert_eq!(type_name("self"), "SelfType");
        assert_eq!(type_name(""), "Unnamed");
    }

    #[test]
    fn field_names_are_snake_and_escaped() {
        assert_eq!(escape_identifier(snake_name("_links")), "links");
        assert_eq!(escape_identifier(snake_name("type")), "r#type");
        assert_eq!(escape_identifier(snake_name("self")), "self_");
        assert_eq!(escape_identifier(snake_name("firstName")), "first_name");
        assert_eq!(escape_identifier(snake_name("2fa")), "_2fa");
        assert_eq!(ident("r#type").to_string(), "r#type");
    }

    #[test]
    fn no_keyword_is_longer_than_the_shortcut() {
        let longest = KEYWORDS.iter().chain(NOT_RAW).map(|k| k.len()).max();
        assert_eq!(longest, Some(LONGEST_KEYWORD));
        assert_eq!(escape_identifier("continue".to_owned()), "r#continue");
        assert_eq!(escape_identifier("continued".to_owned()), "continued");
    }

    #[test]
    fn variants_cover_odd_values() {
        assert_eq!(variant_name("bank-transfer"), "BankTransfer");
        assert_eq!(variant_name("payment.created"), "PaymentCreated");
        assert_eq!(variant_name("EUR"), "Eur");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("1"), "V1");
    }

    /// Remembered names are the names made afresh, for every kind and for repeats; outside
    /// `remembering_names` nothing is kept.
    #[test]
    fn remembered_names_are_the_names_made_afresh() {
        let names = [
            "created_at",
            "HTTPServer",
            "3ds",
            "self",
            "",
            "bank-transfer",
            "EUR",
        ];
        let all_names = || -> Vec<_> {
            names
                .iter()
                .map(|n| (type_name(n), variant_name(n), snake_name(n)))
                .collect()
        };
        let fresh = all_names();
        let remembered = remembering_names(|| {
            let first = all_names();
            assert_eq!(first, all_names(), "made again from the cache");
            let held = NAME_CACHE.with_borrow(|c| c.as_ref().map(|c| c.snake_names.len()));
            assert_eq!(held, Some(names.len()));
            first
        });
        assert_eq!(fresh, remembered);
        assert!(NAME_CACHE.with_borrow(Option::is_none), "forgotten after");
    }

    #[test]
    fn singulars() {
        assert_eq!(singular("refunds"), "refund");
        assert_eq!(singular("subscription_periods"), "subscription_period");
        assert_eq!(singular("categories"), "category");
        assert_eq!(singular("addresses"), "address");
        assert_eq!(singular("status"), "status");
    }

    #[test]
    fn namespace_suffixes_collisions_in_order() {
        let mut ns = Namespace::with_reserved(&["Unknown"]);
        assert_eq!(ns.claim("Payment", false), "Payment");
        assert_eq!(ns.claim("Payment", false), "Payment2");
        assert_eq!(ns.claim("Unknown", false), "Unknown2");
        assert_eq!(ns.claim("id", true), "id");
        assert_eq!(ns.claim("id", true), "id_2");
    }
}
