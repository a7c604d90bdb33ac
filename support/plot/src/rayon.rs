//! Chapter 6's figure: speed-up against cores, from the two committed
//! benchmark reports (`listings/output/rayon_bench.txt`, written by
//! `cargo run --release -p listings --example rayon_bench`, and
//! `go/rayon/testdata/bench.txt`, by `go run ./rayon/cmd/bench`).
//! `cargo run -p plot --bin rayon_figures` writes [`OUTPUT`], and
//! `tests/rayon_figures.rs` fails if the committed file differs from what the
//! reports give.

use crate::{Chart, Marker, PALETTE, Series, TEXT, svg};

/// The reports, from the workspace root: (path, language).
pub const DATA: [(&str, &str); 2] = [
    ("go/rayon/testdata/bench.txt", "Go"),
    ("listings/output/rayon_bench.txt", "Rust"),
];
/// What [`output`] gives, from the workspace root.
pub const OUTPUT: &str = "src/rayon/speedup.svg";

/// The rows drawn: (language, variant as the report names it, label,
/// colour, marker). The sequential loop is the 1.0 every ratio is against.
const SERIES: [(&str, &str, &str, usize, Marker); 4] = [
    (
        "Go",
        "errgroup SetLimit(GOMAXPROCS)",
        "Go, errgroup SetLimit(GOMAXPROCS)",
        0,
        Marker::Circle,
    ),
    (
        "Go",
        "goroutine per item",
        "Go, goroutine per item",
        2,
        Marker::Circle,
    ),
    (
        "Rust",
        "thread::scope, N workers",
        "Rust, thread::scope, N workers",
        1,
        Marker::Square,
    ),
    (
        "Rust",
        "rayon, N-thread pool",
        "Rust, rayon, N-thread pool",
        3,
        Marker::Square,
    ),
];

/// One wall-time row of a report: (variant, cores, speed-up).
type Row = (String, f64, f64);

/// The wall-time rows of a report: the lines between the `wall time` header
/// and the next blank line, `variant  cores  median ms  vs sequential`,
/// columns separated by two spaces or more.
pub fn wall_rows(report: &str) -> Result<Vec<Row>, String> {
    let mut lines = report.lines().skip_while(|l| !l.starts_with("wall time"));
    if lines.next().is_none() {
        return Err("no `wall time` table".to_owned());
    }
    lines
        .take_while(|l| !l.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line
                .split("  ")
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .collect();
            let [variant, cores, _ms, ratio] = fields[..] else {
                return Err(format!("not a wall-time row: {line:?}"));
            };
            let number = |f: &str| {
                f.parse::<f64>()
                    .map_err(|e| format!("{line:?}: {f:?}: {e}"))
            };
            Ok((variant.to_owned(), number(cores)?, number(ratio)?))
        })
        .collect()
}

/// The figure, from the reports' text in the order of [`DATA`].
pub fn output(reports: [&str; 2]) -> Result<String, String> {
    let rows: Vec<(&str, Vec<Row>)> = DATA
        .iter()
        .zip(reports)
        .map(|(&(path, language), text)| {
            wall_rows(text)
                .map(|rows| (language, rows))
                .map_err(|e| format!("{path}: {e}"))
        })
        .collect::<Result<_, _>>()?;
    let mut series = SERIES
        .iter()
        .map(|&(language, variant, label, colour, marker)| {
            let points: Vec<(f64, f64)> = rows
                .iter()
                .filter(|(l, _)| *l == language)
                .flat_map(|(_, rows)| rows)
                .filter(|(v, ..)| v == variant)
                .map(|&(_, cores, ratio)| (cores, ratio))
                .collect();
            if points.len() < 2 {
                return Err(format!(
                    "{language} {variant:?}: {} rows, want one per core count (at least 1 and 2)",
                    points.len()
                ));
            }
            Ok(Series {
                label: label.into(),
                points,
                colour: PALETTE[colour],
                dashed: false,
                marker,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let most_cores = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0))
        .fold(1.0, f64::max);
    // The ceiling a CPU-bound job can reach: n times faster on n cores.
    series.push(Series {
        label: "n cores, n times faster".into(),
        points: vec![(1.0, 1.0), (most_cores, most_cores)],
        colour: TEXT,
        dashed: true,
        marker: Marker::Square,
    });
    svg(&Chart {
        title: "Speed-up over the sequential loop, same CPU-bound job".into(),
        x_label: "cores (GOMAXPROCS, threads)".into(),
        y_label: "times faster".into(),
        series,
        width: 720,
        height: 440,
        x_decimals: 1,
        y_decimals: 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GO: &str =
        "Go: header\n\nwall time                          cores  median ms  vs sequential
sequential loop                        1      72.30           1.00
errgroup SetLimit(GOMAXPROCS)          1      76.47           0.95
errgroup SetLimit(GOMAXPROCS)          2      44.49           1.62
goroutine per item                     1      79.58           0.91
goroutine per item                     2      39.44           1.83

First error: ...
errgroup SetLimit, no cancel                  21.89           4000
";
    const RUST: &str = "wall time                          cores  median ms  vs sequential
sequential loop                        1      72.37           1.00
thread::scope, N workers               1      73.85           0.98
thread::scope, N workers               2      37.33           1.94
rayon, N-thread pool                   1      73.67           0.98
rayon, N-thread pool                   2      36.87           1.96
";

    #[test]
    fn reads_the_wall_time_rows_only() {
        let rows = wall_rows(GO).unwrap();
        assert_eq!(rows.len(), 5);
        assert_eq!(
            rows[2],
            ("errgroup SetLimit(GOMAXPROCS)".to_owned(), 2.0, 1.62)
        );
        assert!(wall_rows("no table").is_err());
        assert!(wall_rows("wall time\nsequential loop 1 x\n").is_err());
    }

    #[test]
    fn draws_every_variant_and_fails_on_a_missing_one() {
        let svg = output([GO, RUST]).unwrap();
        for (_, _, label, ..) in SERIES {
            assert!(svg.contains(label), "{label} missing");
        }
        let missing = RUST.replace("rayon, N-thread pool", "rayon, other");
        assert!(output([GO, &missing]).is_err());
    }
}
