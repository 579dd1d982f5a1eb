use failfast::fail_fast;

union Bits {
    int: u32,
    float: f32,
}

/// # Safety
/// `at` is within `data`.
unsafe fn read_at(data: &[u32], at: usize) -> u32 {
    // SAFETY: guaranteed by the caller.
    unsafe { *data.get_unchecked(at) }
}

// Variables used inside `unsafe` (a slice, a union whose field is read) are shared by the
// iterations as outside it; a union's field is read only inside `unsafe`.
#[fail_fast(workers = 2)]
fn check(data: &[u32], indices: &[usize]) -> Result<u32, String> {
    let bits = Bits { float: 1.0 };
    for &at in indices {
        if at >= data.len() {
            return Err(format!("{at} is out of range"));
        }
        // SAFETY: checked above.
        let value = unsafe { read_at(data, at) };
        // SAFETY: every bit pattern is a `u32`.
        if value == unsafe { bits.int } {
            return Err(format!("{at} holds the bits of 1.0"));
        }
    }
    // SAFETY: as above.
    Ok(unsafe { bits.int })
}

fn main() {
    assert_eq!(check(&[1, 2, 3], &[0, 2]), Ok(1.0f32.to_bits()));
    assert!(check(&[1, 0x3f80_0000], &[1]).is_err());
}
