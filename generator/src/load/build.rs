//! Builds the document's JSON value from parse events as they arrive, holding only the open
//! collections, never a list of all events: the list serde_yaml builds first was the largest
//! allocation of a whole run (docs/PERFORMANCE.md).
//!
//! It keeps serde_yaml's behaviour: its scalar rules (`scalar.rs`), its nesting limit of 128
//! collections, its alias limit (repeats may not exceed a hundred times the document's own
//! events), its errors and the order they are found in. An alias is a copy of the value its
//! anchor built, so the copy's nesting and repeats are charged as serde_yaml's replay of the
//! anchor's events charged them.

use super::error::{LoadError, Step, path_text};
use super::events::{Event, EventReader, Mark};
use super::scalar;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// How deeply collections may nest.
const DEPTH_LIMIT: usize = 128;
/// How many times its own number of events a document's aliases may repeat.
const REPEATS_PER_EVENT: usize = 100;

/// Reads the first (and only) document of `text`; an empty stream is `null`.
pub(crate) fn build_document(text: &str) -> Result<Value, LoadError> {
    let mut builder = Builder {
        reader: EventReader::new(text).map_err(LoadError::Syntax)?,
        text,
        open: Vec::new(),
        anchored: Vec::new(),
        anchors: Anchors::default(),
        events: 0,
        repeats: 0,
        event_total: None,
    };
    let root = builder.root()?;
    builder.finish()?;
    Ok(root)
}

struct Builder<'text> {
    reader: EventReader<'text>,
    text: &'text str,
    /// The collections being read, outermost first.
    open: Vec<Open>,
    /// Indexes into `open` of the collections that carry an anchor.
    anchored: Vec<usize>,
    anchors: Anchors,
    /// Events read so far, counted as serde_yaml counted them (not stream or document marks).
    events: usize,
    /// Alias expansions so far, counting those inside expanded values.
    repeats: usize,
    /// The document's whole event count, counted only once aliases have repeated enough that
    /// the limit might be near.
    event_total: Option<usize>,
}

struct Open {
    mark: Mark,
    content: Content,
    anchor: Option<OpenAnchor>,
}

enum Content {
    List(Vec<Value>),
    Mapping {
        entries: Vec<(String, Value)>,
        seen: SeenKeys,
        /// The key read and waiting for its value, with its text as written.
        key: Option<(String, KeyText)>,
    },
}

/// How an error inside a key's value names the key.
#[derive(Debug)]
enum KeyText {
    /// As the key reads (a text key).
    Same,
    /// As written, when converting changed it (`~` became `null`).
    Written(String),
    /// Not text at all (an alias): `?`.
    Unknown,
}

impl KeyText {
    /// For a scalar: its text when its value is not that text (`~`, `200`), else the key.
    fn written(text: Option<String>) -> KeyText {
        text.map_or(KeyText::Same, KeyText::Written)
    }
}

/// What an anchored collection records while it is open.
struct OpenAnchor {
    id: usize,
    name: Box<[u8]>,
    repeats_at_start: usize,
    /// The start of the first collection at each depth below it (its own at 0): where the
    /// nesting limit would trip if an alias repeated it too deep.
    levels: Vec<Mark>,
}

/// Every anchor defined so far. A name may be defined again; aliases then mean the latest.
#[derive(Default)]
struct Anchors {
    latest: HashMap<Box<[u8]>, usize>,
    nodes: Vec<Anchored>,
}

enum Anchored {
    /// Still being read, as `open[index]`; an alias to it would contain itself.
    Open {
        index: usize,
    },
    Done(Done),
    /// Redefined before it ended: no alias can reach it.
    Unreachable,
}

struct Done {
    value: Value,
    /// Alias expansions inside it, charged again each time it is repeated.
    repeats: usize,
    levels: Vec<Mark>,
}

