// String literals with `{name}` that do not name a variable: a value compared by `assert_ne!`,
// a `tracing` field's value; and `tracing`'s `?` sigil, which is not the try operator, in a
// function returning `()`. `seen` is not `Sync` and the body does not use it.
use failfast::fail_fast;
use std::cell::Cell;

#[fail_fast(workers = 2)]
fn run(items: Vec<String>) {
    let seen = Cell::new(0);
    for s in items {
        assert_ne!(s, "{seen}");
        tracing::info!(template = "{seen}.html", len = s.len(), "rendering");
        tracing::debug!(x = ?s, ?s, "checked");
    }
    seen.set(1);
}

fn main() {
    run(vec![String::new()]);
}
