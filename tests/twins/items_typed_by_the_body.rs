// Inputs whose items' type only the loop's body gives: a `parse` in an adapter bound by a
// `let`, a `collect` into `Vec<_>`, `Into::into` as an adapter, and a reader's generic
// `deserialize` (as the csv crate's README writes it).
use failfast::fail_fast;
use std::str::FromStr;

struct Reader<'a>(&'a str);

impl Reader<'_> {
    fn deserialize<D: FromStr>(&self) -> impl Iterator<Item = Result<D, String>> + '_ {
        self.0
            .split(',')
            .map(|field| field.trim().parse().map_err(|_| format!("bad field {field:?}")))
    }
}

#[derive(Debug)]
struct Record(u32);

impl FromStr for Record {
    type Err = ();
    fn from_str(text: &str) -> Result<Self, ()> {
        text.parse().map(Record).map_err(drop)
    }
}

#[fail_fast(workers = 2)]
fn parsed_by_a_let(words: &[&str]) -> Result<(), String> {
    let numbers = words.iter().map(|w| w.parse());
    for n in numbers {
        let n: u32 = n.map_err(|e| format!("{e}"))?;
        assert!(n < 100);
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn collected(lines: &[&str]) -> Result<(), String> {
    let numbers: Vec<_> = lines.iter().map(|l| l.trim().parse()).collect();
    for n in numbers {
        let n: u64 = n.map_err(|e| format!("{e}"))?;
        assert!(n < 100);
    }
    Ok(())
}

fn check64(x: u64) -> Result<(), String> {
    if x < 100 {
        Ok(())
    } else {
        Err(format!("{x} is too big"))
    }
}

#[fail_fast(workers = 2)]
fn converted(v: Vec<u32>) -> Result<(), String> {
    let it = v.into_iter().map(Into::into);
    for x in it {
        check64(x)?;
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn deserialized(data: &str) -> Result<(), String> {
    let reader = Reader(data);
    for result in reader.deserialize() {
        let record: Record = result?;
        assert!(record.0 < 100);
    }
    Ok(())
}

fn main() {
    assert!(parsed_by_a_let(&["1", "2"]).is_ok());
    assert!(collected(&["1", " 2"]).is_ok());
    assert!(converted(vec![1, 2]).is_ok());
    assert!(deserialized("1, 2").is_ok());
    assert!(deserialized("1, x").is_err());
}
