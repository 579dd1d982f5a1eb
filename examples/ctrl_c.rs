//! A long job that Ctrl-C stops cleanly: checksums a tree of files with 8 workers; on Ctrl-C
//! the running iterations finish, nothing new starts, and the program says how many files were
//! done and exits with code 130.
//!
//! ```text
//! cargo run --release --example ctrl_c                  # press Ctrl-C while it runs
//! cargo run --release --example ctrl_c -- --timeout 0.5 # or let it time out (exit code 124)
//! cargo run --release --example ctrl_c -- --files 200   # a smaller tree: it finishes
//! ```
//!
//! The tree (`--files` files of 16 KiB, 4,096 by default) is generated in a temporary directory
//! first, and removed at the end, also after a stop. failfast installs no signal handler: the
//! `ctrlc` crate's handler stops a [`StopToken`] that the loop was given.
use failfast::{fail_fast, StopToken, Stopped};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const FILE_SIZE: usize = 16 * 1024;
const FILES_PER_DIR: usize = 64;

/// The bitwise CRC-32 (IEEE) of `bytes`: the plain algorithm, eight steps per byte.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

/// Writes `files` files of pseudo-random bytes under `root`, in directories of 64.
fn generate(root: &Path, files: usize) -> io::Result<Vec<PathBuf>> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut data = vec![0u8; FILE_SIZE];
    let mut paths = Vec::with_capacity(files);
    for i in 0..files {
        let dir = root.join(format!("d{:03}", i / FILES_PER_DIR));
        if i % FILES_PER_DIR == 0 {
            fs::create_dir_all(&dir)?;
        }
        for chunk in data.chunks_mut(8) {
            // xorshift64
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            chunk.copy_from_slice(&state.to_le_bytes()[..chunk.len()]);
        }
        let path = dir.join(format!("f{:04}.bin", i % FILES_PER_DIR));
        fs::write(&path, &data)?;
        paths.push(path);
    }
    Ok(paths)
}

/// Checksums every file, 8 at once, until done, stopped (`stop`: Ctrl-C), or out of time.
#[fail_fast(workers = 8, stop = stop, timeout = timeout)]
fn checksum_all(
    paths: &[PathBuf],
    stop: &StopToken,
    timeout: Duration,
    done: &AtomicUsize,
    combined: &AtomicU32,
) -> io::Result<()> {
    for path in paths {
        let crc = crc32(&fs::read(path)?);
        // Order-independent: files finish in any order.
        combined.fetch_xor(crc, Ordering::Relaxed);
        done.fetch_add(1, Ordering::Relaxed);
    }
    Ok(())
}

/// Removes the generated tree when dropped, whatever way `main` ends.
struct TempTree(PathBuf);

impl Drop for TempTree {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn main() -> ExitCode {
    let mut files = 4096;
    let mut timeout = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().unwrap_or_default();
        match arg.as_str() {
            "--files" => files = value.parse().expect("--files takes a count"),
            "--timeout" => {
                let secs: f64 = value.parse().expect("--timeout takes seconds");
                timeout = Some(Duration::from_secs_f64(secs));
            }
            _ => {
                eprintln!("usage: ctrl_c [--files N] [--timeout SECONDS]");
                return ExitCode::from(2);
            }
        }
    }

    let tree =
        TempTree(std::env::temp_dir().join(format!("failfast-ctrl-c-{}", std::process::id())));
    let paths = match generate(&tree.0, files) {
        Ok(paths) => paths,
        Err(error) => {
            eprintln!("cannot generate the tree in {}: {error}", tree.0.display());
            return ExitCode::FAILURE;
        }
    };

    // Ctrl-C stops the token; the loop does the rest.
    let stop = StopToken::new();
    ctrlc::set_handler({
        let stop = stop.clone();
        move || stop.stop()
    })
    .expect("a Ctrl-C handler");

    let done = AtomicUsize::new(0);
    let combined = AtomicU32::new(0);
    println!("checksumming {files} files with 8 workers (Ctrl-C stops)");
    let started = Instant::now();
    // No `--timeout`: a timeout too long to pass.
    let timeout = timeout.unwrap_or(Duration::MAX);
    let result = checksum_all(&paths, &stop, timeout, &done, &combined);
    let done = done.into_inner();
    let took = started.elapsed().as_secs_f64();
    match result {
        Ok(()) => {
            let crc = combined.into_inner();
            println!("{done} of {files} files done in {took:.2} s, combined crc32 {crc:08x}");
            ExitCode::SUCCESS
        }
        Err(error) => match error.get_ref().and_then(|e| e.downcast_ref::<Stopped>()) {
            Some(stopped) if stopped.timed_out() => {
                println!("timed out after {took:.2} s: {done} of {files} files done");
                ExitCode::from(124)
            }
            Some(_) => {
                println!("stopped by Ctrl-C after {took:.2} s: {done} of {files} files done");
                // 128 + SIGINT, as a shell reports a program that Ctrl-C ended.
                ExitCode::from(130)
            }
            None => {
                eprintln!("checksumming failed: {error}");
                ExitCode::FAILURE
            }
        },
    }
}
