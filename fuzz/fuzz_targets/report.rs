//! The scenario input reader on any bytes as an xlsx file, seeded with reports the tool writes:
//! a report read back (its Inputs, Catalog and Summary found by their content), a legacy
//! workbook, or an error naming the file, sheet or cell; never a panic, never an allocation past
//! libFuzzer's limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use subnet_calc::read;

fuzz_target!(|data: &[u8]| {
    let _ = read::read_input("fuzz.xlsx", data.to_vec());
});
