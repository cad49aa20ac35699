//! A driver that is a program of its own: a crate generated with `--driver`, built apart,
//! whose `main` runs `openapi_gen_runtime::driver::answer_lines`. The round trip writes each
//! call to its standard input as a line of JSON and reads what it came to from its standard
//! output, one line per call, so the generated code is proven without being linked here.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};

use openapi_gen_runtime::driver::{Call, Called};

/// A running driver program. Calls are made one at a time, in order; the program is
/// stopped when this is dropped.
pub struct Program {
    child: Child,
    pipes: Arc<Mutex<Pipes>>,
}

struct Pipes {
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

impl Program {
    /// Starts `program` with `args`, its standard error shown as the caller's.
    pub fn start(program: &OsStr, args: &[&OsStr]) -> Result<Program, String> {
        let name = program.to_string_lossy();
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start the driver {name}: {e}"))?;
        let (Some(input), Some(output)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            return Err(format!("the driver {name} has no standard input or output"));
        };
        Ok(Program {
            child,
            pipes: Arc::new(Mutex::new(Pipes {
                input,
                output: BufReader::new(output),
            })),
        })
    }

    /// Has the program make `call` and waits for what it came to, on a thread of its own
    /// (the mock it calls is served by the same runtime). A program that has ended, or
    /// that answers with something else than a line of JSON, fails the call.
    pub async fn call(&self, call: Call) -> Called {
        let pipes = Arc::clone(&self.pipes);
        let asked = tokio::task::spawn_blocking(move || {
            let mut pipes = pipes
                .lock()
                .map_err(|_| "an earlier call to the driver panicked".to_string())?;
            exchange(&mut pipes, &call)
        })
        .await;
        match asked {
            Ok(Ok(called)) => called,
            Ok(Err(why)) => Called::Failed(format!("the driver: {why}")),
            Err(e) => Called::Failed(format!("the driver: {e}")),
        }
    }
}

fn exchange(pipes: &mut Pipes, call: &Call) -> Result<Called, String> {
    let line = serde_json::to_string(call).map_err(|e| e.to_string())?;
    writeln!(pipes.input, "{line}")
        .and_then(|()| pipes.input.flush())
        .map_err(|e| format!("cannot write the call: {e}"))?;
    let mut answer = String::new();
    match pipes.output.read_line(&mut answer) {
        Ok(0) => Err("ended without answering".into()),
        Ok(_) => serde_json::from_str(&answer)
            .map_err(|e| format!("answered {:.200} ({e})", answer.trim_end())),
        Err(e) => Err(format!("cannot read the answer: {e}")),
    }
}

impl Drop for Program {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
