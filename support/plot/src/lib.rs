//! The book's figures, drawn from data: a [`Chart`] of labelled [`Series`]
//! of `(x, y)` points in, an SVG out ([`svg`]), with
//! [plotters](https://docs.rs/plotters/0.3.7) and its SVG backend only.
//!
//! The SVG is meant to be inlined in a page (`{{#include figure.svg}}`), not
//! shown through `<img>`: inlined, it inherits the page's text colour, so
//! its text, axes, grid and legend frame are drawn in `currentColor` and
//! read in every mdBook theme (light, rust, coal, navy, ayu), on a
//! transparent background. The series colours ([`PALETTE`]) are the few
//! that keep a contrast of at least 3:1 (WCAG's minimum for lines and
//! shapes) against the background of every theme; `tests` check that.
//!
//! - [`csv`]: the tiny CSV reader the figures' data needs.
//! - [`repro`]: chapter 8's figures, from `src/repro/incident.csv`.
//! - [`rayon`]: chapter 6's figure, from the committed benchmark reports.

pub mod csv;
pub mod rayon;
pub mod repro;

use plotters::prelude::*;
use plotters::style::RGBColor;

/// A colour of [`PALETTE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour(pub u8, pub u8, pub u8);

/// Series colours readable on every mdBook theme's background (3:1 at
/// least, see the tests): blue, orange, green, purple.
pub const PALETTE: [Colour; 4] = [
    Colour(0x3b, 0x78, 0xd0),
    Colour(0xc0, 0x5c, 0x18),
    Colour(0x2a, 0x8a, 0x50),
    Colour(0xa8, 0x4c, 0xc4),
];

/// The background colours of mdBook 0.5.4's themes (`--bg` in
/// `css/variables.css`), for the palette's test and the e2e check.
pub const THEME_BACKGROUNDS: [(&str, Colour); 5] = [
    ("light", Colour(0xff, 0xff, 0xff)), // hsl(0, 0%, 100%)
    ("rust", Colour(0xe1, 0xe1, 0xdb)),  // hsl(60, 9%, 87%)
    ("coal", Colour(0x13, 0x15, 0x16)),  // hsl(200, 7%, 8%)
    ("navy", Colour(0x16, 0x19, 0x23)),  // hsl(226, 23%, 11%)
    ("ayu", Colour(0x0f, 0x14, 0x19)),   // hsl(210, 25%, 8%)
];

/// How the points of a series are marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// A hollow circle, large enough to show a [`Marker::Square`] inside
    /// it when two series share a point.
    Circle,
    /// A small filled square.
    Square,
}

/// One line of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub points: Vec<(f64, f64)>,
    pub colour: Colour,
    pub dashed: bool,
    pub marker: Marker,
}

/// A chart: axes from 0 to a little above the largest x and y.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<Series>,
    /// Size in CSS pixels; the SVG scales down to the column's width.
    pub width: u32,
    pub height: u32,
    /// Decimals of the axis labels: 0 for counts and MiB, 1 for axes that
    /// span only a few units (cores, ratios).
    pub x_decimals: usize,
    pub y_decimals: usize,
}

/// Drawn by plotters in this colour, then replaced by `currentColor`: the
/// page's text colour. No palette colour may be this one.
const INK: RGBColor = RGBColor(1, 2, 3);
/// A series in this colour is drawn in the page's text colour, like the
/// axes: for a reference line (an ideal, a limit) rather than a measurement.
pub const TEXT: Colour = Colour(INK.0, INK.1, INK.2);
const INK_HEX: &str = "#010203";

/// The chart as an SVG document to inline in a page: transparent
/// background, text and axes in `currentColor`, scaled to fit its column.
pub fn svg(chart: &Chart) -> Result<String, String> {
    let mut out = String::new();
    draw(chart, &mut out).map_err(|e| format!("{}: {e}", chart.title))?;
    Ok(finish(&out, &chart.title))
}

