//! The streaming pipeline of `eval`: a reading thread splits the inputs into batches of a
//! [`subnet_calc::engine::batch::CHUNK`] scenarios, while this thread makes each batch's jobs
//! and evaluates them on every core (rayon), and writes them out, in input order. Reading,
//! evaluating and writing overlap, and memory holds a few batches.

use std::sync::mpsc::sync_channel;

use anyhow::Result;
use subnet_calc::engine::batch::Job;

use subnet_calc::read::scenario_csv::RawBatch;

use crate::cmd::jobs::{Batch, BatchStream};
use crate::cmd::progress::Progress;

/// Batches read ahead of the one being evaluated.
const AHEAD: usize = 2;

/// Runs `stream` through `each_chunk`, a batch's jobs at a time in input order, and returns the
/// stream (for its [`crate::cmd::inputs::Reading`] and count) once it is used up. The first
/// error, from reading or from `each_chunk`, ends the run.
pub fn run(
    stream: BatchStream,
    progress: &Progress,
    mut each_chunk: impl FnMut(Vec<Job>) -> Result<()>,
) -> Result<BatchStream> {
    run_batches(stream, progress, |batch| {
        let (jobs, spent) = batch.into_jobs()?;
        each_chunk(jobs)?;
        Ok(spent)
    })
}

/// [`run`], handing `each_batch` the batches themselves (to be evaluated as they are parsed, see
/// [`Batch::fold_evaluations`]); it returns a spent batch's buffers for reuse.
pub fn run_batches(
    stream: BatchStream,
    progress: &Progress,
    mut each_batch: impl FnMut(Batch) -> Result<Option<RawBatch>>,
) -> Result<BatchStream> {
    std::thread::scope(|scope| {
        let (tx, rx) = sync_channel::<Result<(Batch, u64)>>(AHEAD);
        // Spent batches go back to the reader, which refills their buffers: rows cost no
        // allocation once the first batches are read.
        let (back_tx, back_rx) = sync_channel::<RawBatch>(AHEAD + 1);
        let reader = std::thread::Builder::new()
            .name("reader".into())
            .spawn_scoped(scope, move || {
                let mut stream = stream;
                loop {
                    match stream.next_batch(back_rx.try_recv().ok()) {
                        Ok(Some(batch)) => {
                            if tx.send(Ok(batch)).is_err() {
                                // The writer stopped (an error): nothing more is wanted.
                                break;
                            }
                        }
                        Ok(None) => break,
                        Err(e) => {
                            let _ = tx.send(Err(e));
                            break;
                        }
                    }
                }
                stream
            })?;
        let mut result = Ok(());
        for batch in &rx {
            let done = batch.and_then(|(batch, position)| {
                if let Some(spent) = each_batch(batch)? {
                    let _ = back_tx.try_send(spent);
                }
                progress.set_position(position);
                Ok(())
            });
            if let Err(e) = done {
                result = Err(e);
                break;
            }
        }
        // Lets a reader blocked on a full channel see that nobody listens any more.
        drop(rx);
        let stream = reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        result.map(|()| stream)
    })
}
