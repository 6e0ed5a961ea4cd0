//! The scenario CSV reader on any bytes: an error naming a line, or scenarios; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use subnet_calc::read::{ReadLimits, read_input_with};

fuzz_target!(|data: &[u8]| {
    // Through the same entry point as the binary: a CSV, or a file of another kind named.
    let _ = read_input_with("fuzz.csv", data.to_vec(), &ReadLimits::default());
    let _ = subnet_calc::read::scenario_csv::read_bytes("fuzz.csv", data);
});
