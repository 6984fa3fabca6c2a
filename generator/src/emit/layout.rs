//! Line breaking for printed Rust: blocks, breaks and words in, text out, broken where prettyplease's algorithm (Oppen's, with its margins) would break it.
//!
//! The models and parameter structs are printed as text straight from the IR
//! (`super::models`, `super::params`), a fraction of the work of building tokens, re-parsing
//! them with syn and printing them with prettyplease (docs/PERFORMANCE.md). To keep the output
//! byte for byte what prettyplease made of it, the parts of an item that can break (attribute
//! lists, generic arguments, signatures, struct literals) are laid out here by the same rules
//! prettyplease follows:
//!
//! - A block is printed on one line when everything from its start to the first break after
//!   its end fits in the space left on the line; otherwise it is broken. A consistent block,
//!   when broken, breaks at every one of its breaks.
//! - The space on a line is [`MARGIN`] columns less the indentation, but never below
//!   [`MIN_SPACE`].
//!
//! This is an offline formulation: the whole sequence is known, so each block's and break's
//! width is measured first and the text printed after, instead of Oppen's streaming buffer.
//! `super::printed_check` compares what is printed with prettyplease's output, in the models'
//! and parameter structs' tests.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt::Write;

/// The column the text should stay within (prettyplease's).
pub const MARGIN: usize = 89;
/// The least space a line is given however deep it is indented (prettyplease's).
const MIN_SPACE: isize = 60;
/// Wider than any line: a hard break, or a block forced to break.
const INFINITE: isize = 0xffff;
/// A margin every stretch fits in except one with a hard break.
const UNBROKEN_MARGIN: isize = INFINITE - 1;
/// One level of indentation.
pub const INDENT: isize = 4;

/// A word's text: a fixed string, or a stretch of the layout's own text ([`Layout::texts`]),
/// so that a word made on the fly is neither allocated nor freed on its own.
#[derive(Clone, Copy)]
enum Word {
    Fixed(&'static str),
    Copied { start: usize, end: usize },
}

impl Word {
    fn len(self) -> usize {
        match self {
            Word::Fixed(text) => text.len(),
            Word::Copied { start, end } => end - start,
        }
    }
}

enum Token {
    Text(Word),
    /// Counts as infinitely wide: the enclosing block cannot stay on one line.
    Force,
    Begin {
        offset: isize,
        consistent: bool,
    },
    End,
    Break {
        blank: isize,
        offset: isize,
        pre_break: Option<char>,
        /// Printed at the start of the new line when the break is taken.
        post_break: &'static str,
        /// Printed instead when it is not.
        no_break: Option<char>,
        /// Never a new line, but still the end of the stretch before it.
        never: bool,
    },
}

/// A break with all its options, for the few places that need more than a space.
#[derive(Clone, Copy, Default)]
pub struct BreakSpec {
    pub offset: isize,
    pub pre_break: Option<char>,
    pub post_break: &'static str,
    pub no_break: Option<char>,
}

/// A run of words, blocks and breaks, printed with [`Layout::finish`].
pub struct Layout {
    tokens: Vec<Token>,
    /// The words that are not fixed strings, one after another.
    texts: String,
    /// Indices of the open blocks' `Begin`s, for `end_with_max_width`.
    open: Vec<usize>,
    base_indent: usize,
    margin: isize,
}

impl Layout {
    /// A layout whose first line starts at column `base_indent`, already indented.
    pub fn new(base_indent: usize) -> Self {
        #[cfg(test)]
        let margin = if tests::UNBROKEN.get() {
            UNBROKEN_MARGIN
        } else {
            MARGIN as isize
        };
        #[cfg(not(test))]
        let margin = MARGIN as isize;
        let Building {
            tokens,
            texts,
            open,
        } = SPARE_BUILDING.take();
        Self {
            tokens,
            texts,
            open,
            base_indent,
            margin,
        }
    }

    /// A layout that breaks only at its hard breaks.
    pub fn unbroken() -> Self {
        Self {
            margin: UNBROKEN_MARGIN,
            ..Self::new(0)
        }
    }

    /// Text that never breaks. Most words are fixed strings, kept without a copy.
    pub fn word(&mut self, text: impl Into<Cow<'static, str>>) {
        match text.into() {
            Cow::Borrowed(fixed) => self.tokens.push(Token::Text(Word::Fixed(fixed))),
            Cow::Owned(made) => self.copied(&made),
        }
    }

