use failfast::fail_fast;
use std::path::PathBuf;

// A worklist: the body pushes to the stack that the head pops. The head runs while iterations
// run, so this races; recursion or a channel does the same walk in parallel.
#[fail_fast(workers = 4)]
fn walk(root: PathBuf) -> std::io::Result<()> {
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            }
        }
    }
    Ok(())
}

fn main() {}
