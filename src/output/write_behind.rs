//! Starting the disk write of a large output while the rest of it is still being made.
//!
//! An output is synced to disk before it is renamed into place (see [`crate::output::atomic`]), so
//! that a crash never leaves a truncated file under the user's name. Left to itself, the kernel
//! holds gigabytes of a big JSON output dirty in memory, then the final `fsync` waits while all
//! of it goes to disk (more than a second for 3 GB here), and the dirty pages that piled up on
//! the way slow every later write. [`WriteBehind`] asks the kernel to start writing each 32 MiB
//! as soon as it is written (`sync_file_range`) and, before going on, waits for the 32 MiB
//! before that: the disk works while the output is being made, at most two windows are ever
//! dirty, and the final sync has little left to do. Linux only (`sync_file_range`).
//!
//! Failures of these hints are ignored: the final `fsync` reports whatever went wrong.

use std::fs::File;
use std::io::{self, Write};

/// How much is written between two hints.
const WINDOW: u64 = 32 << 20;

/// A file whose written bytes are handed to the disk as they come (see the module).
pub struct WriteBehind {
    file: File,
    written: u64,
    /// Everything before this offset has been handed to write-back.
    started: u64,
}

impl WriteBehind {
    /// Wraps `file`, which is written from its start.
    pub fn new(file: File) -> Self {
        WriteBehind {
            file,
            written: 0,
            started: 0,
        }
    }

    /// The file.
    pub fn into_inner(self) -> File {
        self.file
    }

    /// Starts the write-back of what was written since the last call, and waits for the window
    /// before it.
    fn hand_on(&mut self) {
        use std::os::fd::AsRawFd;
        let fd = self.file.as_raw_fd();
        let previous = self.started.saturating_sub(WINDOW);
        let range = |from: u64, to: u64| {
            (
                i64::try_from(from).unwrap_or(i64::MAX),
                i64::try_from(to - from).unwrap_or(i64::MAX),
            )
        };
        let (offset, len) = range(self.started, self.written);
        // SAFETY: `fd` is this struct's open file for the whole call; the call reads no memory.
        unsafe { libc::sync_file_range(fd, offset, len, libc::SYNC_FILE_RANGE_WRITE) };
        if previous < self.started {
            let (offset, len) = range(previous, self.started);
            let wait = libc::SYNC_FILE_RANGE_WAIT_BEFORE
                | libc::SYNC_FILE_RANGE_WRITE
                | libc::SYNC_FILE_RANGE_WAIT_AFTER;
            // SAFETY: as above.
            unsafe { libc::sync_file_range(fd, offset, len, wait) };
        }
        self.started = self.written;
    }
}

impl Write for WriteBehind {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.written += n as u64;
        if self.written - self.started >= WINDOW {
            self.hand_on();
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn every_byte_arrives_in_order_across_windows() {
        let mut file = tempfile::tempfile().unwrap();
        let mut w = WriteBehind::new(file.try_clone().unwrap());
        let block: Vec<u8> = (0..=255u8).cycle().take(1 << 20).collect();
        for _ in 0..70 {
            w.write_all(&block).unwrap();
        }
        w.write_all(b"end").unwrap();
        w.flush().unwrap();
        assert_eq!(w.started, 64 << 20, "two windows handed on");
        let mut back = Vec::new();
        use std::io::Seek;
        file.seek(io::SeekFrom::Start(0)).unwrap();
        file.read_to_end(&mut back).unwrap();
        assert_eq!(back.len(), 70 * (1 << 20) + 3);
        assert!(back.chunks(1 << 20).take(70).all(|c| c == block.as_slice()));
        assert!(back.ends_with(b"end"));
    }
}
