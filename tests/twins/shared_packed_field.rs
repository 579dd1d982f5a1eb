// A field of a packed struct read in the body (`&` of it would be refused).
use failfast::fail_fast;

#[repr(C, packed)]
struct Header {
    len: u32,
    tag: u8,
}

#[fail_fast(workers = 4)]
fn fits(items: &[u32]) -> Result<u8, String> {
    let header = Header { len: 3, tag: 1 };
    for x in items {
        if *x > header.len {
            Err(format!("{x} > {}", { header.len }))?;
        }
    }
    Ok(header.tag)
}

fn main() {
    assert_eq!(fits(&[1, 3]), Ok(1));
    assert!(fits(&[4]).is_err());
}
