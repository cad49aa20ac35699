//! Implementations shared by every generated enum and union, written once as macros so the
//! generated code stays short.

/// Serde, `Display`, `FromStr` and `as_str` for a forward-compatible string enum: values the
/// spec does not list deserialize into the catch-all variant instead of failing.
#[macro_export]
macro_rules! string_enum {
    ($name:ident { $($variant:ident = $value:literal),* $(,)? } $other:ident) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::$other(value) => value.as_str(),
                }
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(match s {
                    $($value => Self::$variant,)*
                    other => Self::$other(other.to_string()),
                })
            }
        }
        impl ::std::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                match s.parse() {
                    ::std::result::Result::Ok(v) => v,
                    ::std::result::Result::Err(never) => match never {},
                }
            }
        }
        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let s = <::std::string::String as $crate::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(s.as_str()))
            }
        }
    };
}

/// The same for an integer enum.
#[macro_export]
macro_rules! int_enum {
    ($name:ident { $($variant:ident = $value:literal),* $(,)? } $other:ident) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn value(&self) -> i64 {
                match self {
                    $(Self::$variant => $value,)*
                    Self::$other(value) => *value,
                }
            }
        }
        impl ::std::convert::From<i64> for $name {
            fn from(v: i64) -> Self {
                match v {
                    $($value => Self::$variant,)*
                    other => Self::$other(other),
                }
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::write!(f, "{}", self.value())
            }
        }
        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::std::result::Result::Ok(Self::from(<i64 as $crate::serde::Deserialize>::deserialize(deserializer)?))
            }
        }
    };
}

/// `as_str`, `Display` and serde for a unit struct that is one string value (a discriminated
/// union's tag, as the property of its variant's struct): it writes the value, and reads it
/// and nothing else.
#[macro_export]
macro_rules! tag_value {
    ($name:ident = $value:literal) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &'static str {
                $value
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($value)
            }
        }
        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str($value)
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let s = <::std::string::String as $crate::serde::Deserialize>::deserialize(
                    deserializer,
                )?;
                if s == $value {
                    ::std::result::Result::Ok($name)
                } else {
                    ::std::result::Result::Err(
                        <D::Error as $crate::serde::de::Error>::invalid_value(
                            $crate::serde::de::Unexpected::Str(&s),
                            &::std::concat!("\"", $value, "\""),
                        ),
                    )
                }
            }
        }
    };
}

/// Serde for a union with a discriminator: the tag is a property of the variant's object,
/// written once (see `serialize_tagged`). When no tag matches (the tag is missing or
/// unlisted), the `default = ` variant is read if there is one (OpenAPI 3.2
/// `defaultMapping`), then the variants without a tag of their own (inline schemas) by
/// shape, in order; anything else is kept whole in the catch-all variant. The default
/// variant is also listed among the tagged or the by-shape ones, which say how it is written.
#[macro_export]
macro_rules! tagged_union {
    ($name:ident, $property:literal { $($variant:ident => [$($tag:literal),+]),* $(,)? } [$($by_shape:ident),* $(,)?] $other:ident $(, default = $fallback:ident)?) => {
        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(value) => $crate::serialize_tagged(value, $property, &[$($tag),+], serializer),)*
                    $(Self::$by_shape(value) => $crate::serde::Serialize::serialize(value, serializer),)*
                    Self::$other(value) => $crate::serde::Serialize::serialize(value, serializer),
                }
            }
        }
        impl $crate::TaggedUnion for $name {
            const PROPERTY: &'static str = $property;
            fn selects(tag: &str) -> bool {
                false $(|| matches!(tag, $($tag)|+))*
            }
            fn variant<'de, D: $crate::serde::Deserializer<'de>>(tag: &str, deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $(
                    if matches!(tag, $($tag)|+) {
                        return $crate::serde::Deserialize::deserialize(deserializer).map(Self::$variant);
                    }
                )*
                ::std::result::Result::Err(<D::Error as $crate::serde::de::Error>::custom(
                    ::std::format_args!("no variant is tagged `{tag}`"),
                ))
            }
            fn from_object(value: $crate::serde_json::Value) -> ::std::result::Result<Self, ::std::string::String> {
                let tag = value.get($property).and_then($crate::serde_json::Value::as_str);
                $(
                    if matches!(tag, $(::std::option::Option::Some($tag))|+) {
                        return $crate::serde_json::from_value(value)
                            .map(Self::$variant)
                            .map_err(|e| e.to_string());
                    }
                )*
                $(
                    if let ::std::result::Result::Ok(v) = $crate::serde_json::from_value(value.clone()) {
                        return ::std::result::Result::Ok(Self::$fallback(v));
                    }
                )?
                $(
                    if let ::std::result::Result::Ok(v) = $crate::serde_json::from_value(value.clone()) {
                        return ::std::result::Result::Ok(Self::$by_shape(v));
                    }
                )*
                ::std::result::Result::Ok(Self::$other(value))
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::deserialize_tagged(deserializer)
            }
        }
    };
}