fn draw(chart: &Chart, out: &mut String) -> Result<(), String> {
    let root = SVGBackend::with_string(out, (chart.width, chart.height)).into_drawing_area();
    let max = |f: fn(&(f64, f64)) -> f64| {
        chart
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(f))
            .fold(0.0, f64::max)
    };
    let (x_max, y_max) = (max(|p| p.0), max(|p| p.1) * 1.05);
    let font = |size| ("sans-serif", size).into_font().color(&INK);

    let mut ctx = ChartBuilder::on(&root)
        .caption(&chart.title, font(26))
        .margin(12)
        .margin_right(28) // room for the last x label
        .x_label_area_size(56)
        .y_label_area_size(76)
        .build_cartesian_2d(0.0..x_max.max(1.0), 0.0..y_max.max(1.0))
        .map_err(err)?;
    ctx.configure_mesh()
        .x_desc(&chart.x_label)
        .y_desc(&chart.y_label)
        .axis_desc_style(font(21))
        .label_style(font(19))
        .axis_style(INK)
        .bold_line_style(INK.mix(0.15))
        .max_light_lines(0)
        .x_label_formatter(&|x| format!("{x:.digits$}", digits = chart.x_decimals))
        .y_label_formatter(&|y| format!("{y:.digits$}", digits = chart.y_decimals))
        .draw()
        .map_err(err)?;

    for s in &chart.series {
        let c = RGBColor(s.colour.0, s.colour.1, s.colour.2);
        let line = c.stroke_width(2);
        let points = s.points.iter().copied();
        let drawn = if s.dashed {
            ctx.draw_series(DashedLineSeries::new(points, 7, 5, line))
                .map_err(err)?
        } else {
            ctx.draw_series(LineSeries::new(points, line))
                .map_err(err)?
        };
        let marker = s.marker;
        drawn.label(&s.label).legend(move |(x, y)| {
            EmptyElement::at((x, y))
                + PathElement::new(vec![(-10, 0), (10, 0)], line)
                + mark(marker, c)
        });
        ctx.draw_series(
            s.points
                .iter()
                .map(|&p| EmptyElement::at(p) + mark(marker, c)),
        )
        .map_err(err)?;
    }
    ctx.configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font(font(19))
        .background_style(INK.mix(0.0))
        .border_style(INK)
        .draw()
        .map_err(err)?;
    root.present().map_err(err)?;
    Ok(())
}

/// Plotters' errors, as text.
fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// A marker centred on its point.
fn mark<DB: DrawingBackend>(marker: Marker, c: RGBColor) -> DynElement<'static, DB, (i32, i32)> {
    match marker {
        Marker::Circle => Circle::new((0, 0), 5, c.stroke_width(2)).into_dyn(),
        Marker::Square => Rectangle::new([(-3, -3), (3, 3)], c.filled()).into_dyn(),
    }
}

/// Replaces the ink colour by `currentColor` and makes the root element
/// scale down with its column and name itself for screen readers.
fn finish(svg: &str, title: &str) -> String {
    let svg = svg.trim_start().replace(INK_HEX, "currentColor");
    let title = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;");
    svg.replacen(
        "<svg ",
        &format!(r#"<svg class="plot" role="img" aria-label="{title}" style="max-width:100%;height:auto" "#),
        1,
    )
}

/// WCAG 2 contrast ratio of two opaque colours.
pub fn contrast(a: Colour, b: Colour) -> f64 {
    let lum = |c: Colour| {
        let lin = |v: u8| {
            let s = v as f64 / 255.0;
            if s <= 0.04045 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
    };
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_palette_colour_reads_on_every_theme() {
        for c in PALETTE {
            for (theme, bg) in THEME_BACKGROUNDS {
                let r = contrast(c, bg);
                assert!(r >= 3.0, "{c:?} on {theme} ({bg:?}): contrast {r:.2} < 3");
            }
        }
    }

    #[test]
    fn contrast_is_wcags() {
        assert!((contrast(Colour(0, 0, 0), Colour(255, 255, 255)) - 21.0).abs() < 1e-9);
        assert_eq!(contrast(Colour(9, 9, 9), Colour(9, 9, 9)), 1.0);
    }

    fn chart() -> Chart {
        Chart {
            title: "Two lines & a title".into(),
            x_label: "x".into(),
            y_label: "y".into(),
            series: vec![
                Series {
                    label: "up".into(),
                    points: vec![(0.0, 0.0), (10.0, 100.0)],
                    colour: PALETTE[0],
                    dashed: false,
                    marker: Marker::Circle,
                },
                Series {
                    label: "flat".into(),
                    points: vec![(0.0, 1.0), (10.0, 1.0)],
                    colour: PALETTE[1],
                    dashed: true,
                    marker: Marker::Square,
                },
            ],
            x_decimals: 0,
            y_decimals: 0,
            width: 640,
            height: 400,
        }
    }

    #[test]
    fn the_svg_inherits_the_page_colour_and_scales() {
        let svg = svg(&chart()).unwrap();
        assert!(svg.starts_with(r#"<svg class="plot" role="img" aria-label="Two lines &amp; a title" style="max-width:100%;height:auto" "#), "{}", &svg[..200]);
        assert!(!svg.contains(INK_HEX), "ink left in the SVG");
        assert!(
            svg.contains(r#"fill="currentColor""#),
            "text is not drawn in currentColor"
        );
        assert!(
            svg.contains(r#"stroke="currentColor""#),
            "axes are not drawn in currentColor"
        );
        assert!(
            !svg.contains("#FFFFFF") && !svg.contains("#ffffff"),
            "a white background or box"
        );
        for label in ["up", "flat", "Two lines &amp; a title"] {
            assert!(
                svg.contains(&format!("\n{label}\n</text>")),
                "no text {label}"
            );
        }
        // The mdBook page takes it as one HTML block: no blank line inside.
        assert!(!svg.contains("\n\n"));
    }

    #[test]
    fn the_same_chart_gives_the_same_bytes() {
        assert_eq!(svg(&chart()), svg(&chart()));
    }
}
