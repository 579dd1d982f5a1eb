#!/usr/bin/env python3
"""What compiles as a sequential loop compiles as a parallel one, with no lint of its own.

Each program in tests/ui/pass and tests/twins is checked twice with clippy (default and
pedantic), in one build: as written, and as its sequential twin, where every `#[fail_fast...]`
line is blanked (so line numbers match). The check fails when

- the parallel program does not build while its sequential twin does (tests/twins holds
  everyday programs written for this: adapters with closures, `impl Trait`, generics, trait
  methods, closures, async blocks; each must also build as the sequential program);
- a lint fires in the parallel program that its twin does not have at the same line, with the
  same code: it comes from the rewrite, not from the user's code;
- a lint that fires in both suggests code in the parallel program that the twin's does not: its
  span covers the rewrite's tokens (`cargo clippy --fix` would write them, or the attribute, into the
  user's code).
"""
import json, pathlib, re, shutil, subprocess, sys

root = pathlib.Path(__file__).resolve().parent.parent
work = root / "target" / "lint-twins"
shutil.rmtree(work, ignore_errors=True)
(work / "examples").mkdir(parents=True)
(work / "src").mkdir()
(work / "src" / "lib.rs").write_text("")
(work / "Cargo.toml").write_text(f"""[package]
name = "lint-twins"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
failfast = {{ path = "{root}" }}
anyhow = "1"
crossbeam-channel = "0.5"
futures = "0.3"
log = "0.4"
tracing = "0.1"
tokio = {{ version = "1", features = ["rt", "rt-multi-thread", "macros", "time", "sync"] }}

[workspace]
""")
marker = re.compile(r"^\s*#\[(failfast::|ff::)?fail_fast(\(.*\))?\]\s*$")
programs = sorted((root / "tests" / "ui" / "pass").glob("*.rs"))
everyday = sorted((root / "tests" / "twins").glob("*.rs"))
programs += everyday
def name_of(program):
    prefix = "twin_" if program in everyday else ""
    return prefix + program.stem.replace("-", "_")

# A program whose first line is `// edition: 2024` (a let chain) is built with that edition.
editions = []
for program in programs:
    text = program.read_text()
    name = name_of(program)
    (work / "examples" / f"par_{name}.rs").write_text(text)
    twin = "\n".join("" if marker.match(line) else line for line in text.split("\n"))
    (work / "examples" / f"seq_{name}.rs").write_text(twin)
    if text.startswith("// edition: 2024"):
        editions += [f'[[example]]\nname = "{twin}_{name}"\nedition = "2024"\n'
                     for twin in ("par", "seq")]
if editions:
    with open(work / "Cargo.toml", "a") as manifest:
        manifest.write("\n" + "\n".join(editions))

run = subprocess.run(
    ["cargo", "clippy", "--quiet", "--keep-going", "--examples", "--message-format=json", "--",
     "-W", "clippy::pedantic", "-A", "clippy::missing_panics_doc"],
    cwd=work, capture_output=True, text=True,
)
lints = {}
suggestions = {}
built = set()
for line in run.stdout.splitlines():
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact":
        built.add(message["target"]["name"])
    if message.get("reason") != "compiler-message":
        continue
    diagnostic = message["message"]
    spans = [s for s in diagnostic["spans"] if s["is_primary"]]
    if not spans or diagnostic["level"] not in ("warning", "error"):
        continue
    target = message["target"]["name"]
    code = (diagnostic.get("code") or {}).get("code") or diagnostic["message"]
    lints.setdefault(target, set()).add((code, spans[0]["line_start"], diagnostic["rendered"]))
    # What the lint suggests writing instead (`cargo clippy --fix` writes it).
    suggested = tuple(sorted(
        span["suggested_replacement"]
        for child in diagnostic["children"] for span in child["spans"]
        if span.get("suggested_replacement") is not None))
    suggestions.setdefault(target, {}).setdefault((code, spans[0]["line_start"]), set()).add(suggested)

failures = 0
for program in programs:
    name = name_of(program)
    # A parallel program must build; a twin of tests/ui/pass may not (clippy's deny-by-default
    # lints, such as `never_loop` on a loop that always returns, stop the sequential twin, which
    # only makes more of the parallel program's lints count as its own: stricter, never laxer).
    if f"par_{name}" not in built:
        failures += 1
        if f"seq_{name}" in built:
            print(f"{program.name}: the program with #[fail_fast] does not compile, while the "
                  f"same program without it does")
        else:
            print(f"{program.name}: the parallel program did not build")
    if program in everyday and f"seq_{name}" not in built:
        failures += 1
        print(f"{program.name}: the sequential program does not build: fix the program")
    parallel = lints.get(f"par_{name}", set())
    sequential = {(code, line) for code, line, _ in lints.get(f"seq_{name}", set())}
    for code, line, rendered in sorted(parallel):
        if (code, line) not in sequential:
            failures += 1
            print(f"{program.name}:{line}: {code} fires on the parallel loop only:\n{rendered}")
        elif suggestions[f"par_{name}"][(code, line)] - {()} - suggestions[f"seq_{name}"][(code, line)]:
            # A suggestion that quotes the rewrite's code, or the attribute, instead of the
            # user's (a span that covers generated tokens). None at all, as clippy gives for a
            # span of the rewrite's, writes nothing.
            failures += 1
            print(f"{program.name}:{line}: {code} suggests other code on the parallel loop:\n{rendered}")
print(f"twins: {len(programs)} programs ({len(everyday)} everyday ones), {len(built)} built, "
      f"{sum(len(v) for v in lints.values())} lints in all, "
      f"{failures} failures")
if failures:
    print(run.stderr)
sys.exit(1 if failures else 0)
