//! Operation methods printed as text: one operation's methods (the call, its `_with` twin taking the optional parameters, and for lists the `_all` streams) in, the members of its group's `impl` block out, laid out as prettyplease lays them out.
//!
//! Two forms are still built as tokens by [`super::resources`] and formatted by prettyplease:
//! operations with several success responses (their decoding closure holds a `match`) and
//! multipart bodies (a loop per part). Everything else, most operations of every document
//! in the corpus, is printed here.

use super::layout::Layout;
use super::params;
use super::resources::{
    all_doc, all_name, method_doc, method_path, plain_doc, with_doc, with_name,
};
use super::syntax::{self, Expr};
use super::text::{doc_comment, generic, own_doc_comment, string_literal, type_layout};
use super::tokens::Scope;
use crate::ir::*;

/// Operation `index` of `group`'s methods as members of the group's `impl` block (the first
/// operation opens the block, the last one closes it); `None` for the forms left to tokens.
pub(super) fn printed_methods(model: &Model, group: &Group, index: usize) -> Option<String> {
    let operation = &group.operations[index];
    let multipart = operation
        .body
        .as_ref()
        .is_some_and(|body| body.encoding == BodyEncoding::Multipart);
    if multipart || matches!(operation.response, Response::Multi { .. }) {
        return None;
    }
    let methods = Methods::new(model, operation);
    Some(syntax::inherent_impl_member(
        "",
        |layout| layout.copied(&group.type_name),
        (index, group.operations.len()),
        |layout| methods.print(layout),
    ))
}

/// `let request = ApiRequest::new(…);` and the statements that put the positional parameters
/// on it, as the client and the mocks both build a request.
pub(super) fn new_request(layout: &mut Layout, model: &Model, operation: &Operation) {
    let template = string_literal(&operation.path);
    let new_request = Expr::call(
        "crate::client::ApiRequest::new",
        vec![
            Expr::word(method_path(&operation.method)),
            Expr::word(template.clone()),
            Expr::call("::std::string::String::from", vec![Expr::word(template)]),
        ],
    );
    syntax::let_statement(layout, "request", &new_request);
    for put in params::positional_puts(model, operation) {
        syntax::let_statement(layout, "request", &put);
    }
}

