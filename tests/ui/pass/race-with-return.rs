// Racing mirrors: the first mirror that answers wins; the others are told to stop.
use failfast::{cancelled, fail_fast};
use std::time::Duration;

#[fail_fast(workers = 3)]
fn fastest(mirrors: &[(&'static str, u64)]) -> Option<&'static str> {
    for &(name, delay_ms) in mirrors {
        for _ in 0..delay_ms {
            if cancelled() {
                return None;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        return Some(name);
    }
    None
}

fn main() {
    assert_eq!(fastest(&[("slow", 2_000), ("fast", 1), ("slower", 3_000)]), Some("fast"));
}
