// A marked loop in a macro's arguments that are not expressions separated by commas
// (`tokio::select!`'s arms): refused at the macro's name, with what to write instead; no
// "attributes on expressions are experimental" and no "has no loop".
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

fn main() {
    let _ = check_all(&[1, 2]);
}
