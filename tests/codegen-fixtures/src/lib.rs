//! Every fixture's emitted client, compiled. A fixture whose output does not compile, or
//! warns, fails the workspace build; `tests/` exercises the constructs at run time.

macro_rules! fixture {
    ($($name:ident),* $(,)?) => {
        $(
            pub mod $name {
                include!(concat!(env!("OUT_DIR"), "/", stringify!($name), ".rs"));
            }
        )*
    };
}

// A spec in several files (`tests/fixtures/multi/`), module named after its root file.
fixture!(api);

fixture!(
    all_of,
    bodies,
    enums,
    idempotency,
    link_pagination,
    maps,
    names,
    nullable,
    openapi31,
    params,
    recursion,
    responses,
    security,
    structured_responses,
    swagger2,
    unions
);
