// Marked loops in macro arguments that cannot be opened, each refused at its marker with what
// to write instead, in one compile; no "attributes on expressions are experimental" and no
// "has no loop": arguments that are not expressions separated by commas (`tokio::select!`'s
// arms); `assert!`'s, which it prints as written; and a macro's inside a parallel loop's body.
use failfast::fail_fast;
use std::time::Duration;

fn check(x: u32) -> Result<(), String> {
    if x > 99 {
        Err(format!("{x} is too big"))
    } else {
        Ok(())
    }
}

#[fail_fast(workers = 4)]
async fn check_all(items: &[u32]) -> Result<(), String> {
    tokio::select! {
        checked = async {
            #[fail_fast]
            for x in items {
                check(*x)?;
            }
            Ok::<(), String>(())
        } => checked?,
        _ = tokio::time::sleep(Duration::from_secs(1)) => {}
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn asserted(items: &[u32]) -> Result<(), String> {
    assert!({
        #[fail_fast]
        for x in items {
            check(*x)?;
        }
        !items.is_empty()
    });
    Ok(())
}

#[fail_fast(workers = 4)]
async fn nested(groups: &[Vec<u32>]) -> Result<(), String> {
    #[fail_fast]
    for group in groups {
        let (a, b) = tokio::join!(
            async {
                #[fail_fast]
                for x in group {
                    check(*x)?;
                }
                Ok::<(), String>(())
            },
            async { check(group.len() as u32) },
        );
        a?;
        b?;
    }
    Ok(())
}

fn main() {
    let _ = check_all(&[1, 2]);
}
