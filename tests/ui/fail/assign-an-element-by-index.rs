// Each iteration changing "its own" element by index (`v[i] = ..` over `0..v.len()`): the
// macro cannot tell that the indexes differ, so the assignment is refused, and the help shows
// the loop that hands each iteration its own element. An index that is not the loop's count
// (a histogram's byte, a list of picks) may repeat: the help is the usual one.
use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn square(v: &mut [i32]) -> Result<(), String> {
    for i in 0..v.len() {
        v[i] = v[i] * v[i];
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn histogram(counts: &mut [u32; 256], bytes: &[u8]) -> Result<(), String> {
    for &b in bytes {
        counts[b as usize] += 1;
    }
    Ok(())
}

struct Table {
    rows: Vec<u64>,
}

impl Table {
    #[fail_fast(workers = 4)]
    async fn double(&mut self) -> Result<(), String> {
        for i in 0..self.rows.len() {
            std::future::ready(()).await;
            self.rows[i] *= 2;
        }
        Ok(())
    }

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