/// What every request builder of a generated client has: [`Builder`](crate::Builder),
/// `timeout`, `send`, `send_with_response`, and `.await` (`IntoFuture`). The builder is a
/// struct with `core` and `timeout` fields that implements [`Operation`](crate::Operation).
#[cfg(feature = "client")]
#[macro_export]
macro_rules! request_builder {
    ($builder:ident => $output:ty, $error:ty) => {
        $crate::request_builder!($builder => $output, $error, ());
    };
    ($builder:ident => $output:ty, $error:ty, $headers:ty) => {
        impl $crate::Builder for $builder {
            type Output = $output;
            type ErrorBody = $error;
            type Headers = $headers;
            fn core(&self) -> &$crate::ClientCore {
                &self.core
            }
            fn timeout_override(&self) -> ::std::option::Option<::std::time::Duration> {
                self.timeout
            }
        }

        impl $builder {
            /// The timeout of this request, instead of the client's.
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.timeout = ::std::option::Option::Some(timeout);
                self
            }

            // The runtime's boxed futures: proven `Send` once, in the runtime, not once per
            // operation here.

            /// Sends the request and decodes the documented response.
            pub fn send(
                self,
            ) -> $crate::BoxFuture<::std::result::Result<$output, $crate::Error<$error>>> {
                $crate::send_boxed(self)
            }

            /// Like `send`, with the status, headers and raw body of the response.
            #[allow(clippy::type_complexity)]
            pub fn send_with_response(
                self,
            ) -> $crate::BoxFuture<
                ::std::result::Result<$crate::Response<$output, $headers>, $crate::Error<$error>>,
            > {
                $crate::send_with_response_boxed(self)
            }
        }

        impl ::std::future::IntoFuture for $builder {
            type Output = ::std::result::Result<$output, $crate::Error<$error>>;
            type IntoFuture = $crate::BoxFuture<Self::Output>;
            fn into_future(self) -> Self::IntoFuture {
                $crate::send_boxed(self)
            }
        }
    };
}

/// The handler of one operation of a generated server: reads the operation's inputs from the
/// validated request, calls the implementation's method with them, and turns what it returns
/// into the HTTP response.
///
/// `serve!(api, method, inputs...)` where `api` is the `Arc` of the implementation of the
/// module's `Api` trait and each input, in the method's order after the request, is one of
/// `params`, `body`, `text`, `bytes`, or `optional_body` / `optional_text` /
/// `optional_bytes` for a body the operation does not require (`None` when the request has
/// none). It writes a [`server::Handle`](crate::server::Handle): no `async` block, so no
/// state machine per operation for the compiler to check.
#[cfg(feature = "server")]
#[macro_export]
macro_rules! serve {
    ($api:ident, $method:ident $(, $input:ident)*) => {{
        struct Operation;
        impl<T: Api> $crate::server::Handle<T> for Operation {
            #[allow(unused_mut)]
            fn call(
                api: &T,
                mut input: $crate::server::Input,
            ) -> ::std::result::Result<
                impl ::std::future::Future<Output = $crate::server::Result<$crate::server::Reply>>
                    + ::std::marker::Send
                    + '_,
                $crate::server::Error,
            > {
                $(let $input = $crate::serve!(@read input, $input);)*
                ::std::result::Result::Ok($crate::server::reply(
                    api.$method(input.request $(, $input)*),
                    |reply| reply.into_reply(),
                ))
            }
        }
        $crate::server::handle::<_, Operation>(&$api)
    }};
    (@read $from:ident, params) => { $from.params()? };
    (@read $from:ident, body) => { $from.body()? };
    (@read $from:ident, text) => { $from.text()? };
    (@read $from:ident, bytes) => { $from.bytes()? };
    (@read $from:ident, optional_body) => { $crate::serve!(@optional $from, body) };
    (@read $from:ident, optional_text) => { $crate::serve!(@optional $from, text) };
    (@read $from:ident, optional_bytes) => { $crate::serve!(@optional $from, bytes) };
    (@optional $from:ident, $read:ident) => {
        match $from.media() {
            ::std::option::Option::Some(_) => {
                ::std::option::Option::Some($crate::serve!(@read $from, $read))
            }
            ::std::option::Option::None => ::std::option::Option::None,
        }
    };
}

#[cfg(test)]
mod tests {
    #[derive(Debug, Clone, PartialEq, Eq)]
    enum Status {
        Active,
        Suspended,
        Unknown(String),
    }
    crate::string_enum!(Status { Active = "active", Suspended = "suspended" } Unknown);