impl Builder<'_> {
    fn next(&mut self) -> Result<(Event, Mark), LoadError> {
        let read = self.reader.next_event();
        if matches!(
            read,
            Ok((
                Event::Alias { .. }
                    | Event::Scalar { .. }
                    | Event::SequenceStart { .. }
                    | Event::SequenceEnd
                    | Event::MappingStart { .. }
                    | Event::MappingEnd,
                _
            ))
        ) {
            self.events += 1;
        }
        read.map_err(LoadError::Syntax)
    }

    /// Reads events until the document's top value is complete.
    fn root(&mut self) -> Result<Value, LoadError> {
        loop {
            let (event, mark) = self.next()?;
            let done = match event {
                Event::StreamStart | Event::DocumentStart | Event::DocumentEnd => None,
                Event::StreamEnd if self.open.is_empty() => return Ok(Value::Null),
                Event::StreamEnd => {
                    let message = "the document ends inside a list or mapping".to_owned();
                    return Err(self.node_error(message, mark, false));
                }
                Event::Alias { anchor } => Some((self.alias(&anchor, mark)?, KeyText::Unknown)),
                Event::Scalar {
                    anchor,
                    tag,
                    value,
                    plain,
                } => {
                    let resolved = String::from_utf8(value)
                        .map_err(|_| "invalid type: byte array, expected any YAML value".to_owned())
                        .and_then(|text| scalar::resolve(text, tag, plain));
                    let (resolved, written) =
                        resolved.map_err(|message| self.node_error(message, mark, true))?;
                    if let Some(name) = anchor {
                        self.anchors.define_scalar(name, resolved.clone());
                    }
                    Some((resolved, KeyText::written(written)))
                }
                Event::SequenceStart { anchor } => {
                    self.open_collection(Content::List(Vec::new()), anchor, mark)?;
                    None
                }
                Event::MappingStart { anchor } => {
                    let mapping = Content::Mapping {
                        entries: Vec::new(),
                        seen: SeenKeys::default(),
                        key: None,
                    };
                    self.open_collection(mapping, anchor, mark)?;
                    None
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    Some((self.close_collection(), KeyText::Unknown))
                }
            };
            if let Some((value, written)) = done {
                if let Some(root) = self.attach(value, written)? {
                    return Ok(root);
                }
            }
        }
    }

    /// After the top value: the document must end, and no second one begin.
    fn finish(&mut self) -> Result<(), LoadError> {
        match self.next()? {
            (Event::DocumentEnd, _) => {}
            (Event::StreamEnd, _) => return Ok(()),
            // libyaml ends a document right after its top value; anything else is a second
            // value, which the parser itself refuses before this point.
            _ => return Err(LoadError::MoreThanOneDocument),
        }
        match self.reader.next_event() {
            Ok((Event::StreamEnd, _)) => Ok(()),
            _ => Err(LoadError::MoreThanOneDocument),
        }
    }

    fn open_collection(
        &mut self,
        content: Content,
        anchor: Option<Box<[u8]>>,
        mark: Mark,
    ) -> Result<(), LoadError> {
        let depth = self.open.len();
        if depth >= DEPTH_LIMIT {
            return Err(LoadError::RecursionLimit(mark));
        }
        reach_levels(&mut self.open, &self.anchored, depth, &[mark]);
        let anchor = anchor.map(|name| {
            self.anchored.push(depth);
            OpenAnchor {
                id: self.anchors.define_open(name.clone(), depth),
                name,
                repeats_at_start: self.repeats,
                levels: vec![mark],
            }
        });
        self.open.push(Open {
            mark,
            content,
            anchor,
        });
        Ok(())
    }

    fn close_collection(&mut self) -> Value {
        let Some(open) = self.open.pop() else {
            return Value::Null;
        };
        let value = match open.content {
            // Held through several stages, so given exactly the room they use: grown by
            // doubling, they would hold about a third more.
            Content::List(mut items) => {
                items.shrink_to_fit();
                Value::Array(items)
            }
            Content::Mapping { entries, .. } => {
                let mut object = Map::with_capacity(entries.len());
                object.extend(entries);
                Value::Object(object)
            }
        };
        if let Some(anchor) = open.anchor {
            self.anchored.pop();
            let repeats = self.repeats - anchor.repeats_at_start;
            self.anchors.close(&anchor, || value.clone(), repeats);
        }
        value
    }

    /// Repeats an anchored value, charging its nesting and repeats as serde_yaml did.
    fn alias(&mut self, name: &[u8], mark: Mark) -> Result<Value, LoadError> {
        let Some(&id) = self.anchors.latest.get(name) else {
            return Err(LoadError::UnknownAnchor(mark));
        };
        self.charge(1)?;
        let depth = self.open.len();
        let done = match &self.anchors.nodes[id] {
            Anchored::Open { index } => return Err(self.endless_alias(*index, depth)),
            Anchored::Done(done) => done,
            Anchored::Unreachable => return Err(LoadError::UnknownAnchor(mark)),
        };
        if depth + done.levels.len() > DEPTH_LIMIT {
            return Err(LoadError::RecursionLimit(done.levels[DEPTH_LIMIT - depth]));
        }
        let (value, repeats) = (done.value.clone(), done.repeats);
        reach_levels(&mut self.open, &self.anchored, depth, &done.levels);
        self.charge(repeats)?;
        Ok(value)
    }

    /// An alias inside its own anchor repeats it inside itself without end; serde_yaml stops
    /// at the nesting limit, at the collection the endless copy has reached by then.
    fn endless_alias(&self, anchor_index: usize, depth: usize) -> LoadError {
        let levels = self.open[anchor_index]
            .anchor
            .as_ref()
            .map(|anchor| anchor.levels.as_slice())
            .unwrap_or_default();
        let cycle = (depth - anchor_index).max(1);
        let mut level = DEPTH_LIMIT.saturating_sub(depth);
        while level >= levels.len() && level >= cycle {
            level -= cycle;
        }
        LoadError::RecursionLimit(
            levels
                .get(level)
                .copied()
                .unwrap_or(self.open[anchor_index].mark),
        )
    }

    /// Counts alias expansions against the limit. The limit depends on the whole document's
    /// event count, which is counted (one extra parse) only once the repeats pass what the
    /// events read so far would allow: ordinary documents never pay for it.
    fn charge(&mut self, repeats: usize) -> Result<(), LoadError> {
        self.repeats = self.repeats.saturating_add(repeats);
        if self.repeats <= self.events.saturating_mul(REPEATS_PER_EVENT) {
            return Ok(());
        }
        let total = *self
            .event_total
            .get_or_insert_with(|| count_events(self.text));
        if self.repeats > total.saturating_mul(REPEATS_PER_EVENT) {
            return Err(LoadError::RepetitionLimit);
        }
        Ok(())
    }

    /// Puts a finished value into the collection being read; returns it when it is the
    /// document's top value. `written` is how errors would name it were it a key.
    fn attach(&mut self, value: Value, written: KeyText) -> Result<Option<Value>, LoadError> {
        let Some(top) = self.open.last_mut() else {
            return Ok(Some(value));
        };
        let (entries, seen, key) = match &mut top.content {
            Content::List(items) => {
                items.push(value);
                return Ok(None);
            }
            Content::Mapping { entries, seen, key } => (entries, seen, key),
        };
        if let Some((text, _)) = key.take() {
            entries.push((text, value));
            return Ok(None);
        }
        let (refused, duplicate_key) = match key_text(value) {
            Err(message) => (message.to_owned(), false),
            Ok(text) if seen.repeats(entries, &text) => (format!("duplicate key `{text}`"), true),
            Ok(text) => {
                *key = Some((text, written));
                return Ok(None);
            }
        };
        let mark = top.mark;
        let mut error = self.node_error(refused, mark, false);
        if let LoadError::Node {
            duplicate_key: flag,
            ..
        } = &mut error
        {
            *flag = duplicate_key;
        }
        Err(error)
    }

    /// An error about a node, named by the path to the innermost open collection, or to the
    /// scalar being read inside it.
    fn node_error(&self, message: String, mark: Mark, scalar: bool) -> LoadError {
        // A collection's own path ends at its parent; a scalar's at the innermost collection.
        let parents = if scalar {
            &self.open[..]
        } else {
            &self.open[..self.open.len().saturating_sub(1)]
        };
        LoadError::Node {
            message,
            mark,
            path: path_text(parents.iter().filter_map(step_into)),
            duplicate_key: false,
        }
    }
}

