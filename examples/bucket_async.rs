//! Downloads every object of a bucket as its paginated listing comes in, 32 at a time, and
//! stops at the first failure: one object answers 500.
//!
//! The server (axum) runs on loopback in this process, like an object store: `GET
//! /list?page=N` lists 100 keys a page (20 ms a page) of 2,000 objects, and `GET
//! /objects/{key}` serves one (20 ms). The listing is a `Stream` of keys, written with
//! `futures::stream::try_unfold` over the pages, and the download loop is a `while let` over
//! it: `#[fail_fast(workers = 32)]` runs its iterations 32 at a time, takes a key from the
//! stream only when a download can start with it, and fetches the next page while the last
//! page's downloads run. At the broken object the other downloads are dropped, and the rest
//! of the listing is never fetched.
//!
//! Run it with `cargo run --example bucket_async`.
use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::routing::get;
use failfast::fail_fast;
use futures::{stream, Stream, TryStreamExt};
use indicatif::ProgressBar;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const OBJECTS: usize = 2_000;
const PAGE: usize = 100;
const BROKEN: &str = "photos/img-0737.jpg";
const LATENCY: Duration = Duration::from_millis(20);

fn key(index: usize) -> String {
    format!("photos/img-{index:04}.jpg")
}

/// One page of the listing: its keys, one a line.
async fn list(RawQuery(query): RawQuery) -> Result<String, StatusCode> {
    tokio::time::sleep(LATENCY).await;
    let page: usize = query
        .as_deref()
        .and_then(|q| q.strip_prefix("page="))
        .and_then(|n| n.parse().ok())
        .ok_or(StatusCode::BAD_REQUEST)?;
    let keys: Vec<String> = (page * PAGE..((page + 1) * PAGE).min(OBJECTS))
        .map(key)
        .collect();
    Ok(keys.join("\n"))
}

async fn object(Path(key): Path<String>) -> Result<Vec<u8>, StatusCode> {
    tokio::time::sleep(LATENCY).await;
    if key == BROKEN {
        return Err(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Ok(key.into_bytes().repeat(64))
}

/// The bucket's keys, page by page: the next page is fetched when the stream is polled
/// after the last key of the page before.
fn keys<'a>(
    client: &'a reqwest::Client,
    base: &'a str,
    listed: &'a AtomicUsize,
) -> impl Stream<Item = Result<String, String>> + 'a {
    stream::try_unfold(0, move |page| async move {
        let failed = |e: reqwest::Error| format!("could not list page {page}: {e}");
        let text = client
            .get(format!("{base}/list?page={page}"))
            .send()
            .await
            .and_then(|response| response.error_for_status())
            .map_err(failed)?
            .text()
            .await
            .map_err(failed)?;
        if text.is_empty() {
            return Ok::<_, String>(None);
        }
        let keys: Vec<String> = text.lines().map(str::to_owned).collect();
        listed.fetch_add(keys.len(), Ordering::Relaxed);
        Ok(Some((stream::iter(keys.into_iter().map(Ok)), page + 1)))
    })
    .try_flatten()
}

/// Downloads every object of the listing, 32 at once; the first failure drops the other
/// downloads and the listing.
#[fail_fast(workers = 32)]
async fn download_bucket(
    client: &reqwest::Client,
    base: &str,
    listed: &AtomicUsize,
    started: &AtomicUsize,
    progress: &ProgressBar,
) -> Result<usize, String> {
    let bytes = AtomicUsize::new(0);
    let mut keys = std::pin::pin!(keys(client, base, listed));
    while let Some(key) = keys.try_next().await? {
        started.fetch_add(1, Ordering::Relaxed);
        let response = client
            .get(format!("{base}/objects/{key}"))
            .send()
            .await
            .map_err(|e| format!("could not reach the server for {key}: {e}"))?;
        if !response.status().is_success() {
            return Err(format!("could not download {key}: {}", response.status()));
        }
        let body = response.bytes().await.map_err(|e| format!("{key}: {e}"))?;
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
    let app = axum::Router::new()
        .route("/list", get(list))
        .route("/objects/{*key}", get(object));
    tokio::spawn(async move { axum::serve(listener, app).await });

    let client = reqwest::Client::new();
    let (listed, started) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let progress = ProgressBar::new(OBJECTS as u64);
    let clock = Instant::now();
    let result = download_bucket(&client, &base, &listed, &started, &progress).await;
    let took = clock.elapsed();
    progress.abandon();
    let (listed, started) = (listed.into_inner(), started.into_inner());
    match result {
        Ok(bytes) => println!("downloaded {OBJECTS} objects, {bytes} bytes"),
        Err(error) => println!("{error}"),
    }
    println!(
        "listed: {listed}, started: {started}; never listed: {}, never started: {}",
        OBJECTS - listed,
        OBJECTS - started
    );
    println!("took {} ms", took.as_millis());
}
