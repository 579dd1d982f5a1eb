//! Compile tests: every program in `tests/ui/pass` compiles and runs (each asserts its own
//! behaviour), every program in `tests/ui/fail` fails with exactly the `.stderr` beside it.
#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