    /// A word copied from text that is not kept.
    pub fn copied(&mut self, text: &str) {
        let start = self.texts.len();
        self.texts.push_str(text);
        self.push_copied(start);
    }

    /// A word written from `format_args!`, without making a string of its own.
    pub fn formatted(&mut self, text: std::fmt::Arguments<'_>) {
        let start = self.texts.len();
        // Writing to a String cannot fail.
        let _ = self.texts.write_fmt(text);
        self.push_copied(start);
    }

    fn push_copied(&mut self, start: usize) {
        let end = self.texts.len();
        self.tokens.push(Token::Text(Word::Copied { start, end }));
    }

    /// Opens a block that breaks at all of its breaks or none.
    pub fn cbox(&mut self, offset: isize) {
        self.begin(offset, true);
    }

    /// Opens a block that breaks only where the next stretch does not fit.
    pub fn ibox(&mut self, offset: isize) {
        self.begin(offset, false);
    }

    fn begin(&mut self, offset: isize, consistent: bool) {
        self.open.push(self.tokens.len());
        self.tokens.push(Token::Begin { offset, consistent });
    }

    pub fn end(&mut self) {
        self.open.pop();
        self.tokens.push(Token::End);
    }

    /// Ends a block, forcing it to break if it is wider than `max` on one line (prettyplease
    /// keeps struct literals on one line only up to 34 columns).
    pub fn end_with_max_width(&mut self, max: isize) {
        if let Some(&start) = self.open.last() {
            let width: isize = self.tokens[start..].iter().map(flat_width).sum();
            if width > max {
                self.tokens.push(Token::Force);
            }
        }
        self.end();
    }

    fn brk(&mut self, blank: isize, pre_break: Option<char>) {
        self.special_break(
            blank,
            BreakSpec {
                pre_break,
                ..BreakSpec::default()
            },
        );
    }

    /// A zero-width break with the options `spec` gives.
    pub fn break_with(&mut self, spec: BreakSpec) {
        self.special_break(0, spec);
    }

    fn special_break(&mut self, blank: isize, spec: BreakSpec) {
        self.tokens.push(Token::Break {
            blank,
            offset: spec.offset,
            pre_break: spec.pre_break,
            post_break: spec.post_break,
            no_break: spec.no_break,
            never: false,
        });
    }

    /// A break that is never taken, but ends the stretch measured before it (prettyplease puts
    /// one after a signature's `(`).
    pub fn neverbreak(&mut self) {
        self.tokens.push(Token::Break {
            blank: 0,
            offset: 0,
            pre_break: None,
            post_break: "",
            no_break: None,
            never: true,
        });
    }

    /// A break printed as nothing when the block fits.
    pub fn zerobreak(&mut self) {
        self.brk(0, None);
    }

    /// A break printed as a space when the block fits.
    pub fn space(&mut self) {
        self.brk(1, None);
    }

    /// Always a new line.
    pub fn hardbreak(&mut self) {
        self.brk(INFINITE, None);
    }

    /// After the last element of a list: nothing on one line, `,` and a new line when broken;
    /// between elements, `,` and a break.
    pub fn trailing_comma(&mut self, is_last: bool) {
        self.list_separator(is_last, 0);
    }

    /// As [`Self::trailing_comma`], but a space after the last element on one line.
    pub fn trailing_comma_or_space(&mut self, is_last: bool) {
        self.list_separator(is_last, 1);
    }

    fn list_separator(&mut self, is_last: bool, blank_after_last: isize) {
        if is_last {
            self.brk(blank_after_last, Some(','));
        } else {
            self.word(",");
            self.space();
        }
    }

    /// `items` one after another in a block, each followed by a comma when the block breaks
    /// (the last one too) and by `, ` between them when it does not. Broken, the items are
    /// indented by `offset` from the enclosing block's indentation, and whatever follows the
    /// block one level less.
    pub fn comma_block<T>(
        &mut self,
        offset: isize,
        items: &[T],
        mut each: impl FnMut(&mut Self, &T),
    ) {
        self.cbox(offset);
        self.zerobreak();
        for (index, item) in items.iter().enumerate() {
            each(self, item);
            self.trailing_comma(index + 1 == items.len());
        }
        self.offset(-INDENT);
        self.end();
    }

    /// The closing brace of a block opened one level in, after the line break that ends its
    /// last member, and a line break.
    pub fn close_block(&mut self) {
        self.offset(-INDENT);
        self.end();
        self.word("}");
        self.hardbreak();
    }

