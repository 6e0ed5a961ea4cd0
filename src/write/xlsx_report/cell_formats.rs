//! The report's cell formats: one per kind of column ([`Fmt`]), the grey italic of fixed values,
//! the headers (inputs that need a fresh run in grey), the VPC CNI sheet's header band, the
//! Summary's titles, and the red and amber of conditional formats.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder};

/// How a column's cells are shown.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Fmt {
    Text,
    Int,
    Dec,
    Pct,
    Bool,
    /// A prefix length, shown as `/23`.
    Prefix,
    /// Text that wraps in its column (the Warnings sheet's warning).
    Wrap,
}

/// The formats of the report.
pub(super) struct Formats {
    pub header: Format,
    /// Headers of inputs whose change needs a fresh run.
    pub header_fresh: Format,
    pub band: Format,
    pub text: Format,
    pub int: Format,
    pub dec: Format,
    pub pct: Format,
    pub boolean: Format,
    pub prefix: Format,
    pub wrap: Format,
    fixed: [Format; 7],
    pub title: Format,
    pub subtitle: Format,
    pub label: Format,
    pub section: Format,
    /// Whole numbers beside a label on the Summary sheet.
    pub int_left: Format,
    pub pct_left: Format,
    pub prefix_left: Format,
    pub red: Format,
    pub amber: Format,
}

const NAVY: u32 = 0x1F3864;

impl Formats {
    pub fn new() -> Self {
        let navy = Color::RGB(NAVY);
        let header = Format::new()
            .set_bold()
            .set_font_color(Color::White)
            .set_background_color(navy)
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_border_bottom(FormatBorder::Thin);
        let nums = ["@", "#,##0", "0.00", "0.0%", "General", "\"/\"0", "@"];
        let fixed = nums.map(|n| {
            Format::new()
                .set_num_format(n)
                .set_italic()
                .set_font_color(Color::RGB(0x7F7F7F))
        });
        Formats {
            header_fresh: header.clone().set_background_color(Color::RGB(0x595959)),
            band: Format::new()
                .set_bold()
                .set_font_color(navy)
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_align(FormatAlign::Left)
                .set_indent(1)
                .set_border(FormatBorder::Thin)
                .set_border_color(Color::White),
            header,
            text: Format::new(),
            int: Format::new().set_num_format("#,##0"),
            dec: Format::new().set_num_format("0.00"),
            pct: Format::new().set_num_format("0.0%"),
            boolean: Format::new().set_align(FormatAlign::Center),
            prefix: Format::new()
                .set_num_format("\"/\"0")
                .set_align(FormatAlign::Right),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            fixed,
            title: Format::new()
                .set_bold()
                .set_font_size(18)
                .set_font_color(navy),
            subtitle: Format::new().set_font_size(12).set_font_color(navy),
            label: Format::new().set_bold(),
            section: Format::new()
                .set_bold()
                .set_font_size(13)
                .set_font_color(navy)
                .set_border_bottom(FormatBorder::Medium)
                .set_border_bottom_color(navy),
            int_left: Format::new()
                .set_num_format("#,##0")
                .set_align(FormatAlign::Left),
            pct_left: Format::new()
                .set_num_format("0.0%")
                .set_align(FormatAlign::Left),
            prefix_left: Format::new()
                .set_num_format("\"/\"0")
                .set_align(FormatAlign::Left),
            red: Format::new()
                .set_background_color(Color::RGB(0xFFC7CE))
                .set_font_color(Color::RGB(0x9C0006)),
            amber: Format::new()
                .set_background_color(Color::RGB(0xFFEB9C))
                .set_font_color(Color::RGB(0x9C5700)),
        }
    }

    /// A column's format.
    pub fn of(&self, f: Fmt) -> &Format {
        match f {
            Fmt::Text => &self.text,
            Fmt::Int => &self.int,
            Fmt::Dec => &self.dec,
            Fmt::Pct => &self.pct,
            Fmt::Bool => &self.boolean,
            Fmt::Prefix => &self.prefix,
            Fmt::Wrap => &self.wrap,
        }
    }

    /// A fixed value's format in a column of format `f`.
    pub fn fixed(&self, f: Fmt) -> &Format {
        let i = match f {
            Fmt::Text => 0,
            Fmt::Int => 1,
            Fmt::Dec => 2,
            Fmt::Pct => 3,
            Fmt::Bool => 4,
            Fmt::Prefix => 5,
            Fmt::Wrap => 6,
        };
        &self.fixed[i]
    }
}
