use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn sync_folders(local: &[String], remote: &[String]) -> Result<(), String> {
    for name in local {
        println!("upload {name}");
    }
    for name in remote {
        println!("download {name}");
    }
    Ok(())
}

fn main() {}
