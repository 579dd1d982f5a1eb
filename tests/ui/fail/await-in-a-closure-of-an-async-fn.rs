// A marked loop that awaits in a closure that is not `async`, inside an `async fn`: the help
// says to make the closure async (the function already is).
use failfast::fail_fast;

async fn fetch(_url: &str) -> Result<(), String> {
    Ok(())
}

#[fail_fast(workers = 4)]
async fn fetch_all(urls: Vec<String>) -> Result<(), String> {
    let check = |urls: &[String]| -> Result<(), String> {
        #[fail_fast]
        for url in urls {
            fetch(url).await?;
        }
        Ok(())
    };
    check(&urls)
}


// Nested marked loops in such a closure: one error, the outer loop's.
#[fail_fast(workers = 4)]
async fn fetch_rows(rows: Vec<Vec<String>>) -> Result<(), String> {
    let check = |rows: &[Vec<String>]| -> Result<(), String> {
        #[fail_fast]
        for row in rows {
            #[fail_fast]
            for url in row {
                fetch(url).await?;
            }
        }
        Ok(())
    };
    check(&rows)
}

fn main() {
    let _ = fetch_all(Vec::new());
    let _ = fetch_rows(Vec::new());
}
