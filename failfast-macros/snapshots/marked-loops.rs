// Only marked loops run in parallel, a marker's options override the function's, and a
// marked loop in a closure leaves the closure.
#[fail_fast(workers = 2)]
fn sync(local: &[File], remote: &[File]) -> Result<(), Error> {
    for file in local {
        println!("{}", file.name);
    }
    #[fail_fast(workers = 16)]
    for file in remote {
        file.fetch()?;
    }
    let check = |files: &[File]| -> Result<(), Error> {
        #[fail_fast]
        for file in files {
            file.verify()?;
        }
        Ok(())
    };
    check(local)
}
