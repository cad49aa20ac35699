//! `openapi-gen roundtrip --driver PROGRAM`, through the command line: a driver program built
//! from generated clients (`src/bin/fixture-driver.rs`) is called over its standard input and
//! output for every operation of each spec's mock, as `scripts/roundtrip-corpus.sh` does with
//! the corpus.

use std::path::PathBuf;

fn spec(name: &str) -> String {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "fixtures",
        "codegen",
        name,
    ]
    .iter()
    .collect();
    path.display().to_string()
}

/// Runs `openapi-gen roundtrip` with `args`: exit code, standard output and error.
fn roundtrip(args: &[&str]) -> (i32, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let args = ["openapi-gen", "roundtrip"].iter().chain(args);
    let code = openapi_gen::cli::run(args, &mut out, &mut err);
    let text = |bytes| String::from_utf8(bytes).expect("UTF-8");
    (code, text(out), text(err))
}

/// The row of `api` in the table: its seven counts.
fn counts(out: &str, api: &str) -> Vec<usize> {
    let row = out
        .lines()
        .find(|l| l.split_whitespace().next() == Some(api))
        .unwrap_or_else(|| panic!("no row {api} in\n{out}"));
    row.split_whitespace()
        .skip(1)
        .map(|n| n.parse().expect("a count"))
        .collect()
}

const DRIVER: &str = env!("CARGO_BIN_EXE_fixture-driver");

#[test]
fn every_call_is_made_by_the_driver_program_and_counted() {
    let (streams, bodies) = (spec("streams.yaml"), spec("bodies.yaml"));
    let (code, out, err) = roundtrip(&[&streams, &bodies, "--driver", DRIVER]);
    assert_eq!(code, 0, "{out}\n{err}");
    for api in ["streams", "bodies"] {
        let [operations, calls, successes, errors, streamed, _, failures] = counts(&out, api)[..]
        else {
            panic!("seven counts for {api}: {out}")
        };
        assert!(operations > 0 && calls >= 2 * operations, "{api}: {out}");
        assert_eq!(successes + errors + streamed, calls, "{api}: {out}");
        assert_eq!(failures, 0, "{api}: {err}");
    }
    assert!(counts(&out, "streams")[4] > 0, "streams were read: {out}");
    let total = counts(&out, "total");
    assert_eq!(
        total[1],
        counts(&out, "streams")[1] + counts(&out, "bodies")[1]
    );
}

#[test]
fn a_call_the_driver_cannot_make_fails_with_its_reason() {
    // The driver has no `enums` module: every call comes back unknown.
    let (code, out, err) = roundtrip(&[&spec("enums.yaml"), "--driver", DRIVER]);
    assert_eq!(code, 1, "{out}\n{err}");
    let enums = counts(&out, "enums");
    assert_eq!(enums[6], enums[1], "every call failed: {out}");
    assert!(err.contains("enums: ") && err.contains("not in the generated code: no API enums"));
}

#[test]
fn a_driver_that_does_not_start_is_an_error() {
    let (code, _, err) = roundtrip(&[&spec("enums.yaml"), "--driver", "/no/such/driver"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot start the driver /no/such/driver"),
        "{err}"
    );
}
