//! Downloads 1,000 files from a real HTTP server, 50 at a time, and stops at the first
//! failure: file 300 answers 404.
//!
//! The server (axum) runs on loopback in this process and answers each request after 20 ms,
//! like a remote one; the client is reqwest. One `#[fail_fast(workers = 50)]` on an `async fn`
//! does what `buffer_unordered(50)` + `try_for_each` or a `JoinSet` + `Semaphore` would:
//! at most 50 requests in flight, the first error drops the other in-flight requests at once,
//! and the rest of the list never starts.
//!
//! Run it with `cargo run --example download_async`.
use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::get;
use failfast::fail_fast;
use indicatif::ProgressBar;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const FILES: usize = 1_000;
const MISSING: &str = "file-0300.bin";
const LATENCY: Duration = Duration::from_millis(20);

async fn serve_file(Path(name): Path<String>) -> Result<Vec<u8>, StatusCode> {
    tokio::time::sleep(LATENCY).await;
    if name == MISSING {
        return Err(StatusCode::NOT_FOUND);
    }
    Ok(name.into_bytes().repeat(64))
}

/// Downloads every file, 50 at once; the first failure drops the other in-flight requests.
#[fail_fast(workers = 50)]
async fn download_all(
    client: &reqwest::Client,
    base: &str,
    names: &[String],
    started: &AtomicUsize,
    progress: &ProgressBar,
) -> Result<usize, String> {
    let bytes = AtomicUsize::new(0);
    for name in names {
        started.fetch_add(1, Ordering::Relaxed);
        let response = client
            .get(format!("{base}/files/{name}"))
            .send()
            .await
            .map_err(|e| format!("could not reach the server for {name}: {e}"))?;
        if !response.status().is_success() {
            return Err(format!("could not download {name}: {}", response.status()));
        }
        let body = response.bytes().await.map_err(|e| format!("{name}: {e}"))?;
        bytes.fetch_add(body.len(), Ordering::Relaxed);
        progress.inc(1);
    }
    Ok(bytes.into_inner())
}

#[tokio::main]
async fn main() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new().route("/files/{name}", get(serve_file));
    tokio::spawn(async move { axum::serve(listener, app).await });

    let names: Vec<String> = (0..FILES).map(|i| format!("file-{i:04}.bin")).collect();
    let client = reqwest::Client::new();
    let started = AtomicUsize::new(0);
    let progress = ProgressBar::new(FILES as u64);
    let clock = Instant::now();
    let result = download_all(&client, &base, &names, &started, &progress).await;
    let took = clock.elapsed();
    progress.abandon();
    let started = started.into_inner();
    match result {
        Ok(bytes) => println!("downloaded {FILES} files, {bytes} bytes"),
        Err(error) => println!("{error}"),
    }
    println!("started: {started}, never started: {}", FILES - started);
    println!(
        "took {} ms; one at a time, the {FILES} files would take about {} ms",
        took.as_millis(),
        (LATENCY * FILES as u32).as_millis()
    );
}
