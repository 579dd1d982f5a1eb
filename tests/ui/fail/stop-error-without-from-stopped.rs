use failfast::{fail_fast, StopToken};

#[derive(Debug)]
enum Error {
    NotFound(u32),
}

#[fail_fast(workers = 4, stop = stop)]
fn find_all(ids: &[u32], stop: &StopToken) -> Result<(), Error> {
    for &id in ids {
        if id == 0 {
            Err(Error::NotFound(id))?;
        }
    }
    Ok(())
}

#[fail_fast(workers = 4, stop = stop)]
fn count(ids: &[u32], stop: &StopToken) -> usize {
    for &id in ids {
        if id == 0 {
            return 0;
        }
    }
    ids.len()
}

// Generic code: the error type needs the bound `E: From<failfast::Stopped>`.
#[fail_fast(workers = 4, stop = stop)]
fn run_all<E: Send>(
    ids: &[u32],
    stop: &StopToken,
    f: impl Fn(u32) -> Result<(), E> + Sync,
) -> Result<(), E> {
    for &id in ids {
        f(id)?;
    }
    Ok(())
}

fn main() {}
