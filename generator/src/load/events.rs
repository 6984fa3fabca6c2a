//! A safe, pull-based reader of libyaml's parse events: the same parser serde_yaml drives, read
//! one event at a time so that no list of every event in the document is ever held.
//!
//! This is the only place the loader touches `unsafe` code. Every call follows libyaml's
//! contract: the parser stays at one heap address from initialisation to deletion (libyaml
//! keeps a pointer to it for its string reader), the input outlives it, and every event it
//! hands out is deleted exactly once after its fields have been copied.

use std::ffi::{CStr, c_char};
use std::fmt;
use std::marker::PhantomData;
use std::ptr::NonNull;
use unsafe_libyaml as unsafe_sys;

/// Where an event starts: a byte offset and a zero-based line and column, as libyaml counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Mark {
    pub index: u64,
    pub line: u64,
    pub column: u64,
}

impl Mark {
    fn from_sys(mark: unsafe_sys::yaml_mark_t) -> Mark {
        Mark {
            index: mark.index,
            line: mark.line,
            column: mark.column,
        }
    }

    /// libyaml leaves marks at zero when it knows no position.
    pub(crate) fn is_known(self) -> bool {
        self.line != 0 || self.column != 0
    }
}

impl fmt::Display for Mark {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_known() {
            write!(
                formatter,
                "line {} column {}",
                self.line + 1,
                self.column + 1
            )
        } else {
            write!(formatter, "position {}", self.index)
        }
    }
}

/// What a node's tag asks of its value. Only scalars' tags matter: collection tags are dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tag {
    /// No tag, or a local one (`!Name`, the bare `!`), which is dropped: a plain scalar's type
    /// comes from its text.
    None,
    /// One of the four core types a tag can force (`!!bool`, `!!int`, `!!float`, `!!null`).
    Bool,
    Int,
    Float,
    Null,
    /// Any other global tag (`!!str`, `!!binary`, a `%TAG` prefix): the value is its text.
    Other,
}

impl Tag {
    fn from_bytes(tag: &[u8]) -> Tag {
        match tag {
            b"tag:yaml.org,2002:bool" => Tag::Bool,
            b"tag:yaml.org,2002:int" => Tag::Int,
            b"tag:yaml.org,2002:float" => Tag::Float,
            b"tag:yaml.org,2002:null" => Tag::Null,
            [b'!', ..] => Tag::None,
            _ => Tag::Other,
        }
    }
}

/// One parse event, with what the loader needs of it copied out of libyaml's memory.
#[derive(Debug)]
pub(crate) enum Event {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias {
        anchor: Box<[u8]>,
    },
    Scalar {
        anchor: Option<Box<[u8]>>,
        tag: Tag,
        /// The scalar's text after YAML's escapes and folding.
        value: Vec<u8>,
        /// Plain (unquoted, not a block scalar): only these are typed by their text.
        plain: bool,
    },
    SequenceStart {
        anchor: Option<Box<[u8]>>,
    },
    SequenceEnd,
    MappingStart {
        anchor: Option<Box<[u8]>>,
    },
    MappingEnd,
}

/// libyaml's account of a syntax error, worded as serde_yaml words it.
#[derive(Debug, Clone)]
pub(crate) struct SyntaxError {
    problem: String,
    problem_offset: u64,
    pub(crate) problem_mark: Mark,
    context: Option<String>,
    context_mark: Mark,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.problem)?;
        if self.problem_mark.is_known() {
            write!(formatter, " at {}", self.problem_mark)?;
        } else if self.problem_offset != 0 {
            write!(formatter, " at position {}", self.problem_offset)?;
        }
        if let Some(context) = &self.context {
            write!(formatter, ", {context}")?;
            if self.context_mark.is_known() && self.context_mark != self.problem_mark {
                write!(formatter, " at {}", self.context_mark)?;
            }
        }
        Ok(())
    }
}

/// Reads the events of `text`, in order, until the stream ends or the first error.
pub(crate) struct EventReader<'text> {
    parser: NonNull<unsafe_sys::yaml_parser_t>,
    /// libyaml reads `text` through a raw pointer for as long as the parser lives.
    text: PhantomData<&'text str>,
}

