use failfast::fail_fast;
use std::collections::HashMap;

#[fail_fast(workers = 4)]
fn word_counts(words: &[&str]) -> Result<HashMap<String, usize>, String> {
    let mut counts = HashMap::new();
    for word in words {
        *counts.entry(word.to_string()).or_insert(0) += 1;
    }
    Ok(counts)
}

fn main() {}