/// Records, in every open anchored collection (`anchored` indexes `open`), the first
/// collection seen at each depth: `levels[i]` starts at `depth + i` (one collection, or a
/// repeated value's levels).
fn reach_levels(open: &mut [Open], anchored: &[usize], depth: usize, levels: &[Mark]) {
    for &index in anchored {
        let Some(anchor) = open[index].anchor.as_mut() else {
            continue;
        };
        for (below, level) in levels.iter().enumerate() {
            if anchor.levels.len() == depth - index + below {
                anchor.levels.push(*level);
            }
        }
    }
}

/// The step from `parent` to the child it is reading: a list's next index, a mapping key's
/// value, or no step for a mapping key itself (serde_yaml names a key by its mapping).
fn step_into(parent: &Open) -> Option<Step<'_>> {
    match &parent.content {
        Content::List(items) => Some(Step::Index(items.len())),
        Content::Mapping { key: None, .. } => None,
        Content::Mapping {
            key: Some((text, written)),
            ..
        } => Some(match written {
            KeyText::Same => Step::Key(text),
            KeyText::Written(written) => Step::Key(written),
            KeyText::Unknown => Step::Key("?"),
        }),
    }
}

impl Anchors {
    fn define_open(&mut self, name: Box<[u8]>, index: usize) -> usize {
        self.define(name, Anchored::Open { index })
    }