/// A method argument.
enum Arg<'a> {
    Receiver,
    Positional(&'a Param),
    Body(&'a Body),
    Params(&'a str),
}

/// What a method returns.
enum Returns<'a> {
    Result(Ok<'a>),
    /// `impl Stream<Item = Result<item, Error>> + Send + 'static`.
    Stream(&'a TypeRef),
}

/// The success type inside a `Result`.
#[derive(Clone, Copy)]
enum Ok<'a> {
    Type(&'a TypeRef),
    Page(&'a TypeRef),
    Bytes,
    Unit,
}

/// What a method does once `request` is built.
enum Tail {
    Execute,
    ExecuteEmpty,
    ExecuteBytes,
    Paginate,
}

/// One operation's methods, with what they share.
struct Methods<'a> {
    model: &'a Model,
    operation: &'a Operation,
    args: Vec<Arg<'a>>,
}

impl<'a> Methods<'a> {
    fn new(model: &'a Model, operation: &'a Operation) -> Self {
        let mut args = vec![Arg::Receiver];
        args.extend(params::positional(operation).map(Arg::Positional));
        args.extend(operation.body.as_ref().map(Arg::Body));
        Self {
            model,
            operation,
            args,
        }
    }

    /// Every method of the operation, each ending in a line break.
    fn print(&self, layout: &mut Layout) {
        let operation = self.operation;
        let doc = method_doc(operation);
        let name = operation.rust_name.as_str();
        match &operation.response {
            Response::List(item) => {
                let page = Returns::Result(Ok::Page(item));
                self.pair(layout, name, &doc, &page, Tail::Execute, true);
                let stream = Returns::Stream(item);
                let all = all_name(operation);
                self.pair(
                    layout,
                    &all,
                    &all_doc(operation),
                    &stream,
                    Tail::Paginate,
                    false,
                );
            }
            Response::Json(ty) => {
                let returns = Returns::Result(Ok::Type(ty));
                self.pair(layout, name, &doc, &returns, Tail::Execute, true);
            }
            Response::Bytes => {
                let returns = Returns::Result(Ok::Bytes);
                self.pair(layout, name, &doc, &returns, Tail::ExecuteBytes, true);
            }
            Response::Empty => {
                let returns = Returns::Result(Ok::Unit);
                self.pair(layout, name, &doc, &returns, Tail::ExecuteEmpty, true);
            }
            // Left to the token printer by `printed_methods`.
            Response::Multi { .. } => {}
        }
    }

    /// The method `name`, and when the operation has optional parameters its twin taking
    /// them, which the plain one calls with none set.
    fn pair(
        &self,
        layout: &mut Layout,
        name: &str,
        doc: &str,
        returns: &Returns<'_>,
        tail: Tail,
        is_async: bool,
    ) {
        let asyncness = if is_async { "async " } else { "" };
        let Some(optional) = &self.operation.optional_params else {
            doc_comment(layout, doc);
            self.open(
                layout,
                &format!("pub {asyncness}fn {name}"),
                &self.args,
                returns,
            );
            self.body(layout, false, &tail);
            layout.close_block();
            return;
        };
        let with_name = with_name(self.operation, optional, name);
        doc_comment(layout, doc);
        own_doc_comment(layout, &plain_doc(&with_name));
        self.open(
            layout,
            &format!("pub {asyncness}fn {name}"),
            &self.args,
            returns,
        );
        let default = format!("{}::default", optional.type_name);
        let mut forward: Vec<Expr<'_>> = params::positional(self.operation)
            .map(|param| Expr::word(param.rust.clone()))
            .collect();
        if self.operation.body.is_some() {
            forward.push(Expr::word("body"));
        }
        forward.push(Expr::call(&default, Vec::new()));
        let mut call = Expr::word("self").method(&with_name, forward);
        if is_async {
            call = call.awaited();
        }
        syntax::expression_statement(layout, &call, false);
        layout.close_block();

        own_doc_comment(layout, &with_doc(name, optional));
        let mut args: Vec<&Arg<'_>> = self.args.iter().collect();
        let params = Arg::Params(&optional.type_name);
        args.push(&params);
        self.open(
            layout,
            &format!("pub {asyncness}fn {with_name}"),
            &args,
            returns,
        );
        self.body(layout, true, &tail);
        layout.close_block();
    }

    /// The signature, up to the opening brace of the body.
    fn open<A: std::borrow::Borrow<Arg<'a>>>(
        &self,
        layout: &mut Layout,
        header: &str,
        args: &[A],
        returns: &Returns<'_>,
    ) {
        syntax::method_open(
            layout,
            header,
            args,
            |layout, arg| self.arg(layout, arg.borrow()),
            |layout| self.returns(layout, returns),
        );
    }

    fn arg(&self, layout: &mut Layout, arg: &Arg<'_>) {
        match arg {
            Arg::Receiver => layout.word("&self"),
            Arg::Positional(param) => params::argument_layout(layout, self.model, param),
            Arg::Body(body) if body.encoding == BodyEncoding::Binary => {
                layout.word("body: ::bytes::Bytes");
            }
            Arg::Body(body) => {
                layout.word("body: &");
                type_layout(layout, self.model, &body.ty, Scope::Outside);
            }
            Arg::Params(type_name) => layout.formatted(format_args!("params: {type_name}")),
        }
    }

    fn returns(&self, layout: &mut Layout, returns: &Returns<'_>) {
        match returns {
            Returns::Result(ok) => self.result(layout, *ok),
            Returns::Stream(item) => {
                layout.word("impl ");
                generic(layout, "::futures_core::Stream", |layout| {
                    layout.word("Item = ");
                    self.result(layout, Ok::Type(item));
                    layout.trailing_comma(true);
                });
                layout.word(" + ");
                layout.word("::std::marker::Send");
                layout.word(" + ");
                layout.word("'static");
            }
        }
    }

    /// `::std::result::Result<ok, crate::Error>`.
    fn result(&self, layout: &mut Layout, ok: Ok<'_>) {
        generic(layout, "::std::result::Result", |layout| {
            match ok {
                Ok::Type(ty) => type_layout(layout, self.model, ty, Scope::Outside),
                Ok::Page(item) => generic(layout, "crate::List", |layout| {
                    type_layout(layout, self.model, item, Scope::Outside);
                    layout.trailing_comma(true);
                }),
                Ok::Bytes => layout.word("::bytes::Bytes"),
                Ok::Unit => layout.word("()"),
            }
            layout.trailing_comma(false);
            layout.word("crate::Error");
            layout.trailing_comma(true);
        });
    }

    /// Builds `request` (with the optional parameters when `with` says `params` is in scope,
    /// the cursor left to the paginator when it pages), then hands it over.
    fn body(&self, layout: &mut Layout, with: bool, tail: &Tail) {
        let operation = self.operation;
        new_request(layout, self.model, operation);
        if with {
            let paginating = matches!(tail, Tail::Paginate);
            for put in params::optional_puts(operation, paginating) {
                syntax::let_statement(layout, "request", &put);
            }
        }
        if let Some(body) = &operation.body {
            let request = Expr::word("request");
            let encoded = match body.encoding {
                BodyEncoding::Binary => request.method(
                    "bytes",
                    vec![
                        Expr::word("body"),
                        Expr::word("\"application/octet-stream\""),
                    ],
                ),
                BodyEncoding::Form => {
                    Expr::Try(Box::new(request.method("form", vec![Expr::word("body")])))
                }
                // Multipart is left to the token printer by `printed_methods`.
                BodyEncoding::Json | BodyEncoding::Multipart => {
                    Expr::Try(Box::new(request.method("json", vec![Expr::word("body")])))
                }
            };
            syntax::let_statement(layout, "request", &encoded);
        }
        let client = || Expr::word("self").field("client");
        let request = || Expr::word("request");
        let handed_over = match tail {
            Tail::Execute => client().method("execute", vec![request()]).awaited(),
            Tail::ExecuteEmpty => client().method("execute_empty", vec![request()]).awaited(),
            Tail::ExecuteBytes => {
                let copy = Expr::call("::bytes::Bytes::copy_from_slice", vec![Expr::word("body")]);
                let ok = Expr::call("::std::result::Result::Ok", vec![copy]);
                let decode = Expr::closure_of(vec!["_", "body"], ok);
                client()
                    .method("execute_with", vec![request(), decode])
                    .awaited()
            }
            Tail::Paginate => {
                let start = if with {
                    params::start_cursor(operation)
                } else {
                    Expr::word("::std::option::Option::None")
                };
                let client = client().method("clone", Vec::new());
                Expr::call("crate::list::paginate", vec![client, request(), start])
            }
        };
        syntax::expression_statement(layout, &handed_over, false);
    }
}

#[cfg(test)]
mod tests {
    use super::super::printed_check::{check, group_of, named_type_of_length, sample_models};
    use super::*;

    /// The group's operations that are printed here, as a group of their own, and its whole
    /// `impl` block printed.
    fn printed_block(model: &Model, group: &Group) -> Option<(Group, String)> {
        let mut printed = group.clone();
        printed.operations.retain(|operation| {
            let mut alone = group.clone();
            alone.operations = vec![operation.clone()];
            printed_methods(model, &alone, 0).is_some()
        });
        let count = printed.operations.len();
        let text = (0..count)
            .map(|index| printed_methods(model, &printed, index))
            .collect::<Option<String>>()?;
        (count > 0).then_some((printed, text))
    }

    /// Every printed operation of PayPro, the construct specs and the corpus documents up to
    /// 1.5 MB is what prettyplease prints for it, and breaking its lines changes no code.
    #[test]
    fn printed_methods_are_what_prettyplease_prints() -> Result<(), String> {
        let (mut printed, mut left) = (0, 0);
        for (name, model) in sample_models()? {
            for group in &model.groups {
                let Some((kept, text)) = printed_block(&model, group) else {
                    left += group.operations.len();
                    continue;
                };
                let print = || printed_block(&model, group).map(|(_, text)| text);
                check(&text, || print().unwrap_or_default())
                    .map_err(|e| format!("{name}: {}: {e}", group.tag))?;
                printed += kept.operations.len();
                left += group.operations.len() - kept.operations.len();
            }
        }
        assert!(printed > 700, "only {printed} operations compared");
        // Several success responses and multipart bodies are rare; most operations print here.
        assert!(
            left * 10 < printed,
            "{left} operations left to tokens, {printed} printed"
        );
        Ok(())
    }

    fn param(location: ParamLocation, rust: String, ty: TypeRef, paged_cursor: bool) -> Param {
        Param {
            location,
            wire: if paged_cursor {
                "cursor".to_owned()
            } else {
                format!("w_{rust}")
            },
            rust,
            ty,
            doc: None,
            required: false,
            encoding: ParamEncoding::Style {
                style: ParamStyle::Form,
                explode: true,
                allow_reserved: false,
            },
        }
    }

    /// Handle, method, parameter, path and type names from short to past the margin, with
    /// every response and body printed here, with and without optional parameters.
    #[test]
    fn methods_break_where_prettyplease_does_at_every_length() -> Result<(), String> {
        for length in (1..=180).step_by(3) {
            let mut model = super::super::empty_model();
            let named = named_type_of_length(&mut model, length);
            let long = |prefix: &str| format!("{prefix}{}", "k".repeat(length / 2));
            let responses = [
                Response::List(named.clone()),
                Response::Json(TypeRef::Vec(Box::new(named.clone()))),
                Response::Bytes,
                Response::Empty,
            ];
            let bodies = [None, Some(BodyEncoding::Json), Some(BodyEncoding::Form)];
            let mut operations = Vec::new();
            for (index, response) in responses.into_iter().enumerate() {
                for (body_index, encoding) in bodies.iter().enumerate() {
                    let optional = (body_index != 1).then(|| ParamsStruct {
                        type_name: long("Params"),
                        method_name: long("with_"),
                        params: vec![
                            param(ParamLocation::Query, long("q_"), named.clone(), false),
                            param(
                                ParamLocation::Query,
                                "cursor".to_owned(),
                                TypeRef::String,
                                true,
                            ),
                        ],
                        paged: index == 0,
                    });
                    operations.push(Operation {
                        operation_id: format!("op{index}{body_index}"),
                        method: "post".to_owned(),
                        path: format!("/{}/{{id}}", "p".repeat(length)),
                        summary: Some(format!("Does {}.", "s".repeat(length))),
                        description: None,
                        deprecated: index == 1,
                        rust_name: format!("{}{index}{body_index}", long("m")),
                        path_params: vec![param(
                            ParamLocation::Path,
                            long("id_"),
                            named.clone(),
                            false,
                        )],
                        required_params: vec![param(
                            ParamLocation::Header,
                            "h".to_owned(),
                            TypeRef::Option(Box::new(TypeRef::Boolean)),
                            false,
                        )],
                        optional_params: optional,
                        body: encoding.map(|encoding| Body {
                            ty: named.clone(),
                            encoding,
                            required: true,
                        }),
                        response: response.clone(),
                    });
                }
            }
            let binary = Operation {
                body: Some(Body {
                    ty: TypeRef::Bytes,
                    encoding: BodyEncoding::Binary,
                    required: true,
                }),
                ..operations[0].clone()
            };
            operations.push(binary);
            let group = group_of(format!("T{}", "z".repeat(length)), operations);
            let print = || {
                (0..group.operations.len())
                    .map(|index| printed_methods(&model, &group, index).unwrap_or_default())
                    .collect::<String>()
            };
            check(&print(), print).map_err(|e| format!("length {length}: {e}"))?;
        }
        Ok(())
    }

    /// A carriage return in document text (a summary, a path) ends a line, as in CommonMark.
    /// Left in a line, prettyplease would print it inside a `///` comment, which rustc refuses
    /// ("bare CR not allowed in doc-comment").
    #[test]
    fn carriage_returns_never_reach_a_doc_comment() -> Result<(), String> {
        let model = super::super::empty_model();
        let operation = Operation {
            operation_id: "op".to_owned(),
            method: "get".to_owned(),
            path: "/a".to_owned(),
            summary: Some("One\rtwo".to_owned()),
            description: None,
            deprecated: false,
            rust_name: "get".to_owned(),
            path_params: Vec::new(),
            required_params: Vec::new(),
            optional_params: None,
            body: None,
            response: Response::Empty,
        };
        let group = group_of("T".to_owned(), vec![operation]);
        let print = || printed_methods(&model, &group, 0).unwrap_or_default();
        let text = print();
        check(&text, print)?;
        assert!(text.contains("    /// One\n    /// two\n"), "{text}");

        let mut mocked = group.clone();
        mocked.operations[0].path = "/a\rb".to_owned();
        let text = super::super::testing::expectation_builder(&model, &mocked, 0);
        syn::parse_file(&text).map_err(|e| format!("{e}\n{text}"))?;
        assert!(
            text.contains("    /// Expects `GET /a\n    /// b`"),
            "{text}"
        );
        assert!(!text.contains('\r'), "a bare carriage return in {text}");
        Ok(())
    }
}
