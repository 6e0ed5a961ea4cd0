//! The catalogue reader `read_describe_json` on any bytes, and format detection: an error naming the file and
//! line or entry, or a catalogue; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use subnet_calc::read::catalog_files;

fuzz_target!(|data: &[u8]| {
    let _ = catalog_files::read_describe_json("fuzz", data);
    let _ = catalog_files::read_bytes("fuzz", data.to_vec());
});
