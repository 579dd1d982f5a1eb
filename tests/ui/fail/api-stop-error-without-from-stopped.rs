use failfast::{Loop, StopToken};

fn main() {
    let token = StopToken::new();
    let _: Result<(), String> = Loop::new(4).stop(&token).try_for_each(0..8, |n| {
        if n == 3 { Err("three".to_string()) } else { Ok(()) }
    });
}
