//! The JSON output: `{"tool": {"name", "version", "instance_data": {…}}, "scenarios": [
//! {evaluation}, … ]}`, and `"left_out": […]` after the scenarios when some inputs could not be
//! read.
//!
//! Each evaluation carries `scenario, model, status, subnet_ips, used_ips, remaining_ips, pods`
//! and `node_groups`, each node group every per-instance column of its model (see
//! `docs/formats.md`). Written as a stream, one scenario at a time.

use std::io::Write;

use crate::catalog::builtin::InstanceData;
use crate::error::{Error, Result};
use crate::evaluation::Evaluation;

/// Writes evaluations as one JSON document, as they come.
pub struct JsonWriter<W: Write> {
    out: W,
    first: bool,
}

fn io(e: std::io::Error) -> Error {
    Error::Write {
        path: "output".into(),
        source: e,
    }
}

impl<W: Write> JsonWriter<W> {
    /// Starts the document with the tool that wrote it: its name, version and the instance data
    /// the evaluations used.
    pub fn new(mut out: W, instance_data: &InstanceData) -> Result<Self> {
        // Written in this order (a `json!` object would sort its keys).
        write!(
            out,
            "{{\"tool\":{{\"name\":{},\"version\":{},\"instance_data\":{}}},\"scenarios\":[",
            serde_json::Value::from(env!("CARGO_PKG_NAME")),
            serde_json::Value::from(env!("CARGO_PKG_VERSION")),
            instance_data.to_json()
        )
        .map_err(io)?;
        Ok(JsonWriter { out, first: true })
    }

    /// Writes one evaluation.
    pub fn write(&mut self, e: &Evaluation) -> Result<()> {
        if !self.first {
            self.out.write_all(b",").map_err(io)?;
        }
        self.first = false;
        self.out.write_all(b"\n").map_err(io)?;
        serde_json::to_writer(&mut self.out, e).map_err(|e| io(e.into()))
    }

    /// Appends one evaluation to `part`, as [`JsonWriter::write`] would write it after another:
    /// parts are formatted on their own (in parallel), then written with
    /// [`JsonWriter::write_part`].
    pub fn format(e: &Evaluation, part: &mut Vec<u8>) -> Result<()> {
        part.extend_from_slice(b",\n");
        serde_json::to_writer(&mut *part, e).map_err(|e| io(e.into()))
    }

    /// Writes evaluations [`JsonWriter::format`] formatted (the document's first loses its comma).
    pub fn write_part(&mut self, part: &[u8]) -> Result<()> {
        let part = match (self.first, part.first()) {
            (true, Some(b',')) => &part[1..],
            _ => part,
        };
        if !part.is_empty() {
            self.first = false;
        }
        self.out.write_all(part).map_err(io)
    }

    /// Closes the document and returns the writer.
    pub fn finish(self) -> Result<W> {
        self.finish_with(&[])
    }

    /// Closes the document, naming after the scenarios the inputs (or sheets) that were left
    /// out because they could not be read (`"left_out": […]`, only when there are some), and
    /// returns the writer.
    pub fn finish_with(mut self, left_out: &[String]) -> Result<W> {
        self.out.write_all(b"\n]").map_err(io)?;
        if !left_out.is_empty() {
            self.out.write_all(b",\"left_out\":").map_err(io)?;
            serde_json::to_writer(&mut self.out, left_out).map_err(|e| io(e.into()))?;
        }
        self.out.write_all(b"}\n").map_err(io)?;
        self.out.flush().map_err(io)?;
        Ok(self.out)
    }
}

impl<W: Write> crate::write::EvaluationWriter for JsonWriter<W> {
    fn write(&mut self, evaluation: &Evaluation) -> Result<()> {
        JsonWriter::write(self, evaluation)
    }

    fn finish(self) -> Result<()> {
        JsonWriter::finish(self).map(|_| ())
    }
}
