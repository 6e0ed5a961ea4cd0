//! Writers: summary CSV, JSON, readable tables and scenario CSVs.
