// `select!` as a `let`'s value, whose arm binds and changes a vector of its own, and may return.
use crossbeam_channel::{bounded, select, Receiver};
use failfast::fail_fast;
use std::sync::atomic::{AtomicUsize, Ordering};

#[fail_fast(workers = 2)]
fn lengths(channels: &[Receiver<Vec<u32>>]) -> Result<usize, String> {
    let total = AtomicUsize::new(0);
    for rx in channels {
        let n = select! {
            recv(rx) -> message => {
                let mut values = message.map_err(|e| e.to_string())?;
                values.push(1);
                if values.len() > 10 {
                    return Ok(values.len());
                }
                values.len()
            }
        };
        total.fetch_add(n, Ordering::SeqCst);
    }
    Ok(total.into_inner())
}

fn main() {
    let channels: Vec<_> = (0..3usize)
        .map(|i| {
            let (tx, rx) = bounded(1);
            tx.send(vec![0; i]).unwrap();
            rx
        })
        .collect();
    assert_eq!(lengths(&channels), Ok(6));
}