    #[derive(Debug, Clone, PartialEq, Eq)]
    enum Level {
        One,
        Unknown(i64),
    }
    crate::int_enum!(Level { One = 1 } Unknown);

    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Cat {
        kind: Option<String>,
        lives: i32,
    }
    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Dog {
        kind: String,
    }
    #[derive(Debug, Clone, PartialEq)]
    enum Pet {
        Cat(Cat),
        Dog(Box<Dog>),
        Other(serde_json::Value),
    }
    crate::tagged_union!(Pet, "kind" { Cat => ["cat"], Dog => ["doggo", "dog"] } [] Other);

    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Inline {
        wings: i32,
    }
    #[derive(Debug, Clone, PartialEq)]
    enum Animal {
        Cat(Cat),
        Inline(Inline),
        Other(serde_json::Value),
    }
    crate::tagged_union!(Animal, "kind" { Cat => ["cat"] } [Inline] Other);

    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Plain {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kind: Option<String>,
        note: String,
    }
    #[derive(Debug, Clone, PartialEq)]
    enum Notice {
        Cat(Cat),
        Plain(Plain),
        Other(serde_json::Value),
    }
    crate::tagged_union!(Notice, "kind" { Cat => ["cat"] } [Plain] Other, default = Plain);

    #[test]
    fn a_missing_or_unlisted_tag_reads_the_default_variant() {
        let untagged: Notice = serde_json::from_str(r#"{"note":"hi"}"#).unwrap();
        let plain = Plain {
            kind: None,
            note: "hi".into(),
        };
        assert_eq!(untagged, Notice::Plain(plain.clone()));
        assert_eq!(
            serde_json::to_string(&untagged).unwrap(),
            r#"{"note":"hi"}"#
        );
        let unlisted: Notice = serde_json::from_str(r#"{"kind":"memo","note":"hi"}"#).unwrap();
        assert_eq!(
            unlisted,
            Notice::Plain(Plain {
                kind: Some("memo".into()),
                ..plain
            })
        );
        let cat: Notice = serde_json::from_str(r#"{"kind":"cat","lives":3}"#).unwrap();
        assert!(matches!(cat, Notice::Cat(_)));
        // What the default cannot read either is kept whole.
        let odd: Notice = serde_json::from_str(r#"{"kind":"memo","pages":2}"#).unwrap();
        assert!(matches!(odd, Notice::Other(_)));
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    struct DogKind;
    crate::tag_value!(DogKind = "dog");

    #[test]
    fn a_tag_value_reads_only_itself() {
        assert_eq!(serde_json::to_string(&DogKind).unwrap(), r#""dog""#);
        assert_eq!(
            serde_json::from_str::<DogKind>(r#""dog""#).unwrap(),
            DogKind
        );
        let err = serde_json::from_str::<DogKind>(r#""cat""#).unwrap_err();
        assert!(err.to_string().contains(r#"expected "dog""#), "{err}");
        assert_eq!(DogKind.to_string(), "dog");
        assert_eq!(DogKind.as_str(), "dog");
    }

    #[test]
    fn variants_without_tags_match_by_shape() {
        let bird: Animal = serde_json::from_str(r#"{"kind":"bird","wings":2}"#).unwrap();
        assert_eq!(bird, Animal::Inline(Inline { wings: 2 }));
        let odd: Animal = serde_json::from_str(r#"{"kind":"fish"}"#).unwrap();
        assert!(matches!(odd, Animal::Other(_)));
    }

    #[test]
    fn enums_are_forward_compatible() {
        assert_eq!(
            serde_json::from_str::<Status>("\"active\"").unwrap(),
            Status::Active
        );
        let new: Status = serde_json::from_str("\"archived\"").unwrap();
        assert_eq!(new, Status::Unknown("archived".into()));
        assert_eq!(serde_json::to_string(&new).unwrap(), "\"archived\"");
        assert_eq!(Status::Suspended.to_string(), "suspended");
        assert_eq!(
            serde_json::from_str::<Level>("7").unwrap(),
            Level::Unknown(7)
        );
        assert_eq!(serde_json::to_string(&Level::One).unwrap(), "1");
    }

    #[test]
    fn tagged_unions_round_trip_with_one_tag() {
        let cat = Pet::Cat(Cat {
            kind: None,
            lives: 9,
        });
        let text = serde_json::to_string(&cat).unwrap();
        assert_eq!(text, r#"{"kind":"cat","lives":9}"#);
        let back: Pet = serde_json::from_str(&text).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), text);
        // A second tag of the same variant is kept as it is.
        let dog: Pet = serde_json::from_str(r#"{"kind":"dog"}"#).unwrap();
        assert_eq!(dog, Pet::Dog(Box::new(Dog { kind: "dog".into() })));
        assert_eq!(serde_json::to_string(&dog).unwrap(), r#"{"kind":"dog"}"#);
        assert_eq!(
            serde_json::from_str::<Pet>(&serde_json::to_string(&dog).unwrap()).unwrap(),
            dog
        );
        // Unknown tags are kept whole.
        let bird: Pet = serde_json::from_str(r#"{"kind":"bird","wings":2}"#).unwrap();
        assert!(matches!(bird, Pet::Other(_)));
        assert_eq!(
            serde_json::to_string(&bird).unwrap(),
            r#"{"kind":"bird","wings":2}"#
        );
    }
}
