//! [`UnknownValue`], what an enum or tagged union keeps when the API sends a value this version of the client has no variant for.

/// A value the API sent that this version of the client has no variant for, kept exactly as
/// sent so that decoding never fails on it.
///
/// It can be read (`as_str()`, `value()` or `as_json()`) but not built or pattern-matched
/// outside this crate. That is deliberate: code that tested for one particular unknown value
/// would silently stop matching once a later version of the client gives that value a variant
/// of its own. Match the variant it names instead, and let the rest fall through to `_`:
///
/// ```
/// use paypro::models::Currency;
///
/// let currency: Currency = "USD".parse().unwrap_or_else(|never| match never {});
/// let label = match &currency {
///     Currency::Eur => "euro",
///     _ => "another currency",
/// };
/// assert_eq!(label, "another currency");
/// assert_eq!(currency.as_str(), "USD");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize)]
#[serde(transparent)]
pub struct UnknownValue<T = ::std::string::String>(T);

impl<T> UnknownValue<T> {
    // Only the enums and unions of a document build one; a document without them leaves it unused.
    #[allow(dead_code)]
    pub(crate) fn new(value: T) -> Self {
        crate::wire::note_not_understood(1);
        Self(value)
    }
}

impl UnknownValue<::std::string::String> {
    /// The value as it appeared on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl UnknownValue<i64> {
    /// The number as it appeared on the wire.
    pub fn value(&self) -> i64 {
        self.0
    }
}

impl UnknownValue<::serde_json::Value> {
    /// The member as it appeared on the wire.
    pub fn as_json(&self) -> &::serde_json::Value {
        &self.0
    }

    /// The member as it appeared on the wire, by value.
    pub fn into_json(self) -> ::serde_json::Value {
        self.0
    }
}

impl<T: ::std::fmt::Display> ::std::fmt::Display for UnknownValue<T> {
    fn fmt(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        self.0.fmt(formatter)
    }
}