    /// A scalar is done as soon as it is read, and holds no aliases or collections.
    fn define_scalar(&mut self, name: Box<[u8]>, value: Value) {
        let done = Done {
            value,
            repeats: 0,
            levels: Vec::new(),
        };
        self.define(name, Anchored::Done(done));
    }

    fn define(&mut self, name: Box<[u8]>, node: Anchored) -> usize {
        let id = self.nodes.len();
        self.nodes.push(node);
        self.latest.insert(name, id);
        id
    }

    /// Keeps a finished anchored collection for its aliases, unless its name now means a
    /// later anchor (then nothing can repeat it, and no copy is kept).
    fn close(&mut self, anchor: &OpenAnchor, value: impl FnOnce() -> Value, repeats: usize) {
        self.nodes[anchor.id] = if self.latest.get(&anchor.name) == Some(&anchor.id) {
            Anchored::Done(Done {
                value: value(),
                repeats,
                levels: anchor.levels.clone(),
            })
        } else {
            Anchored::Unreachable
        };
    }
}

/// A mapping key as JSON text: any scalar (`200` → `"200"`, `~` → `"null"`).
fn key_text(value: Value) -> Result<String, &'static str> {
    match value {
        Value::String(text) => Ok(text),
        Value::Null => Ok("null".to_owned()),
        Value::Bool(truth) => Ok(truth.to_string()),
        Value::Number(number) => Ok(number.to_string()),
        Value::Array(_) | Value::Object(_) => Err(
            "a mapping key is itself a list or mapping; keys must be plain text such as a name, a path or a status code",
        ),
    }
}

/// How many events serde_yaml would have held for the first document of `text`: up to the
/// document's end, its first syntax error or its first alias to an undefined anchor.
fn count_events(text: &str) -> usize {
    let Ok(mut reader) = EventReader::new(text) else {
        return 0;
    };
    let mut defined: HashSet<Box<[u8]>> = HashSet::new();
    let mut count = 0;
    loop {
        let Ok((event, _)) = reader.next_event() else {
            return count;
        };
        match event {
            Event::StreamStart | Event::DocumentStart => continue,
            Event::StreamEnd | Event::DocumentEnd => return count,
            Event::Alias { anchor } if !defined.contains(&anchor) => return count,
            Event::Scalar {
                anchor: Some(anchor),
                ..
            }
            | Event::SequenceStart {
                anchor: Some(anchor),
            }
            | Event::MappingStart {
                anchor: Some(anchor),
            } => {
                defined.insert(anchor);
            }
            _ => {}
        }
        count += 1;
    }
}

/// Which keys a mapping being read already has: a scan of the few entries most mappings have,
/// and hashes of the keys once there are more (a large `paths` or `schemas` mapping).
#[derive(Default)]
struct SeenKeys(Option<HashSet<u64>>);

impl SeenKeys {
    const SCAN_UP_TO: usize = 16;

    /// Whether `key` is among `entries`' keys; every key asked about is then taken as seen.
    fn repeats(&mut self, entries: &[(String, Value)], key: &str) -> bool {
        if entries.len() < Self::SCAN_UP_TO {
            return entries.iter().any(|(seen, _)| seen == key);
        }
        let hashes = self
            .0
            .get_or_insert_with(|| entries.iter().map(|(seen, _)| hash(seen)).collect());
        // A new hash is a new key; a known one is checked against the keys themselves, since
        // two keys may share a hash.
        !hashes.insert(hash(key)) && entries.iter().any(|(seen, _)| seen == key)
    }
}

fn hash(key: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(key)
}
