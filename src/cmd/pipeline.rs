//! The streaming pipeline of `eval`: a reading thread splits the inputs into batches of a
//! [`subnet_calc::engine::batch::CHUNK`] scenarios, while this thread has each batch parsed,
//! checked and evaluated on every core (rayon), and written out, in input order. Reading,
//! evaluating and writing overlap, and memory holds a few batches.

use std::sync::mpsc::sync_channel;

use anyhow::Result;
use subnet_calc::read::scenario_csv::RawBatch;

use crate::cmd::faults::Faults;
use crate::cmd::jobs::{Batch, BatchStream};
use crate::cmd::progress::Progress;

/// Batches read ahead of the one being evaluated.
const AHEAD: usize = 2;

/// Runs `stream` through `each_batch`, one batch at a time in input order, and returns the
/// stream (for its [`crate::cmd::inputs::Reading`] and count) once it is used up. A failure to
/// read, or an error from `each_batch` (an output that cannot be written), ends the run; faults
/// of the input are in the batches, for `each_batch` to collect.
pub fn run(
    stream: BatchStream,
    progress: &Progress,
    mut each_batch: impl FnMut(&mut Batch) -> Result<()>,
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
            let done = batch.and_then(|(mut batch, position)| {
                each_batch(&mut batch)?;
                if let Some(spent) = batch.into_spare() {
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

/// Runs `stream` reading and checking every input without evaluating it (no progress shown),
/// its faults added to `faults`, and settles its reading ([`crate::cmd::inputs::Reading::settle`]):
/// the run's error when a fault was found, or when nothing at all could be read. Returns the
/// stream used up, for a second pass that knows what the first found.
pub fn check_only(stream: BatchStream, mut faults: Faults) -> Result<BatchStream> {
    let mut checked = run(stream, &Progress::none(), |batch| {
        faults.add(batch.check());
        Ok(())
    })?;
    checked.reading.settle(faults)?;
    checked.reading.check_any(checked.scenarios as usize)?;
    Ok(checked)
}