    /// Moves the last break's indentation by `offset` (a closing delimiter's line).
    pub fn offset(&mut self, offset: isize) {
        if let Some(Token::Break { offset: own, .. }) = self.tokens.last_mut() {
            *own += offset;
        }
    }

    /// The text, appended to `out`.
    pub fn finish(self, out: &mut String) {
        let Self {
            mut tokens,
            mut texts,
            mut open,
            base_indent,
            margin,
        } = self;
        let Printing {
            mut sizes,
            mut pending,
            frames,
        } = SPARE_PRINTING.take();
        let text_length = measure(&tokens, &mut sizes, &mut pending);
        // The words, and a guess at the indentation and line breaks between them.
        out.reserve(text_length + tokens.len() / 2);
        let mut printer = Printer {
            out,
            texts: &texts,
            margin,
            space: (margin - base_indent as isize).max(MIN_SPACE),
            indent: base_indent as isize,
            pending_indent: 0,
            frames,
        };
        for (token, &size) in tokens.drain(..).zip(&sizes) {
            printer.print(token, size);
        }
        let mut frames = printer.frames;
        open.clear();
        texts.clear();
        frames.clear();
        SPARE_BUILDING.set(Building {
            tokens,
            texts,
            open,
        });
        SPARE_PRINTING.set(Printing {
            sizes,
            pending,
            frames,
        });
    }
}

/// The working buffers of one layout, kept between layouts on each thread: the models are
/// tens of thousands of small layouts, and growing fresh buffers for each, a token at a time,
/// was a fifth of what printing them cost (docs/PERFORMANCE.md). A layout started while
/// another is open gets fresh ones; whichever finishes last leaves its buffers here.
///
/// Those a layout holds while it is built (taken by [`Layout::new`]).
#[derive(Default)]
struct Building {
    tokens: Vec<Token>,
    texts: String,
    open: Vec<usize>,
}

/// Those [`Layout::finish`] uses to measure and print.
#[derive(Default)]
struct Printing {
    sizes: Vec<isize>,
    pending: Vec<(usize, isize)>,
    frames: Vec<Frame>,
}

thread_local! {
    static SPARE_BUILDING: Cell<Building> = Cell::new(Building::default());
    static SPARE_PRINTING: Cell<Printing> = Cell::new(Printing::default());
}

/// Lays out a piece that starts a line at column `indent` and ends with a line break.
pub fn laid_out(out: &mut String, indent: usize, build: impl FnOnce(&mut Layout)) {
    push_spaces(out, indent);
    let mut layout = Layout::new(indent);
    build(&mut layout);
    layout.finish(out);
}

/// What `build` lays out, on one line (breaking only at hard breaks).
pub fn unbroken_text(build: impl FnOnce(&mut Layout)) -> String {
    let mut layout = Layout::unbroken();
    build(&mut layout);
    let mut out = String::new();
    layout.finish(&mut out);
    out
}

fn flat_width(token: &Token) -> isize {
    match token {
        Token::Text(word) => word.len() as isize,
        Token::Force => INFINITE,
        Token::Break { blank, .. } => *blank,
        Token::Begin { .. } | Token::End => 0,
    }
}

/// Each token's size as Oppen's algorithm defines it: a word its length; a block the width from
/// its start to the first break after its end that is not inside a later block; a break the
/// width from it (with its own blank) to the next break at its depth or shallower.
///
/// The sizes are written to `sizes`; `pending` is working space. Returns the length of the
/// words.
fn measure(tokens: &[Token], sizes: &mut Vec<isize>, pending: &mut Vec<(usize, isize)>) -> usize {
    sizes.clear();
    sizes.resize(tokens.len(), 0);
    // The Begins, Ends and Breaks whose size is not known yet, each with its position (the
    // flat width of everything before it).
    pending.clear();
    let mut total: isize = 0;
    let mut text_length = 0;
    for (index, token) in tokens.iter().enumerate() {
        match token {
            Token::Text(word) => {
                sizes[index] = flat_width(token);
                text_length += word.len();
            }
            Token::Force => sizes[index] = flat_width(token),
            Token::Begin { .. } | Token::End => pending.push((index, total)),
            Token::Break { .. } => {
                resolve_before_break(tokens, pending, sizes, total);
                pending.push((index, total));
            }
        }
        total += flat_width(token);
    }
    // Whatever is still pending runs to the end of the sequence.
    for (index, start) in pending.drain(..) {
        if !matches!(tokens[index], Token::End) {
            sizes[index] = total - start;
        }
    }
    text_length
}

/// At a break at position `total`: the blocks that ended since the last break at this depth
/// or shallower, the breaks inside them, and that last break all end their stretch here.
fn resolve_before_break(
    tokens: &[Token],
    pending: &mut Vec<(usize, isize)>,
    sizes: &mut [isize],
    total: isize,
) {
    let mut depth = 0usize;
    while let Some(&(index, start)) = pending.last() {
        match tokens[index] {
            Token::Begin { .. } => {
                if depth == 0 {
                    break;
                }
                pending.pop();
                sizes[index] = total - start;
                depth -= 1;
            }
            Token::End => {
                pending.pop();
                depth += 1;
            }
            Token::Break { .. } => {
                pending.pop();
                sizes[index] = total - start;
                if depth == 0 {
                    break;
                }
            }
            Token::Text(_) | Token::Force => {}
        }
    }
}

#[derive(Clone, Copy)]
enum Frame {
    Fits,
    Broken { indent: isize, consistent: bool },
}

struct Printer<'a> {
    out: &'a mut String,
    /// The layout's copied words.
    texts: &'a str,
    margin: isize,
    space: isize,
    indent: isize,
    pending_indent: isize,
    frames: Vec<Frame>,
}

