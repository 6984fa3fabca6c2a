//! The few expressions, patterns and headers the printed items use, laid out with the blocks and breaks prettyplease uses for them, so their lines break where prettyplease breaks them.
//!
//! Each function names the prettyplease printer it follows (`expr_method_call`, `arm`, …).
//! Only the shapes the printers (`super::models`, `super::params`, `super::methods` and
//! `super::testing`) write are here: paths, literals, calls, method calls, closures, field
//! access, `.await`, `&`, `?`, assignment, tuple-struct and or-patterns, `if let`, `let`,
//! `impl` headers and members, and method signatures.
//! `super::printed_check` compares the result with prettyplease's.

use super::layout::{BreakSpec, INDENT, Layout, laid_out};
use super::text::generic;
use std::borrow::Cow;

/// An expression of the kinds the printed items use.
pub enum Expr<'a> {
    /// A path or a literal, printed as it is.
    Word(Cow<'static, str>),
    Call(&'a str, Vec<Expr<'a>>),
    Method(Box<Expr<'a>>, &'a str, Vec<Expr<'a>>),
    /// `|parameters| body`.
    Closure(Vec<&'a str>, Box<Expr<'a>>),
    /// `expression?`.
    Try(Box<Expr<'a>>),
    /// `base.member`.
    Field(Box<Expr<'a>>, &'a str),
    /// `place = value`.
    Assign(Box<Expr<'a>>, Box<Expr<'a>>),
    /// `expression.await`.
    Await(Box<Expr<'a>>),
    /// `&expression`.
    Ref(Box<Expr<'a>>),
}

impl<'a> Expr<'a> {
    pub fn word(text: impl Into<Cow<'static, str>>) -> Self {
        Self::Word(text.into())
    }

    pub fn call(function: &'a str, arguments: Vec<Expr<'a>>) -> Self {
        Self::Call(function, arguments)
    }

    pub fn method(self, name: &'a str, arguments: Vec<Expr<'a>>) -> Self {
        Self::Method(Box::new(self), name, arguments)
    }

    pub fn closure(parameter: &'a str, body: Expr<'a>) -> Self {
        Self::Closure(vec![parameter], Box::new(body))
    }

    pub fn closure_of(parameters: Vec<&'a str>, body: Expr<'a>) -> Self {
        Self::Closure(parameters, Box::new(body))
    }

    pub fn field(self, member: &'a str) -> Self {
        Self::Field(Box::new(self), member)
    }

    pub fn awaited(self) -> Self {
        Self::Await(Box::new(self))
    }

    /// prettyplease's `is_short_ident`: a receiver this short keeps its method on its line.
    fn is_short_ident(&self) -> bool {
        match self {
            Self::Word(word) => {
                word.len() <= INDENT as usize
                    && word.chars().all(|c| c.is_alphanumeric() || c == '_')
            }
            _ => false,
        }
    }
}

/// A pattern: a path or literal, `Path(elements)`, or literals joined by `|`.
pub enum Pat<'a> {
    Word(String),
    TupleStruct(&'a str, Vec<Pat<'a>>),
    /// Alternatives that are all literals (prettyplease breaks these inconsistently).
    LiteralOr(Vec<String>),
}

/// `expr`: an expression not at the start of a line.
pub fn expr(layout: &mut Layout, expression: &Expr<'_>) {
    match expression {
        Expr::Word(word) => layout.word(word.clone()),
        Expr::Call(function, arguments) => {
            layout.copied(function);
            layout.word("(");
            call_args(layout, arguments);
            layout.word(")");
        }
        Expr::Method(..) => method_call(layout, expression, false),
        Expr::Closure(parameters, body) => closure(layout, parameters, body),
        Expr::Try(_) | Expr::Field(..) | Expr::Await(_) => {
            beginning_of_line(layout, expression, false)
        }
        Expr::Ref(inner) => {
            layout.word("&");
            expr(layout, inner);
        }
        Expr::Assign(place, value) => {
            layout.ibox(0);
            expr(layout, place);
            layout.word(" = ");
            layout.neverbreak();
            expr(layout, value);
            layout.end();
        }
    }
}

/// The expression on one line, as the token emitters take it ([`super::tokens::lexed`]).
pub fn expr_text(expression: &Expr<'_>) -> String {
    super::layout::unbroken_text(|layout| expr(layout, expression))
}

/// A statement of one expression (`expression;` with `semicolon`), ending in a line break.
pub fn expression_statement(layout: &mut Layout, expression: &Expr<'_>, semicolon: bool) {
    layout.ibox(0);
    beginning_of_line(layout, expression, true);
    if semicolon {
        layout.word(";");
    }
    layout.end();
    layout.hardbreak();
}

/// `expr_beginning_of_line`.
pub fn beginning_of_line(layout: &mut Layout, expression: &Expr<'_>, at_start: bool) {
    match expression {
        Expr::Method(..) => method_call(layout, expression, at_start),
        // `expr_field` and `expr_await`: the member (or `.await`) may go to the next line.
        Expr::Field(..) | Expr::Await(_) => {
            layout.cbox(INDENT);
            prefix_subexpr(layout, expression, at_start);
            layout.end();
        }
        Expr::Try(inner) => {
            beginning_of_line(layout, inner, at_start);
            layout.word("?");
        }
        _ => expr(layout, expression),
    }
}

/// `expr_method_call`.
fn method_call(layout: &mut Layout, expression: &Expr<'_>, at_start: bool) {
    layout.cbox(INDENT);
    let unindent = match expression {
        Expr::Method(receiver, ..) => at_start && receiver.is_short_ident(),
        _ => false,
    };
    prefix_method_call(layout, expression, at_start, unindent);
    layout.end();
}

/// `prefix_subexpr_method_call`.
fn prefix_method_call(layout: &mut Layout, expression: &Expr<'_>, at_start: bool, unindent: bool) {
    let Expr::Method(receiver, name, arguments) = expression else {
        return prefix_subexpr(layout, expression, at_start);
    };
    dot_after(layout, receiver, at_start);
    layout.formatted(format_args!(".{name}"));
    layout.cbox(if unindent { -INDENT } else { 0 });
    layout.word("(");
    call_args(layout, arguments);
    layout.word(")");
    layout.end();
}

/// `prefix_subexpr`: the receiver of a method call.
fn prefix_subexpr(layout: &mut Layout, expression: &Expr<'_>, at_start: bool) {
    match expression {
        Expr::Call(function, arguments) => {
            layout.cbox(-INDENT);
            layout.copied(function);
            layout.end();
            layout.word("(");
            call_args(layout, arguments);
            layout.word(")");
        }
        Expr::Method(..) => prefix_method_call(layout, expression, at_start, false),
        Expr::Try(inner) => {
            prefix_subexpr(layout, inner, at_start);
            layout.word("?");
        }
        // `prefix_subexpr_field` and `prefix_subexpr_await`.
        Expr::Field(base, member) => {
            dot_after(layout, base, at_start);
            layout.formatted(format_args!(".{member}"));
        }
        Expr::Await(base) => {
            dot_after(layout, base, at_start);
            layout.word(".await");
        }
        _ => {
            layout.cbox(-INDENT);
            expr(layout, expression);
            layout.end();
        }
    }
}

/// `base` as the start of a chain, and the break before the `.` that follows it (none after a
/// short name at the start of a line).
fn dot_after(layout: &mut Layout, base: &Expr<'_>, at_start: bool) {
    prefix_subexpr(layout, base, at_start);
    if !(at_start && base.is_short_ident()) {
        layout.zerobreak();
    }
}

/// `call_args`: one argument a line when they do not fit; a lone closure is not wrapped.
fn call_args(layout: &mut Layout, arguments: &[Expr<'_>]) {
    match arguments {
        [] => {}
        [single @ Expr::Closure(..)] => expr(layout, single),
        _ => layout.comma_block(INDENT, arguments, expr),
    }
}

/// `expr_closure` with untyped parameters and a body that is not a block: prettyplease
/// wraps the body in braces when it breaks, unless it is a call.
fn closure(layout: &mut Layout, parameters: &[&str], body: &Expr<'_>) {
    layout.ibox(0);
    layout.cbox(INDENT);
    layout.word("|");
    for (index, parameter) in parameters.iter().enumerate() {
        if index == 0 {
            layout.zerobreak();
        } else {
            layout.word(",");
            layout.space();
        }
        layout.copied(parameter);
    }
    layout.word("|");
    layout.space();
    layout.offset(-INDENT);
    layout.end();
    layout.neverbreak();
    if matches!(body, Expr::Call(..)) {
        // A call breaks inside its own parentheses.
        expr(layout, body);
    } else {
        layout.cbox(INDENT);
        layout.break_with(BreakSpec {
            pre_break: Some('{'),
            ..BreakSpec::default()
        });
        expr(layout, body);
        layout.break_with(BreakSpec {
            offset: -INDENT,
            post_break: "}",
            ..BreakSpec::default()
        });
        layout.end();
    }
    layout.end();
}

pub fn pat(layout: &mut Layout, pattern: &Pat<'_>) {
    match pattern {
        Pat::Word(word) => layout.copied(word),
        Pat::TupleStruct(path, elements) => {
            layout.formatted(format_args!("{path}("));
            layout.comma_block(INDENT, elements, pat);
            layout.word(")");
        }
        Pat::LiteralOr(cases) => {
            layout.ibox(0);
            for (index, case) in cases.iter().enumerate() {
                if index > 0 {
                    layout.space();
                    layout.word("| ");
                }
                layout.copied(case);
            }
            layout.end();
        }
    }
}

/// `arm`, for a body that is not a block: `pattern => body,` on one line, or the body in
/// braces on lines of its own. The line break after it is the caller's.
pub fn arm(layout: &mut Layout, pattern: &Pat<'_>, body: &Expr<'_>) {
    layout.ibox(0);
    pat(layout, pattern);
    layout.word(" => ");
    layout.neverbreak();
    layout.cbox(INDENT);
    layout.break_with(BreakSpec {
        pre_break: Some('{'),
        ..BreakSpec::default()
    });
    beginning_of_line(layout, body, true);
    layout.break_with(BreakSpec {
        offset: -INDENT,
        post_break: "}",
        no_break: Some(','),
        ..BreakSpec::default()
    });
    layout.end();
    layout.end();
}

/// The statement `if let pattern = value { return result; }`, ending in a line break.
pub fn if_let_return(layout: &mut Layout, pattern: &Pat<'_>, value: &Expr<'_>, result: &Expr<'_>) {
    layout.ibox(0);
    layout.cbox(INDENT);
    layout.word("if ");
    layout.cbox(-INDENT);
    // `expr_condition` around `expr_let`; a method call needs a new line before the block
    // when the condition breaks.
    layout.cbox(0);
    layout.ibox(0);
    layout.word("let ");
    layout.ibox(0);
    pat(layout, pattern);
    layout.end();
    layout.word(" = ");
    layout.neverbreak();
    layout.ibox(0);
    expr(layout, value);
    layout.end();
    layout.end();
    if matches!(value, Expr::Method(..)) {
        layout.space();
    } else {
        layout.word(" ");
    }
    layout.end();
    layout.end();
    layout.word("{");
    layout.hardbreak();
    layout.ibox(0);
    layout.word("return ");
    expr(layout, result);
    layout.word(";");
    layout.end();
    layout.hardbreak();
    layout.offset(-INDENT);
    layout.word("}");
    layout.end();
    layout.end();
    layout.hardbreak();
}

/// The statement `let name = value;`, ending in a line break.
pub fn let_statement(layout: &mut Layout, name: &str, value: &Expr<'_>) {
    layout.ibox(0);
    layout.formatted(format_args!("let {name} = "));
    layout.neverbreak();
    expr(layout, value);
    layout.end();
    layout.word(";");
    layout.hardbreak();
}

/// `item_impl`'s header: `impl<generics> Trait for Type {` (`impl Type {` without a trait),
/// which breaks before `for` when it does not fit, then a line break. `self_type` lays out
/// the type.
pub fn impl_header(
    layout: &mut Layout,
    generics: &str,
    trait_path: &'static str,
    self_type: impl FnOnce(&mut Layout),
) {
    layout.cbox(INDENT);
    layout.ibox(-INDENT);
    layout.cbox(INDENT);
    layout.word("impl");
    if !generics.is_empty() {
        // `generics`: one lifetime, in a block that never needs to break.
        layout.word("<");
        layout.cbox(0);
        layout.zerobreak();
        layout.copied(generics);
        layout.trailing_comma(true);
        layout.offset(-INDENT);
        layout.end();
        layout.word(">");
    }
    layout.end();
    layout.word(" ");
    if !trait_path.is_empty() {
        trait_path_layout(layout, trait_path);
        layout.space();
        layout.word("for ");
    }
    self_type(layout);
    layout.end();
    layout.word(" {");
    layout.hardbreak();
    layout.end();
}

/// [`impl_header`] on a line of its own, at the start of the line.
pub fn impl_line(
    out: &mut String,
    generics: &str,
    trait_path: &'static str,
    self_type: impl FnOnce(&mut Layout),
) {
    laid_out(out, 0, |layout| {
        layout.cbox(0);
        impl_header(layout, generics, trait_path, self_type);
        layout.end();
    });
}

/// Member `index` of the `count` members of an inherent `impl` block, printed as prettyplease
/// prints the whole block: the first member opens the block (`impl<generics> Type {`), the
/// last one closes it, and each is laid out by `member` one level in.
pub fn inherent_impl_member(
    generics: &str,
    self_type: impl FnOnce(&mut Layout),
    (index, count): (usize, usize),
    member: impl FnOnce(&mut Layout),
) -> String {
    let mut out = String::new();
    if index == 0 {
        impl_line(&mut out, generics, "", self_type);
    }
    laid_out(&mut out, INDENT as usize, |layout| {
        // The block's own box, broken, so an attribute's break ends its line.
        layout.cbox(0);
        member(layout);
        layout.end();
    });
    if index + 1 == count {
        out.push_str("}\n");
    }
    out
}

/// A trait path with at most one generic argument (`::serde::Deserialize<'de>`).
fn trait_path_layout(layout: &mut Layout, path: &'static str) {
    match path.split_once('<') {
        Some((base, argument)) => generic(layout, base, |layout| {
            layout.word(argument.trim_end_matches('>'));
            layout.trailing_comma(true);
        }),
        None => layout.word(path),
    }
}

/// `impl_item_fn` up to its body: `header(parameters) -> Return {`, the parameters one a line
/// when the line does not fit, the return type laid out by `returns`. Opens the method's
/// block, which [`Layout::close_block`] ends after its statements.
pub fn method_open<T>(
    layout: &mut Layout,
    header: &str,
    parameters: &[T],
    parameter: impl FnMut(&mut Layout, &T),
    returns: impl FnOnce(&mut Layout),
) {
    layout.cbox(INDENT);
    layout.formatted(format_args!("{header}("));
    layout.neverbreak();
    if !parameters.is_empty() {
        // Inside the method's own block, so a broken list is already one level in.
        layout.comma_block(0, parameters, parameter);
    }
    layout.word(")");
    layout.cbox(-INDENT);
    layout.word(" -> ");
    returns(layout);
    layout.end();
    layout.word(" {");
    layout.hardbreak();
}

/// `impl Type {` for an inherent impl, whose header never breaks. Opens the block, which
/// [`Layout::close_block`] ends after its members.
pub fn inherent_impl_open(layout: &mut Layout, self_type: &str) {
    layout.cbox(INDENT);
    layout.formatted(format_args!("impl {self_type} {{"));
    layout.hardbreak();
}
