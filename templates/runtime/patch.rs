//! [`Patch`], the three-state field of update requests: leave the value alone, clear it, or set it.

use serde::de::{Deserialize, Deserializer};
use serde::ser::{Error as _, Serialize, Serializer};

/// A field of an update (PATCH) request, where "absent" and `null` mean different things.
///
/// - [`Patch::Unset`] leaves the stored value alone: the field is left out of the JSON.
/// - [`Patch::Null`] clears it: the field is sent as `null`.
/// - [`Patch::Set`] replaces it: the field is sent with the value.
///
/// Fields of this type carry `#[serde(default, skip_serializing_if = "Patch::is_unset")]`; to
/// guard against a forgotten attribute silently clearing data, serializing an `Unset` on its own
/// is an error rather than `null`.
///
/// ```
/// use paypro::Patch;
///
/// #[derive(serde::Serialize, Default)]
/// struct UpdateCustomer {
///     #[serde(skip_serializing_if = "Patch::is_unset")]
///     email: Patch<String>,
///     #[serde(skip_serializing_if = "Patch::is_unset")]
///     company_name: Patch<String>,
///     #[serde(skip_serializing_if = "Patch::is_unset")]
///     phone_number: Patch<String>,
/// }
///
/// let update = UpdateCustomer {
///     email: "jan@example.nl".to_owned().into(), // set a new address
///     company_name: Patch::Null,                  // remove the company name
///     ..Default::default()                        // phone number: leave as it is
/// };
/// assert_eq!(
///     serde_json::to_string(&update).unwrap(),
///     r#"{"email":"jan@example.nl","company_name":null}"#
/// );
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Patch<T> {
    /// Leave the field out of the request; the stored value stays.
    #[default]
    Unset,
    /// Send `null`; the stored value is cleared.
    Null,
    /// Send this value; it replaces the stored one.
    Set(T),
}

impl<T> Patch<T> {
    /// Whether the field is left out; use as `#[serde(skip_serializing_if = "Patch::is_unset")]`.
    pub fn is_unset(&self) -> bool {
        matches!(self, Patch::Unset)
    }

    /// Whether the field is sent as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Patch::Null)
    }

    /// Whether the field is sent with a value.
    pub fn is_set(&self) -> bool {
        matches!(self, Patch::Set(_))
    }

    /// The value, if one is set.
    pub fn as_set(&self) -> Option<&T> {
        match self {
            Patch::Set(value) => Some(value),
            _ => None,
        }
    }
}

impl<T> From<T> for Patch<T> {
    fn from(value: T) -> Self {
        Patch::Set(value)
    }
}

/// `Some(v)` sets the value and `None` clears it, matching how `null` reads on the wire.
impl<T> From<Option<T>> for Patch<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Patch::Null, Patch::Set)
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Patch::Set(value) => value.serialize(serializer),
            Patch::Null => serializer.serialize_none(),
            Patch::Unset => Err(S::Error::custom(
                "Patch::Unset cannot be serialized; the field needs \
                 #[serde(skip_serializing_if = \"Patch::is_unset\")]",
            )),
        }
    }
}

/// `null` reads as [`Patch::Null`] and a value as [`Patch::Set`]; an absent field becomes
/// [`Patch::Unset`] through `#[serde(default)]`.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Patch::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Update {
        #[serde(default, skip_serializing_if = "Patch::is_unset")]
        name: Patch<String>,
        #[serde(default, skip_serializing_if = "Patch::is_unset")]
        amount: Patch<i64>,
    }

    #[test]
    fn serializes_three_states() {
        let cases = [
            (Update::default(), "{}"),
            (
                Update {
                    name: Patch::Null,
                    ..Update::default()
                },
                r#"{"name":null}"#,
            ),
            (
                Update {
                    name: "x".to_owned().into(),
                    amount: 5.into(),
                },
                r#"{"name":"x","amount":5}"#,
            ),
        ];
        for (update, json) in cases {
            assert_eq!(serde_json::to_string(&update).unwrap(), json);
            assert_eq!(
                serde_json::from_str::<Update>(json).unwrap(),
                update,
                "round trip of {json}"
            );
        }
    }

    #[test]
    fn bare_unset_refuses_to_serialize() {
        let error = serde_json::to_string(&Patch::<i32>::Unset).unwrap_err();
        assert!(error.to_string().contains("skip_serializing_if"));
        assert_eq!(serde_json::to_string(&Patch::<i32>::Null).unwrap(), "null");
    }

    #[test]
    fn conversions_and_helpers() {
        assert_eq!(Patch::from(Some(3)), Patch::Set(3));
        assert_eq!(Patch::<i32>::from(None), Patch::Null);
        assert_eq!(Patch::from(3).as_set(), Some(&3));
        assert!(Patch::<i32>::default().is_unset());
        assert!(Patch::<i32>::Null.is_null() && !Patch::<i32>::Null.is_set());
        assert_eq!(Patch::<i32>::Null.as_set(), None);
    }
}
