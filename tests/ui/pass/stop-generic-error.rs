// Generic code with a stop: the error type is bound by `From<failfast::Stopped>`, as the
// message for a missing bound says.
use failfast::{fail_fast, StopToken, Stopped};

#[fail_fast(workers = 4, stop = stop)]
fn run_all<E: From<Stopped> + Send>(
    ids: &[u32],
    stop: &StopToken,
    f: impl Fn(u32) -> Result<(), E> + Sync,
) -> Result<(), E> {
    for &id in ids {
        f(id)?;
    }
    Ok(())
}

fn main() {
    let token = StopToken::new();
    assert_eq!(run_all(&[1, 2], &token, |_| Ok::<(), Stopped>(())), Ok(()));
    token.stop();
    let stopped = run_all(&[1, 2], &token, |_| Ok::<(), std::io::Error>(()));
    assert_eq!(stopped.unwrap_err().kind(), std::io::ErrorKind::Interrupted);
}
