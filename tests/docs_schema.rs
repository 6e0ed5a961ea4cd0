//! docs/formats.md holds the scenario CSV's column table as the schema makes it
//! ([`markdown_table`]): a column added to or changed in the schema fails here until the docs
//! have it.

use subnet_calc::scenario::schema::markdown_table;

#[test]
fn docs_formats_holds_the_schemas_column_table() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/formats.md"))
        .expect("docs/formats.md is readable");
    let table = markdown_table();
    assert!(
        docs.contains(&table),
        "docs/formats.md's scenario CSV column table differs from the schema's; put this \
         table in its place:\n\n{table}"
    );
}
