//! Compile tests: every program in `tests/ui/pass` compiles and runs (each asserts its own
//! behaviour), every program in `tests/ui/fail` fails with exactly the `.stderr` beside it.
#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}

/// No error a user can get names the rewrite's internals: the names below (the paths the
/// rewrite calls, its generated `__failfast_*` names, the module that holds them), a line of the
/// runtime's or the macro's source ("required by a bound in .."), or a closure or async block
/// the user did not write (the rewrite's are located at the `for` or `while` keyword). A
/// program named `api-*` calls the runtime API itself: there rustc's note on the bound of the
/// public signature the user called (its line in the runtime's source) is the usual one.
#[test]
fn no_error_names_the_internals() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir.join("tests/ui/fail")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "stderr") {
            continue;
        }
        checked += 1;
        let stderr = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for word in stderr.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
            let internal = word == "Probe"
                || word == "Fallible"
                || word == "ControlFlow"
                || word == "__private"
                || word == "failfast_runtime"
                || word == "parallel_loop"
                || word == "thread_loop"
                || word == "thread_loop_with"
                || word == "while_let"
                || word == "while_let_with"
                || word == "StopRef"
                || word == "Fed"
                || word == "Shared"
                || word == "Split"
                || word == "Driver"
                || word == "Slot"
                || word == "Wait"
                || word == "View"
                || word == "Whole"
                || word == "NotSent"
                || word == "Checked"
                || word == "Unchecked"
                || word == "Parts"
                || word == "Unsplit"
                || word == "Lent"
                // Not rustc's drawing of a span over several lines (`____^`).
                || word.starts_with("__") && !word.chars().all(|c| c == '_')
                || ["Pick", "Via"].iter().any(|prefix| {
                    word.strip_prefix(prefix)
                        .is_some_and(|rest| rest.starts_with(char::is_uppercase))
                });
            if internal {
                found.push(format!("{name}: `{word}`"));
            }
        }
        for line in stderr.lines() {
            let quoted = line.trim_start().strip_prefix("--> ").unwrap_or("");
            let api_signature = name.starts_with("api-")
                && [
                    "failfast-runtime/src/lib.rs",
                    "failfast-runtime/src/future.rs",
                ]
                .contains(&quoted);
            if !api_signature
                && (quoted.starts_with("failfast-runtime/")
                    || quoted.starts_with("failfast-macros/"))
            {
                found.push(format!("{name}: quotes `{quoted}`"));
            }
        }
        for generated in generated_closures(dir, &stderr) {
            found.push(format!("{name}: {generated}"));
        }
    }
    assert!(checked >= 30, "only {checked} .stderr files were found");
    assert!(
        found.is_empty(),
        "errors name internals:\n{}",
        found.join("\n")
    );
}

/// The closures and async blocks that `stderr` names at a `for` or `while` keyword: the
/// rewrite's.
fn generated_closures(dir: &std::path::Path, stderr: &str) -> Vec<String> {
    let mut generated = Vec::new();
    for kind in ["{closure@", "{async block@"] {
        for (at, _) in stderr.match_indices(kind) {
            let rest = &stderr[at + kind.len()..];
            let named = &rest[..rest.find('}').unwrap_or(rest.len())];
            // `$DIR/tests/ui/fail/x.rs:7:5: 7:8`
            let Some((file, lines)) = named.split_once(".rs:") else {
                continue;
            };
            let file = format!("{}.rs", file.trim_start_matches("$DIR/"));
            let numbers: Vec<usize> = lines
                .split([':', ' '])
                .filter_map(|n| n.parse().ok())
                .collect();
            let [line, column, _, end] = numbers[..] else {
                continue;
            };
            let source = std::fs::read_to_string(dir.join(&file)).unwrap_or_default();
            let at_for = source
                .lines()
                .nth(line - 1)
                .and_then(|text| text.get(column - 1..))
                .is_some_and(|text| {
                    ["for", "while"]
                        .iter()
                        .any(|keyword| text.starts_with(keyword) && end == column + keyword.len())
                });
            if at_for {
                generated.push(format!("{kind}{named}}}"));
            }
        }
    }
    generated
}
