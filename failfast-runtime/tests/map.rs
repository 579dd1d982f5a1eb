//! Test 12: the ordered map returns results in input order, or the first failure.
mod common;

use common::scaled;
use failfast_runtime::{cancelled, try_map};
use std::time::Duration;

#[test]
fn results_come_back_in_input_order() {
    // Later items finish first, so completion order is roughly reversed. Under Miri, which
    // interprets every instruction of 8 threads, two items a worker.
    let n = if cfg!(miri) { 16 } else { 64 };
    let squares = try_map(0..n, 8, |i| {
        std::thread::sleep(Duration::from_micros(n - i));
        Ok::<_, String>(i * i)
    });
    assert_eq!(squares, Ok((0..n).map(|i| i * i).collect()));
}

#[test]
fn many_fast_items_keep_their_order() {
    let n = scaled(100_000) as u32;
    let doubled = try_map(0..n, 4, |i| Ok::<_, ()>(i * 2));
    assert_eq!(doubled, Ok((0..n).map(|i| i * 2).collect()));
}

#[test]
fn the_first_failure_is_returned_instead_of_the_results() {
    let result = try_map(0..1_000u32, 4, |i| {
        if i == 100 {
            return Err(format!("item {i} failed"));
        }
        if i > 100 {
            while !cancelled() && i < 104 {
                std::thread::yield_now();
            }
        }
        Ok(i)
    });
    assert_eq!(result, Err("item 100 failed".to_string()));
}
