//! A Rust port of `scripts/synth-spec.py`: a seed and a size in, a large, realistic OpenAPI 3.0.3 document (as a JSON value) out.
//!
//! It reads the script's word lists (`scripts/synth-words.txt`) and draws from the same
//! splitmix64 stream in the same order, so the value is the script's `--format json` output for
//! the same arguments, byte for byte once pretty-printed (the test can write it out to check).
//! Change the two together; the script's docstring says what the document contains and why
//! references between support schemas point forward.

use serde_json::{Value, json};

/// The word lists, shared with the script so that both make the same document.
const WORDS: &str = include_str!("../../../scripts/synth-words.txt");

const STRING_FORMATS: [&str; 5] = ["email", "uri", "uuid", "hostname", "byte"];

/// The words of one `[name]` list in synth-words.txt, in order.
fn words(name: &str) -> Vec<&'static str> {
    let mut current = "";
    let mut out = Vec::new();
    for line in WORDS.lines() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = section;
        } else if current == name {
            out.extend(line.split_whitespace());
        }
    }
    assert!(!out.is_empty(), "synth-words.txt has no [{name}] list");
    out
}

/// splitmix64, as in the script.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A number in `low..=high`.
    fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn pascal(name: &str) -> String {
    name.replace('-', "_")
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn plural(noun: &str) -> String {
    let before_last = noun.chars().rev().nth(1);
    if noun.ends_with('y') && !matches!(before_last, Some('a' | 'e' | 'i' | 'o' | 'u')) {
        format!("{}ies", &noun[..noun.len() - 1])
    } else if ["s", "x", "ch", "sh"].iter().any(|end| noun.ends_with(end)) {
        format!("{noun}es")
    } else {
        format!("{noun}s")
    }
}

fn schema_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn with(mut value: Value, key: &str, item: Value) -> Value {
    if let Value::Object(map) = &mut value {
        map.insert(key.to_owned(), item);
    }
    value
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Resource,
    Create,
    Error,
    Null,
    Object,
    Enum,
    Tagged,
    Implicit,
    Variant,
    Untagged,
    Nullable,
    AllOf,
    MapObject,
    Array,
    Tree,
    MutualA,
    MutualB,
}

impl Kind {
    /// What a `$ref` to an object (an allOf member too) may point at.
    fn is_object(self) -> bool {
        use Kind::*;
        matches!(
            self,
            Object | Variant | AllOf | MapObject | Tree | MutualA | MutualB
        )
    }

    /// What a property's `$ref` may point at.
    fn is_property(self) -> bool {
        use Kind::*;
        self.is_object() || matches!(self, Tagged | Implicit | Untagged | Nullable | Array)
    }
}

struct Resource {
    name: String,
    ops: Vec<&'static str>,
    index: usize,
    create: Option<usize>,
}

/// The synthesizer's state, field for field the script's `Synth`.
pub struct Synth {
    rng: Rng,
    seed: u64,
    operations: usize,
    schemas: usize,
    names: Vec<String>,
    kinds: Vec<Kind>,
    taken: std::collections::BTreeSet<String>,
    object_pool: Vec<usize>,
    property_pool: Vec<usize>,
    enum_pool: Vec<usize>,
    resources: Vec<Resource>,
    bodies: std::collections::BTreeMap<usize, Value>,
    variant_tags: std::collections::BTreeMap<usize, String>,
    w: Words,
}

struct Words {
    nouns: Vec<&'static str>,
    qualifiers: Vec<&'static str>,
    adjectives: Vec<&'static str>,
    suffixes: Vec<&'static str>,
    enum_suffixes: Vec<&'static str>,
    properties: Vec<&'static str>,
    values: Vec<&'static str>,
    variants: Vec<&'static str>,
    description: Vec<&'static str>,
    actions: Vec<&'static str>,
}

/// The document for these arguments, and how many component schemas it has.
pub fn document(operations: usize, schemas: usize, seed: u64) -> (Value, usize) {
    let mut synth = Synth {
        rng: Rng(seed),
        seed,
        operations,
        schemas,
        names: Vec::new(),
        kinds: Vec::new(),
        taken: Default::default(),
        object_pool: Vec::new(),
        property_pool: Vec::new(),
        enum_pool: Vec::new(),
        resources: Vec::new(),
        bodies: Default::default(),
        variant_tags: Default::default(),
        w: Words {
            nouns: words("nouns"),
            qualifiers: words("qualifiers"),
            adjectives: words("adjectives"),
            suffixes: words("suffixes"),
            enum_suffixes: words("enum_suffixes"),
            properties: words("property_words"),
            values: words("value_words"),
            variants: words("variant_words"),
            description: words("description_words"),
            actions: words("actions"),
        },
    };
    let document = synth.document();
    (document, synth.names.len())
}

impl Synth {
    // ----- planning -----

    fn plan(&mut self) {
        self.plan_resources();
        for r in 0..self.resources.len() {
            let title = pascal(&self.resources[r].name);
            self.resources[r].index = self.add(title.clone(), Kind::Resource);
            if self.resources[r].ops.contains(&"create") && self.rng.chance(50) {
                self.resources[r].create = Some(self.add(format!("{title}Create"), Kind::Create));
            }
        }
        self.add("Error".to_owned(), Kind::Error);
        self.add("NullValue".to_owned(), Kind::Null);
        while self.names.len() < self.schemas {
            let left = self.schemas - self.names.len();
            let roll = self.rng.below(100);
            if roll < 55 {
                let name = self.support_name(&self.w.suffixes.clone());
                self.add(name, Kind::Object);
            } else if roll < 67 {
                let name = self.support_name(&self.w.enum_suffixes.clone());
                self.add(name, Kind::Enum);
            } else if roll < 74 && left >= 3 {
                let kind = if roll < 71 {
                    Kind::Tagged
                } else {
                    Kind::Implicit
                };
                let variants = self.rng.between(2, 4).min(left - 1);
                let union =
                    self.support_name(&["Method", "Source", "Target", "Option", "Instrument"]);
                self.add(union.clone(), kind);
                let start = self.rng.below(self.w.variants.len());
                for k in 0..variants {
                    let word = self.w.variants[(start + k) % self.w.variants.len()];
                    let name = self.unique(format!("{union}{}", pascal(word)));
                    let index = self.add(name, Kind::Variant);
                    self.variant_tags.insert(index, word.to_owned());
                }
            } else if roll < 78 {
                let name = self.support_name(&["Value", "Choice", "Reference"]);
                self.add(name, Kind::Untagged);
            } else if roll < 81 {
                let name = self.support_name(&["Link", "Attachment", "Snapshot"]);
                self.add(name, Kind::Nullable);
            } else if roll < 89 {
                let name = self.support_name(&["Extended", "Full", "Expanded"]);
                self.add(name, Kind::AllOf);
            } else if roll < 93 {
                let name = self.support_name(&["Map", "Labels", "Properties"]);
                self.add(name, Kind::MapObject);
            } else if roll < 95 {
                let name = self.support_name(&["List", "Collection", "Set"]);
                self.add(name, Kind::Array);
            } else if roll < 96 {
                let name = self.support_name(&["Node", "Tree"]);
                self.add(name, Kind::Tree);
            } else if roll < 97 && left >= 2 {
                let first = self.support_name(&["Parent", "Group"]);
                self.add(first.clone(), Kind::MutualA);
                let second = self.unique(format!("{first}Member"));
                self.add(second, Kind::MutualB);
            } else {
                let name = self.support_name(&self.w.suffixes.clone());
                self.add(name, Kind::Object);
            }
        }
    }

    fn plan_resources(&mut self) {
        let mut total = 0;
        let mut index = 0;
        while total < self.operations {
            let noun = self.w.nouns[index % self.w.nouns.len()];
            let round = index / self.w.nouns.len();
            let name = if round == 0 {
                noun.to_owned()
            } else if round <= self.w.qualifiers.len() {
                format!("{}_{noun}", self.w.qualifiers[round - 1])
            } else {
                format!("{noun}_{round}")
            };
            let mut ops = if self.rng.chance(15) {
                vec!["list", "retrieve"]
            } else {
                vec!["list", "create", "retrieve", "update", "delete"]
            };
            for (extra, percent) in [("sub_list", 50), ("action", 40), ("sub_retrieve", 25)] {
                if self.rng.chance(percent) {
                    ops.push(extra);
                }
            }
            ops.truncate(self.operations - total);
            total += ops.len();
            self.resources.push(Resource {
                name,
                ops,
                index: 0,
                create: None,
            });
            index += 1;
        }
    }

    fn add(&mut self, name: String, kind: Kind) -> usize {
        let index = self.names.len();
        self.taken.insert(name.clone());
        self.names.push(name);
        self.kinds.push(kind);
        if kind.is_object() {
            self.object_pool.push(index);
        }
        if kind.is_property() {
            self.property_pool.push(index);
        }
        if kind == Kind::Enum {
            self.enum_pool.push(index);
        }
        index
    }

    fn unique(&self, name: String) -> String {
        if self.taken.contains(&name) {
            format!("{name}{}", self.names.len())
        } else {
            name
        }
    }

    fn support_name(&mut self, suffixes: &[&str]) -> String {
        let adjective = *self.rng.pick(&self.w.adjectives);
        let noun = *self.rng.pick(&self.w.nouns);
        let suffix = *self.rng.pick(suffixes);
        self.unique(format!("{}{}{suffix}", pascal(adjective), pascal(noun)))
    }

    fn pool(&self, pool: Pool) -> &[usize] {
        match pool {
            Pool::Object => &self.object_pool,
            Pool::Property => &self.property_pool,
            Pool::Enum => &self.enum_pool,
        }
    }

    /// A pool member after `index`, if any: references between support schemas point forward.
    fn after(&mut self, pool: Pool, index: usize) -> Option<usize> {
        let members = self.pool(pool);
        let start = members.partition_point(|&i| i <= index);
        let len = members.len();
        if start == len {
            return None;
        }
        let offset = self.rng.below(len - start);
        Some(self.pool(pool)[start + offset])
    }

    fn after_ref(&mut self, pool: Pool, index: usize) -> Option<Value> {
        self.after(pool, index).map(|t| schema_ref(&self.names[t]))
    }

    // ----- text -----

    fn sentence(&mut self, low: usize, high: usize) -> String {
        let count = self.rng.between(low, high);
        let words: Vec<&str> = (0..count)
            .map(|_| *self.rng.pick(&self.w.description))
            .collect();
        let text = words.join(" ");
        let mut chars = text.chars();
        let first = chars
            .next()
            .map(|c| c.to_ascii_uppercase().to_string())
            .unwrap_or_default();
        format!("{first}{}.", chars.as_str())
    }

    fn enum_values(&mut self, low: usize, high: usize) -> Value {
        let count = self.rng.between(low, high);
        let start = self.rng.below(self.w.values.len());
        let len = self.w.values.len();
        Value::Array(
            (0..count)
                .map(|k| json!(self.w.values[(start + k) % len]))
                .collect(),
        )
    }
}

#[derive(Clone, Copy)]
enum Pool {
    Object,
    Property,
    Enum,
}

#[path = "paths.rs"]
mod paths;
#[path = "schemas.rs"]
mod schemas;
