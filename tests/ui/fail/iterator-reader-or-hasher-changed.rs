// Methods that change an iterator, a buffered reader or a hasher (`next`, `read_line`,
// `write_u32`), called by every iteration on one of the standard library's declared outside
// the loop: a data race, reported at the method with the loop's message rather than rustc's
// "captured variable in a `Fn` closure". Rustc is asked whether the place is one of those
// types, so a type of the user's own with a `next(&self)` is left alone (see
// `tests/twins/methods_named_like_changes.rs`).
use failfast::fail_fast;
use std::hash::Hasher;
use std::io::BufRead;

#[fail_fast(workers = 4)]
fn assign(names: &[&str], ids: &[u32]) -> Result<(), String> {
    let mut id_iter = ids.iter();
    for name in names {
        let Some(id) = id_iter.next() else {
            return Err(format!("no id for {name}"));
        };
        println!("{name}: {id}");
    }
    Ok(())
}

struct Session {
    input: std::io::BufReader<std::fs::File>,
    hasher: std::collections::hash_map::DefaultHasher,
}

impl Session {
    #[fail_fast(workers = 2)]
    fn ask(&mut self, questions: &[&str]) -> std::io::Result<()> {
        for question in questions {
            let mut answer = String::new();
            self.input.read_line(&mut answer)?;
            self.hasher.write_u32(answer.len() as u32);
            println!("{question} {answer}");
        }
        Ok(())
    }
}

#[fail_fast(workers = 4)]
async fn fetch_all(urls: &[&str], ids: &[u32]) -> Result<(), String> {
    let mut id_iter = ids.iter();
    for url in urls {
        std::future::ready(()).await;
        let id = id_iter.next().ok_or("no id")?;
        println!("{url}: {id}");
    }
    Ok(())
}

fn main() {
    let _ = fetch_all(&[], &[]);
}
