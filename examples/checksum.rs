//! Checksum every file under a directory, in parallel, failing fast on the first file that
//! cannot be read.
//!
//! ```text
//! cargo run --example checksum -- [DIR] [--workers N]
//! ```
//!
//! `DIR` defaults to the current directory and `N` to the available parallelism. The
//! directory is walked lazily on the calling thread while workers hash the files, so a huge
//! tree starts hashing at once and is never listed in full.
use failfast::fail_fast;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};

/// A file that could not be read, and why.
#[derive(Debug)]
struct Unreadable {
    path: PathBuf,
    error: io::Error,
}

/// Walks `root` depth-first, yielding files (and anything else that is not a directory) as it
/// goes. Directories that cannot be listed are yielded too, so that hashing them fails with
/// their name.
fn walk(root: &Path) -> impl Iterator<Item = PathBuf> {
    let mut pending = vec![root.to_path_buf()];
    std::iter::from_fn(move || {
        while let Some(path) = pending.pop() {
            let is_dir = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
            if !is_dir {
                return Some(path);
            }
            match fs::read_dir(&path) {
                Ok(entries) => {
                    let mut children: Vec<PathBuf> =
                        entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
                    children.sort_unstable_by(|a, b| b.cmp(a));
                    pending.extend(children);
                }
                Err(_) => return Some(path),
            }
        }
        None
    })
}

/// FNV-1a over the file's bytes.
fn checksum(path: &Path) -> io::Result<(u64, u64)> {
    let mut file = File::open(path)?;
    let mut buffer = [0u8; 64 * 1024];
    let (mut hash, mut size) = (0xcbf2_9ce4_8422_2325_u64, 0u64);
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            return Ok((hash, size));
        }
        size += read as u64;
        for &byte in &buffer[..read] {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

struct Totals {
    files: AtomicU64,
    bytes: AtomicU64,
    /// XOR of the files' checksums: the same whatever order the files finish in.
    combined: AtomicU64,
}

#[fail_fast(workers = workers)]
fn checksum_tree(root: &Path, workers: usize, totals: &Totals) -> Result<(), Unreadable> {
    for path in walk(root) {
        let (hash, size) = checksum(&path).map_err(|error| Unreadable {
            path: path.clone(),
            error,
        })?;
        totals.files.fetch_add(1, Ordering::Relaxed);
        totals.bytes.fetch_add(size, Ordering::Relaxed);
        totals.combined.fetch_xor(hash, Ordering::Relaxed);
    }
    Ok(())
}

fn main() -> ExitCode {
    let mut root = PathBuf::from(".");
    let mut workers = failfast::default_workers();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--workers" => match args.next().and_then(|n| n.parse().ok()).filter(|&n| n > 0) {
                Some(n) => workers = n,
                None => {
                    eprintln!("--workers needs a number of at least 1");
                    return ExitCode::from(2);
                }
            },
            _ => root = PathBuf::from(arg),
        }
    }

    let totals = Totals {
        files: AtomicU64::new(0),
        bytes: AtomicU64::new(0),
        combined: AtomicU64::new(0),
    };
    match checksum_tree(&root, workers, &totals) {
        Ok(()) => {
            println!(
                "{} files, {} bytes, combined checksum {:016x} ({workers} workers)",
                totals.files.into_inner(),
                totals.bytes.into_inner(),
                totals.combined.into_inner()
            );
            ExitCode::SUCCESS
        }
        Err(Unreadable { path, error }) => {
            eprintln!("error: cannot read {}: {error}", path.display());
            eprintln!(
                "stopped after {} files; no file was started after the failure",
                totals.files.into_inner()
            );
            ExitCode::FAILURE
        }
    }
}
