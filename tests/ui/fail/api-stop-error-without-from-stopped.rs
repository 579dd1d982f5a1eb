use failfast::{Loop, StopToken};
use std::time::Duration;

fn main() {
    let token = StopToken::new();
    let _: Result<(), String> = Loop::new(4).stop(&token).try_for_each(0..8, |n| {
        if n == 3 { Err("three".to_string()) } else { Ok(()) }
    });
    let _: Result<Vec<u32>, String> = Loop::new(4)
        .timeout(Duration::from_secs(1))
        .try_map(0..8, |n| Ok(n * 2));
    let _ = async {
        let _: Result<(), String> = failfast::future::Loop::new(4)
            .stop(&token)
            .try_for_each(0..8, async |_| Ok(()))
            .await;
        let _: Result<Vec<u32>, String> = failfast::future::Loop::new(4)
            .stop(&token)
            .try_map(0..8, async |n| Ok(n))
            .await;
    };
}
