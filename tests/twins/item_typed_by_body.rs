// Items whose type the body gives: an input closure's `parse()`, `into()` or `collect()`,
// or `str::parse` as a path, fixed by a `let` with a type in the body.
use failfast::fail_fast;
use std::num::ParseIntError;

#[fail_fast(workers = 4)]
fn parse_all(lines: &[&str]) -> Result<u32, ParseIntError> {
    for parsed in lines.iter().map(|l| l.parse()) {
        let n: u32 = parsed?;
        if n == 0 {
            continue;
        }
    }
    Ok(0)
}

#[fail_fast(workers = 4)]
fn parse_by_path(lines: &[&str]) -> Result<(), ParseIntError> {
    for parsed in lines.iter().copied().map(str::parse) {
        let n: u64 = parsed?;
        assert!(n < 100);
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn all_small(words: &[&str]) -> Option<()> {
    for x in words.iter().map(|s| s.parse().ok()) {
        let n: u8 = x?;
        assert!(n < 100);
    }
    Some(())
}

#[fail_fast(workers = 2)]
fn widened(nums: &[u8]) -> Result<(), String> {
    for wide in nums.iter().map(|n| (*n).into()) {
        let wide: u32 = wide;
        if wide > 255 {
            return Err(format!("{wide} does not fit"));
        }
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn rows(rows: &[&str]) -> Result<(), String> {
    for cells in rows.iter().map(|r| r.split(',').map(str::len).collect()) {
        let cells: Vec<usize> = cells;
        if cells.is_empty() {
            return Err("an empty row".to_owned());
        }
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn cast_to_an_inferred_type(names: &[&str]) -> Result<u64, String> {
    for n in names.iter().map(|n| n.len() as _) {
        let k: u64 = n;
        if k > 100 {
            return Err("long".into());
        }
    }
    Ok(1)
}

#[fail_fast(workers = 2)]
fn empty_vectors(names: &[&str]) -> Result<(), String> {
    for mut v in names.iter().map(|_| Vec::<_>::new()) {
        v.push(1_u8);
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn empty_vec_macros(names: &[&str]) -> Result<(), String> {
    for mut v in names.iter().map(|_| vec![]) {
        v.push(1_u8);
    }
    Ok(())
}

fn main() {
    assert_eq!(cast_to_an_inferred_type(&["a"]), Ok(1));
    assert!(empty_vectors(&["a"]).is_ok());
    assert!(empty_vec_macros(&["a"]).is_ok());
    assert!(parse_all(&["1", "x"]).is_err());
    assert!(parse_by_path(&["1", "2"]).is_ok());
    assert_eq!(all_small(&["1", "300"]), None);
    assert!(widened(&[1, 2]).is_ok());
    assert!(rows(&["a,b", "c"]).is_ok());
}
