// Each iteration changing "its own" element by index (`v[i] = ..` over `0..v.len()`): the
// macro cannot tell that the indexes differ, so the assignment is refused, and the help shows
// the loop that hands each iteration its own element.
use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn square(v: &mut [i32]) -> Result<(), String> {
    for i in 0..v.len() {
        v[i] = v[i] * v[i];
    }
    Ok(())
}

struct Table {
    rows: Vec<u64>,
}

impl Table {
    #[fail_fast(workers = 4)]
    async fn bump(&mut self, picks: Vec<usize>) -> Result<(), String> {
        for i in picks {
            std::future::ready(()).await;
            self.rows[i] += 1;
        }
        Ok(())
    }
}

fn main() {}
