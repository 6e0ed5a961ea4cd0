//! The run's instance catalogues: the readers' limits the flags set, the `--catalog` files read
//! and layered (every source's faults reported together), over the built-in data or not
//! ([`Catalogs`]), and the catalogue each input's scenarios are checked against
//! ([`catalog_of`]).

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Result;
use subnet_calc::catalog::Catalog;
use subnet_calc::catalog::builtin::InstanceData;
use subnet_calc::read::{self, ReadLimits};
use subnet_calc::{Error, Location};

use crate::cli::LimitFlags;
use crate::cmd::faults::Faults;

/// The readers' limits the flags set.
pub fn read_limits(flags: &LimitFlags) -> ReadLimits {
    ReadLimits {
        max_input_bytes: flags.max_input_size,
        xlsx: subnet_calc::read::xlsx::package::Limits {
            max_part_bytes: flags.max_uncompressed,
            max_total_bytes: flags.max_uncompressed.saturating_mul(4),
            max_cell_formats: flags.max_cell_formats,
            max_shared_strings: flags.max_shared_strings,
            max_sheets: flags.max_sheets,
            max_defined_names: flags.max_defined_names,
        },
        max_cells: flags.max_cells,
    }
}

/// Reads and layers catalogue sources in the order given, over the built-in catalogue when
/// `builtin`; the faults of every source are reported together.
pub fn read_catalogs(paths: &[PathBuf], limits: &ReadLimits, builtin: bool) -> Result<Catalog> {
    let (files, found) = read_catalogs_collecting(paths, limits);
    let mut faults = Faults::new(usize::MAX).ordered_by(catalog_names(paths).iter().map(|n| &**n));
    faults.add(found);
    faults.finish()?;
    Ok(over_builtin(files, builtin))
}

/// The files over the built-in catalogue when `builtin`, else the files alone.
fn over_builtin(files: Catalog, builtin: bool) -> Catalog {
    if !builtin {
        return files;
    }
    let mut layered = Catalog::over_builtin();
    layered.layer(&files);
    layered
}

/// The catalogues of a run: the `--catalog` files alone, which a workbook's scenarios take over
/// the workbook's own lookup sheets, and the files over the built-in data, which a scenario
/// CSV's take (see [`catalog_of`]).
#[derive(Debug, Clone)]
pub struct Catalogs {
    /// The `--catalog` files, layered in the order given.
    pub files: Arc<Catalog>,
    /// The files over the built-in catalogue, or the files alone with `--no-builtin-catalog`.
    pub layered: Arc<Catalog>,
    /// Whether the built-in catalogue is used.
    pub builtin: bool,
}

impl Catalogs {
    /// The catalogues of a run whose `--catalog` files, layered, are `files`.
    pub fn new(files: Catalog, builtin: bool) -> Self {
        let files = Arc::new(files);
        let layered = if builtin {
            Arc::new(over_builtin(files.as_ref().clone(), true))
        } else {
            Arc::clone(&files)
        };
        Catalogs {
            files,
            layered,
            builtin,
        }
    }

    /// The instance data a run used, for its outputs: the built-in catalogue (if used), then
    /// the sources of the workbook inputs' own lookup sheets (`own`, each once, in input order)
    /// and the `--catalog` files, in layering order.
    pub fn instance_data(&self, own: &[String]) -> InstanceData {
        let mut catalogs: Vec<String> = own.to_vec();
        for source in self.files.sources() {
            if !catalogs.contains(source) {
                catalogs.push(source.clone());
            }
        }
        InstanceData {
            built_in: self.builtin,
            catalogs,
        }
    }
}

/// The catalogue files as faults name them.
pub fn catalog_names(paths: &[PathBuf]) -> Vec<String> {
    paths.iter().map(|p| p.display().to_string()).collect()
}

/// Reads and layers catalogue sources in the order given: what could be read, and the faults of
/// every source (every bad line of each). A source that could not be read is still named among
/// the catalogue's sources, so that the scenario inputs can be checked on (their instance types
/// are not: see [`Faults::without_lookups`]).
pub fn read_catalogs_collecting(paths: &[PathBuf], limits: &ReadLimits) -> (Catalog, Vec<Error>) {
    let mut catalog = Catalog::new();
    let mut faults = Vec::new();
    for path in paths {
        let name = path.display().to_string();
        let read = read::read_file_with(path, limits)
            .map_err(|e| vec![e])
            .and_then(|bytes| read::catalog_files::read_bytes_all(&name, bytes, limits));
        match read {
            Ok(source) => catalog.layer(&source),
            Err(found) => {
                faults.extend(found);
                catalog.add_source(name);
            }
        }
    }
    (catalog, faults)
}

/// The catalogue an input's scenarios are checked against. A workbook's (or report's): its own
/// lookup sheets with the `--catalog` files over them, and the built-in data beneath for what the
/// workbook has no sheet for ([`Catalog::fill_from_builtin`]), so that the workbook model
/// reproduces the workbook. A scenario CSV's: the files over the built-in data (shared, not
/// copied). None at all (`--no-builtin-catalog` without `--catalog`) is the NoCatalog error,
/// whose hint `needs` starts.
pub fn catalog_of(
    name: &str,
    own: Option<Catalog>,
    catalogs: &Catalogs,
    needs: &str,
) -> subnet_calc::Result<Arc<Catalog>> {
    Ok(match own {
        Some(mut own) => {
            own.layer(&catalogs.files);
            if catalogs.builtin {
                own.fill_from_builtin();
            }
            Arc::new(own)
        }
        None if !catalogs.builtin && catalogs.files.sources().is_empty() => {
            return Err(Error::NoCatalog {
                location: Location::file(name),
                hint: format!(
                    "{needs} --catalog PATH when --no-builtin-catalog leaves out the built-in \
                     catalogue: a legacy workbook, describe-instance-types JSON, a limits CSV or \
                     eni-max-pods.txt"
                ),
            });
        }
        None => Arc::clone(&catalogs.layered),
    })
}