impl Printer<'_> {
    fn print(&mut self, token: Token, size: isize) {
        match token {
            Token::Text(word) => {
                self.flush_indent();
                let text = match word {
                    Word::Fixed(text) => text,
                    Word::Copied { start, end } => &self.texts[start..end],
                };
                self.out.push_str(text);
                self.space -= text.len() as isize;
            }
            Token::Force => {}
            Token::Begin { offset, consistent } => {
                if size > self.space {
                    self.frames.push(Frame::Broken {
                        indent: self.indent,
                        consistent,
                    });
                    self.indent += offset;
                } else {
                    self.frames.push(Frame::Fits);
                }
            }
            Token::End => {
                if let Some(Frame::Broken { indent, .. }) = self.frames.pop() {
                    self.indent = indent;
                }
            }
            Token::Break {
                blank,
                offset,
                pre_break,
                post_break,
                no_break,
                never,
            } => {
                let top = self.frames.last().copied().unwrap_or(Frame::Broken {
                    indent: 0,
                    consistent: false,
                });
                let fits = never
                    || match top {
                        Frame::Fits => true,
                        Frame::Broken { consistent, .. } => !consistent && size <= self.space,
                    };
                if fits {
                    self.pending_indent += blank;
                    self.space -= blank;
                    if let Some(ch) = no_break {
                        self.out.push(ch);
                        self.space -= ch.len_utf8() as isize;
                    }
                } else {
                    if let Some(ch) = pre_break {
                        self.flush_indent();
                        self.out.push(ch);
                    }
                    self.out.push('\n');
                    let indent = self.indent + offset;
                    self.pending_indent = indent;
                    self.space = (self.margin - indent).max(MIN_SPACE);
                    if !post_break.is_empty() {
                        self.flush_indent();
                        self.out.push_str(post_break);
                        self.space -= post_break.len() as isize;
                    }
                }
            }
        }
    }

    fn flush_indent(&mut self) {
        push_spaces(self.out, usize::try_from(self.pending_indent).unwrap_or(0));
        self.pending_indent = 0;
    }
}

/// Appends `count` spaces: a slice at a time, where extending by a repeated `char` goes
/// through the growth check for each one (a word is flushed a million times on a big
/// document's models, mostly with no space or one).
fn push_spaces(out: &mut String, mut count: usize) {
    const SPACES: &str = "                                                                ";
    while count > 0 {
        let run = count.min(SPACES.len());
        out.push_str(&SPACES[..run]);
        count -= run;
    }
}

#[cfg(test)]
pub mod tests {
    use std::cell::Cell;

    thread_local! {
        /// Set by [`unbroken`]: every layout made meanwhile breaks only at hard breaks.
        pub static UNBROKEN: Cell<bool> = const { Cell::new(false) };
    }

    /// What `build` prints when nothing but the hard breaks may break a line. Breaking lines
    /// must not change what the text means (a closure body wrapped in braces would), so tests
    /// compare the syntax of the two.
    pub fn unbroken<T>(build: impl FnOnce() -> T) -> T {
        UNBROKEN.set(true);
        let made = build();
        UNBROKEN.set(false);
        made
    }
}
