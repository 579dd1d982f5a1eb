// `&mut` parameters that the body only reads, or changes through `&self` (a channel's
// sender), and a slice of them filled through `iter_mut()` in the input: none is a data
// race, and each compiles as the sequential loop does.
use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn scaled(items: &[u32], out: &mut Vec<u32>, done: &mut crossbeam_channel::Sender<u32>) -> Result<(), String> {
    out.push(0);
    for &x in items {
        let scale = out.len() as u32;
        done.send(x * scale).map_err(|e| e.to_string())?;
    }
    out.push(1);
    Ok(())
}

#[fail_fast(workers = 4)]
fn filled(slots: &mut [u64], base: &mut u64) -> Result<(), String> {
    *base += 1;
    let start = *base;
    for (i, slot) in slots.iter_mut().enumerate() {
        *slot = start + i as u64;
    }
    Ok(())
}

fn main() {
    let (mut tx, rx) = crossbeam_channel::unbounded();
    let mut out = Vec::new();
    scaled(&[1, 2, 3], &mut out, &mut tx).unwrap();
    drop(tx);
    let mut got: Vec<u32> = rx.iter().collect();
    got.sort_unstable();
    assert_eq!(got, [1, 2, 3]);
    assert_eq!(out, [0, 1]);
    let mut slots = [0; 5];
    let mut base = 9;
    filled(&mut slots, &mut base).unwrap();
    assert_eq!(slots, [10, 11, 12, 13, 14]);
}
