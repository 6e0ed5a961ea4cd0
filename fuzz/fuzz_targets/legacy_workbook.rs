//! The legacy workbook reader on any bytes (seeded with real workbooks): an error naming the
//! file, sheet or cell, or scenarios; never a panic, never an allocation past libFuzzer's limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use subnet_calc::read::legacy_xlsx;

fuzz_target!(|data: &[u8]| {
    let _ = legacy_xlsx::read_bytes("fuzz.xlsx", data.to_vec());
    let _ = legacy_xlsx::read_catalog("fuzz.xlsx", data.to_vec());
});
