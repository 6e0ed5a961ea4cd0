//! The binary's outputs on disk: files that appear whole or not at all ([`atomic`]), several
//! files that appear together ([`staging`]), the temporary files an interruption removes
//! ([`cleanup`]), and the disk write of a big output started while it is made
//! ([`write_behind`]). The library's writers write to what they are given; these put it in place.

pub mod atomic;
pub mod cleanup;
pub mod staging;
// Only the unnamed temporary files of Linux use it (elsewhere it would be dead code).
#[cfg(target_os = "linux")]
pub mod write_behind;
