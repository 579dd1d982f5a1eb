#[fail_fast(workers = 4)]
async fn total(items: Vec<u32>, extra: std::sync::mpsc::Receiver<u32>) -> Result<u32, String> {
    let hits = Cell::new(0u32);
    for x in items {
        hits.set(hits.get() + x);
        if let Ok(more) = extra.try_recv() {
            hits.set(hits.get() + more);
        }
        println!("{} hits after {x}", hits.get());
        eprintln!("{hits:?}");
        tick().await;
    }
    Ok(hits.get())
}