impl<'text> EventReader<'text> {
    pub(crate) fn new(text: &'text str) -> Result<Self, SyntaxError> {
        let parser =
            NonNull::from(Box::leak(Box::<unsafe_sys::yaml_parser_t>::new_uninit())).cast();
        // SAFETY: `parser` is a fresh, exclusively owned allocation of the right size and
        // alignment; yaml_parser_initialize zeroes and fills it. The input pointer and length
        // describe `text`, which outlives the reader (`'text`); the parser is freed in `Drop`.
        unsafe {
            if unsafe_sys::yaml_parser_initialize(parser.as_ptr()).fail {
                let error = syntax_error(parser.as_ptr());
                drop(Box::from_raw(
                    parser
                        .cast::<std::mem::MaybeUninit<unsafe_sys::yaml_parser_t>>()
                        .as_ptr(),
                ));
                return Err(error);
            }
            unsafe_sys::yaml_parser_set_encoding(parser.as_ptr(), unsafe_sys::YAML_UTF8_ENCODING);
            unsafe_sys::yaml_parser_set_input_string(
                parser.as_ptr(),
                text.as_ptr(),
                text.len() as u64,
            );
        }
        Ok(EventReader {
            parser,
            text: PhantomData,
        })
    }

    /// The next event and where it starts.
    pub(crate) fn next_event(&mut self) -> Result<(Event, Mark), SyntaxError> {
        let mut raw = std::mem::MaybeUninit::<unsafe_sys::yaml_event_t>::uninit();
        // SAFETY: the parser is initialised and owned by `self`. When yaml_parser_parse
        // succeeds it has written a whole event into `raw`, whose strings stay valid until
        // yaml_event_delete, which runs once, after `copy_event` has copied them.
        unsafe {
            let parser = self.parser.as_ptr();
            if (&*parser).error != unsafe_sys::YAML_NO_ERROR
                || unsafe_sys::yaml_parser_parse(parser, raw.as_mut_ptr()).fail
            {
                return Err(syntax_error(parser));
            }
            let raw = raw.as_mut_ptr();
            let copied = copy_event(&*raw);
            let mark = Mark::from_sys((*raw).start_mark);
            unsafe_sys::yaml_event_delete(raw);
            Ok((copied, mark))
        }
    }
}

impl Drop for EventReader<'_> {
    fn drop(&mut self) {
        // SAFETY: the parser was initialised in `new` and is deleted only here; the box it
        // lives in came from `Box::leak` in `new`, and libyaml has released its own buffers.
        unsafe {
            unsafe_sys::yaml_parser_delete(self.parser.as_ptr());
            drop(Box::from_raw(
                self.parser
                    .cast::<std::mem::MaybeUninit<unsafe_sys::yaml_parser_t>>()
                    .as_ptr(),
            ));
        }
    }
}

/// Copies what the loader uses out of an event libyaml owns.
///
/// # Safety
/// `raw` must be an event yaml_parser_parse has just filled and not yet deleted.
unsafe fn copy_event(raw: &unsafe_sys::yaml_event_t) -> Event {
    // SAFETY (each block): the union field read is the one `type_` says is filled, and its
    // pointers are libyaml's NUL-terminated strings or a `length`-byte value buffer.
    match raw.type_ {
        unsafe_sys::YAML_STREAM_START_EVENT => Event::StreamStart,
        unsafe_sys::YAML_STREAM_END_EVENT => Event::StreamEnd,
        unsafe_sys::YAML_DOCUMENT_START_EVENT => Event::DocumentStart,
        unsafe_sys::YAML_DOCUMENT_END_EVENT => Event::DocumentEnd,
        unsafe_sys::YAML_ALIAS_EVENT => Event::Alias {
            anchor: unsafe { c_bytes(raw.data.alias.anchor) }.unwrap_or_default(),
        },
        unsafe_sys::YAML_SCALAR_EVENT => unsafe {
            let scalar = raw.data.scalar;
            let value = if scalar.value.is_null() || scalar.length == 0 {
                Vec::new()
            } else {
                std::slice::from_raw_parts(scalar.value, scalar.length as usize).to_vec()
            };
            Event::Scalar {
                anchor: c_bytes(scalar.anchor),
                tag: c_bytes(scalar.tag).map_or(Tag::None, |tag| Tag::from_bytes(&tag)),
                value,
                plain: scalar.style == unsafe_sys::YAML_PLAIN_SCALAR_STYLE,
            }
        },
        unsafe_sys::YAML_SEQUENCE_START_EVENT => Event::SequenceStart {
            anchor: unsafe { c_bytes(raw.data.sequence_start.anchor) },
        },
        unsafe_sys::YAML_SEQUENCE_END_EVENT => Event::SequenceEnd,
        unsafe_sys::YAML_MAPPING_START_EVENT => Event::MappingStart {
            anchor: unsafe { c_bytes(raw.data.mapping_start.anchor) },
        },
        unsafe_sys::YAML_MAPPING_END_EVENT => Event::MappingEnd,
        // libyaml ends every collection it starts, so nothing else reaches here; were it to,
        // ending the stream lets the builder report an incomplete document, not crash.
        _ => Event::StreamEnd,
    }
}

