//! Templates and runtime sources, compiled into the generator: the minijinja environment (strict about undefined variables), the context it renders with, and the list of runtime files a crate gets.

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::ir::Model;
use minijinja::{Environment, UndefinedBehavior, Value, context};

/// Templates rendered with minijinja, by name.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "Cargo.toml.j2",
        include_str!("../../templates/Cargo.toml.j2"),
    ),
    ("README.md.j2", include_str!("../../templates/README.md.j2")),
    ("lib.rs.j2", include_str!("../../templates/lib.rs.j2")),
];

/// Runtime sources every generated crate gets, copied as written into `src/`.
const RUNTIME: &[(&str, &str)] = &[
    ("body.rs", include_str!("../../templates/runtime/body.rs")),
    (
        "client.rs",
        include_str!("../../templates/runtime/client.rs"),
    ),
    ("error.rs", include_str!("../../templates/runtime/error.rs")),
    (
        "lenient.rs",
        include_str!("../../templates/runtime/lenient.rs"),
    ),
    (
        "multipart.rs",
        include_str!("../../templates/runtime/multipart.rs"),
    ),
    (
        "param_style.rs",
        include_str!("../../templates/runtime/param_style.rs"),
    ),
    ("patch.rs", include_str!("../../templates/runtime/patch.rs")),
    (
        "request.rs",
        include_str!("../../templates/runtime/request.rs"),
    ),
    (
        "response.rs",
        include_str!("../../templates/runtime/response.rs"),
    ),
    ("retry.rs", include_str!("../../templates/runtime/retry.rs")),
    (
        "tagged.rs",
        include_str!("../../templates/runtime/tagged.rs"),
    ),
    (
        "testing.rs",
        include_str!("../../templates/runtime/testing.rs"),
    ),
    (
        "timestamp.rs",
        include_str!("../../templates/runtime/timestamp.rs"),
    ),
    (
        "unknown.rs",
        include_str!("../../templates/runtime/unknown.rs"),
    ),
    ("wire.rs", include_str!("../../templates/runtime/wire.rs")),
];

/// Emitted only when some response uses the list envelope.
const RUNTIME_LIST: (&str, &str) = ("list.rs", include_str!("../../templates/runtime/list.rs"));

/// Emitted only for PayPro (they decode PayPro's `Event` and sign its deliveries).
const RUNTIME_WEBHOOKS: &[(&str, &str)] = &[
    (
        "signing.rs",
        include_str!("../../templates/runtime/signing.rs"),
    ),
    (
        "webhooks.rs",
        include_str!("../../templates/runtime/webhooks.rs"),
    ),
];

/// PayPro's own tests and examples, written into the crate beside `src/`.
pub const PAYPRO_FILES: &[(&str, &str)] = &[
    (
        "tests/soak.rs",
        include_str!("../../templates/paypro/tests/soak.rs"),
    ),
    (
        "tests/support/fault_server.rs",
        include_str!("../../templates/paypro/tests/support/fault_server.rs"),
    ),
    (
        "tests/wire_samples.rs",
        include_str!("../../templates/paypro/tests/wire_samples.rs"),
    ),
    (
        "tests/support/mod.rs",
        include_str!("../../templates/paypro/tests/support/mod.rs"),
    ),
    (
        "tests/operations.rs",
        include_str!("../../templates/paypro/tests/operations.rs"),
    ),
    (
        "tests/operations_with_body.rs",
        include_str!("../../templates/paypro/tests/operations_with_body.rs"),
    ),
    (
        "tests/behaviour.rs",
        include_str!("../../templates/paypro/tests/behaviour.rs"),
    ),
    (
        "tests/support/equivalent.rs",
        include_str!("../../templates/paypro/tests/support/equivalent.rs"),
    ),
    (
        "tests/testing.rs",
        include_str!("../../templates/paypro/tests/testing.rs"),
    ),
    (
        "tests/support/prism.rs",
        include_str!("../../templates/paypro/tests/support/prism.rs"),
    ),
    (
        "tests/prism.rs",
        include_str!("../../templates/paypro/tests/prism.rs"),
    ),
    (
        "examples/create_payment.rs",
        include_str!("../../templates/paypro/examples/create_payment.rs"),
    ),
    (
        "examples/list_payments.rs",
        include_str!("../../templates/paypro/examples/list_payments.rs"),
    ),
    (
        "examples/webhook_receiver.rs",
        include_str!("../../templates/paypro/examples/webhook_receiver.rs"),
    ),
    (
        "benches/decode.rs",
        include_str!("../../templates/paypro/benches/decode.rs"),
    ),
    (
        "benches/client_throughput.rs",
        include_str!("../../templates/paypro/benches/client_throughput.rs"),
    ),
    (
        "benches/support/cpu_time.rs",
        include_str!("../../templates/paypro/benches/support/cpu_time.rs"),
    ),
];

