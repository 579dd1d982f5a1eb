// A paginator whose next page may fail (`?` in the head); each page is checked in the body,
// with a sequential `for` inside it.
use failfast::fail_fast;

struct Pages {
    next: u32,
    last: u32,
}

impl Pages {
    fn next_page(&mut self) -> Result<Option<Vec<u32>>, String> {
        if self.next > self.last {
            return Ok(None);
        }
        let first = self.next * 10;
        self.next += 1;
        Ok(Some((first..first + 10).collect()))
    }
}

#[fail_fast(workers = 4)]
fn check_pages(pages: &mut Pages) -> Result<(), String> {
    while let Some(page) = pages.next_page()? {
        for item in &page {
            if *item == 999 {
                return Err(format!("item {item} is bad"));
            }
        }
    }
    Ok(())
}

fn main() {
    assert!(check_pages(&mut Pages { next: 0, last: 20 }).is_ok());
    assert!(check_pages(&mut Pages { next: 0, last: 200 }).is_err());
}
