//! A `Loop` with nothing that stops it (thread or async) returns any error type, as the free
//! functions do; only `stop`, `timeout` or `deadline` ask for one that holds `Stopped`. Each
//! kind of `Loop` can be stored and passed by its type.
use failfast::{Loop, StopToken, Stoppable, Stopped};
use std::time::Duration;

#[derive(Debug, PartialEq)]
enum ParseError {
    NotANumber(String),
}

fn parse_all(lines: &[&str], settings: Loop<'_>) -> Result<Vec<u32>, ParseError> {
    settings.try_map(lines, |line| {
        line.parse()
            .map_err(|_| ParseError::NotANumber(line.to_string()))
    })
}

fn check_all(lines: &[&str], settings: Loop<'_, Stoppable>) -> Result<(), Stopped> {
    settings.try_for_each(lines, |line| {
        assert!(!line.is_empty());
        Ok(())
    })
}

async fn lengths(words: Vec<&str>) -> Result<Vec<usize>, String> {
    failfast::future::Loop::new(4)
        .try_map(words, async |word: &str| {
            if word.is_empty() {
                Err("an empty word".to_string())
            } else {
                Ok(word.len())
            }
        })
        .await
}

fn main() {
    assert_eq!(parse_all(&["1", "2"], Loop::new(2)), Ok(vec![1, 2]));
    let token = StopToken::new();
    assert_eq!(check_all(&["a"], Loop::new(2).stop(&token)), Ok(()));
    assert_eq!(
        check_all(&["a"], Loop::new(2).timeout(Duration::from_secs(60))),
        Ok(())
    );
    let result: Result<(), &str> = Loop::new(2).try_for_each(0..4, |n| {
        if n == 3 { Err("three") } else { Ok(()) }
    });
    assert_eq!(result, Err("three"));
    let _ = lengths(vec!["a"]);
}