/// The runtime files this model and configuration need, in a fixed order.
pub fn runtime_files(model: &Model, config: &Config) -> Vec<(&'static str, &'static str)> {
    let mut files = RUNTIME.to_vec();
    if model.uses_list {
        files.push(RUNTIME_LIST);
    }
    if config.paypro_extras {
        files.extend_from_slice(RUNTIME_WEBHOOKS);
    }
    files
}

/// Names of every template and runtime file, for the test that checks nothing in `templates/` is forgotten.
pub fn known_files() -> Vec<&'static str> {
    TEMPLATES
        .iter()
        .map(|(name, _)| *name)
        .chain(RUNTIME.iter().map(|(name, _)| *name))
        .chain([RUNTIME_LIST.0])
        .chain(RUNTIME_WEBHOOKS.iter().map(|(name, _)| *name))
        .chain(PAYPRO_FILES.iter().map(|(name, _)| *name))
        .collect()
}

pub fn context(model: &Model, config: &Config) -> Value {
    let operation_count: usize = model.groups.iter().map(|g| g.operations.len()).sum();
    context! {
        header => config.header(),
        command => config.command.clone(),
        crate_name => config.crate_name.clone(),
        crate_ident => config.crate_name.replace('-', "_"),
        crate_version => toml_basic_string(&one_line(&config.crate_version)),
        repository => config.repository.as_deref().map(|r| toml_basic_string(&one_line(r))),
        keywords => config.keywords.iter().map(|k| toml_basic_string(&one_line(k))).collect::<Vec<_>>(),
        description => toml_basic_string(&one_line(&format!("Typed client for {}", model.title))),
        title => one_line(&model.title),
        api_version => one_line(&model.version),
        base_url => one_line(&model.base_url),
        base_url_literal => format!("{:?}", model.base_url),
        uses_list => model.uses_list,
        paypro => config.paypro_extras,
        first_accessor => model.groups.first().map(|g| g.accessor.clone()).unwrap_or_else(|| "resources".to_owned()),
        operation_count => operation_count,
        group_count => model.groups.len(),
        type_count => model.types.len(),
    }
}

/// Text from the document, made safe for a single line of a doc comment or manifest: any run
/// of whitespace (newlines included) becomes one space and control characters go, so a title
/// can never end a `//!` line and start Rust code.
fn one_line(text: &str) -> String {
    text.split_whitespace()
        .map(|word| word.chars().filter(|c| !c.is_control()).collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The inside of a TOML basic string (`"…"`), escaped.
fn toml_basic_string(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Renders a template; an undefined variable is an error, not an empty string.
pub fn render(name: &str, context: &Value) -> Result<String, Diagnostic> {
    let mut environment = Environment::new();
    environment.set_undefined_behavior(UndefinedBehavior::Strict);
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .keep_trailing_newline(true)
        .build()
        .map_err(|error| {
            Diagnostic::error("", format!("generator bug: template syntax: {error}"))
        })?;
    environment.set_syntax(syntax);
    for (template_name, source) in TEMPLATES {
        environment
            .add_template(template_name, source)
            .map_err(|error| {
                Diagnostic::error(
                    "",
                    format!("generator bug: template {template_name} does not parse: {error}"),
                )
            })?;
    }
    let template = environment.get_template(name).map_err(|error| {
        Diagnostic::error("", format!("generator bug: no template {name}: {error}"))
    })?;
    template.render(context).map_err(|error| {
        Diagnostic::error(
            "",
            format!("generator bug: template {name} failed: {error}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_text_cannot_break_out_of_its_line() {
        assert_eq!(
            one_line("A\nfn injected() {}\r\n\tv"),
            "A fn injected() {} v"
        );
        assert_eq!(toml_basic_string(r#"a "b" \c"#), r#"a \"b\" \\c"#);
    }
}