/// A copy of a NUL-terminated libyaml string, or `None` for a null pointer.
///
/// # Safety
/// `text` must be null or point to a NUL-terminated string.
unsafe fn c_bytes(text: *const u8) -> Option<Box<[u8]>> {
    if text.is_null() {
        return None;
    }
    // SAFETY: non-null and NUL-terminated, by the caller's contract.
    Some(Box::from(
        unsafe { CStr::from_ptr(text.cast::<c_char>()) }.to_bytes(),
    ))
}

/// The error libyaml has recorded in `parser`.
///
/// # Safety
/// `parser` must be an initialised parser.
unsafe fn syntax_error(parser: *const unsafe_sys::yaml_parser_t) -> SyntaxError {
    // SAFETY: libyaml's problem and context are null or static NUL-terminated strings, and
    // nothing else refers to the parser while its fields are read.
    unsafe {
        let parser = &*parser;
        let text = |pointer: *const c_char| {
            (!pointer.is_null()).then(|| CStr::from_ptr(pointer).to_string_lossy().into_owned())
        };
        SyntaxError {
            problem: text(parser.problem)
                .unwrap_or_else(|| "libyaml parser failed but there is no error".to_owned()),
            problem_offset: parser.problem_offset,
            problem_mark: Mark::from_sys(parser.problem_mark),
            context: text(parser.context),
            context_mark: Mark::from_sys(parser.context_mark),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(text: &str) -> Vec<Event> {
        let mut reader = EventReader::new(text).unwrap();
        let mut all = Vec::new();
        loop {
            let (event, _) = reader.next_event().unwrap();
            let end = matches!(event, Event::StreamEnd);
            all.push(event);
            if end {
                return all;
            }
        }
    }

    #[test]
    fn scalars_carry_their_style_tag_and_anchor() {
        let all = events("a: &x !!int '5'\nb: *x\n");
        let scalar = all.iter().find_map(|event| match event {
            Event::Scalar {
                anchor: Some(anchor),
                tag,
                value,
                plain,
            } => Some((anchor.to_vec(), *tag, value.clone(), *plain)),
            _ => None,
        });
        assert_eq!(
            scalar,
            Some((b"x".to_vec(), Tag::Int, b"5".to_vec(), false))
        );
        assert!(
            all.iter()
                .any(|event| matches!(event, Event::Alias { anchor } if &**anchor == b"x"))
        );
    }

    #[test]
    fn syntax_errors_say_where() {
        let mut reader = EventReader::new("a: [1, 2\nb: c\n").unwrap();
        let error = loop {
            match reader.next_event() {
                Ok((Event::StreamEnd, _)) => panic!("the flow sequence is never closed"),
                Ok(_) => {}
                Err(error) => break error,
            }
        };
        assert_eq!(error.problem_mark.line, 1);
        assert_eq!(
            error.to_string(),
            "did not find expected ',' or ']' at line 2 column 2, while parsing a flow sequence at line 1 column 4"
        );
    }
}
