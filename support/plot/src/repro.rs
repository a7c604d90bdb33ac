//! Chapter 8's figures and arithmetic, from `src/repro/incident.csv` (written
//! by `src/repro/measure.sh`): `cargo run -p plot --bin repro_figures`
//! writes [`OUTPUTS`], and `tests/repro_figures.rs` fails if the committed
//! files differ from what the data gives.

use crate::csv::Table;
use crate::{Chart, Marker, PALETTE, Series, svg};
use std::fmt::Write;

/// The data, from the workspace root.
pub const DATA: &str = "src/repro/incident.csv";
/// What [`outputs`] writes, from the workspace root.
pub const OUTPUTS: [&str; 3] = [
    "src/repro/memory.svg",
    "src/repro/live.svg",
    "src/repro/arithmetic.txt",
];

/// The four series: (name in the CSV, label, colour, dashed, marker).
const SERIES: [(&str, &str, usize, bool, Marker); 4] = [
    ("go leaky", "Go, RunJobLeaky", 0, false, Marker::Circle),
    ("go fixed", "Go, RunJobFixed", 2, true, Marker::Circle),
    ("rust leaky", "Rust, LeakyService", 1, false, Marker::Square),
    ("rust fixed", "Rust, Service", 3, true, Marker::Square),
];

/// The contents of [`OUTPUTS`], in that order, from the CSV's text.
pub fn outputs(csv: &str) -> Result<[String; 3], String> {
    let t = Table::parse(csv)?;
    let chart = |title: &str, y_label: &str, column: &str, scale: f64| -> Result<Chart, String> {
        let series = SERIES
            .iter()
            .map(|&(name, label, colour, dashed, marker)| {
                let points = t.points("series", name, "failed", column)?;
                if points.is_empty() {
                    return Err(format!("no rows for series {name:?}"));
                }
                Ok(Series {
                    label: label.into(),
                    points: points.into_iter().map(|(x, y)| (x, y * scale)).collect(),
                    colour: PALETTE[colour],
                    dashed,
                    marker,
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(Chart {
            title: title.into(),
            x_label: "failed jobs".into(),
            y_label: y_label.into(),
            series,
            width: 720,
            height: 440,
            x_decimals: 0,
            y_decimals: 0,
        })
    };
    let memory = chart(
        "Process memory (RSS) against failed jobs",
        "RSS, MiB",
        "rss_kib",
        1.0 / 1024.0,
    )?;
    let live = chart(
        "Goroutines (Go) and threads (Rust) against failed jobs",
        "goroutines or threads",
        "live",
        1.0,
    )?;
    Ok([svg(&memory)?, svg(&live)?, arithmetic(&t)?])
}

/// Per failed job: the least-squares slope of `column` against `failed`
/// over every sample of a series. A slope from the first sample to the last
/// would count the process's warm-up (the runtime's first allocations, pages
/// touched once) as growth per failure; a line fitted through all samples
/// weighs the warm-up as one sample among twenty.
fn per_failed(t: &Table, series: &str, column: &str) -> Result<Option<f64>, String> {
    let (s, f, c) = (t.column("series")?, t.column("failed")?, t.column(column)?);
    let rows: Vec<&Vec<String>> = t.rows.iter().filter(|r| r[s] == series).collect();
    let Some(first) = rows.first() else {
        return Err(format!("no rows for series {series:?}"));
    };
    if first[c].is_empty() {
        return Ok(None); // a Go-only column on a Rust row
    }
    let num = |r: &Vec<String>, i: usize| {
        r[i].parse::<f64>()
            .map_err(|e| format!("{series} {}: {e}", t.columns[i]))
    };
    let points = rows
        .iter()
        .map(|r| Ok((num(r, f)?, num(r, c)?)))
        .collect::<Result<Vec<(f64, f64)>, String>>()?;
    let n = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    if sxx <= 0.0 {
        return Err(format!("{series}: no failed job"));
    }
    Ok(Some(sxy / sxx))
}

/// The record size in KiB, from the data's `# parameters:` comment.
fn record_kib(t: &Table) -> Result<f64, String> {
    t.comments
        .iter()
        .find_map(|c| c.strip_prefix("parameters:"))
        .and_then(|p| p.split("records of ").nth(1))
        .and_then(|rest| rest.split(" KiB").next())
        .and_then(|n| n.trim().parse().ok())
        .ok_or_else(|| "no `# parameters: ... records of N KiB` comment".to_owned())
}

/// A failed job's consumer holds the 7 records it received before record 7
/// failed (of the batch's 9).
const PINNED_RECORDS: f64 = 7.0;
const BATCH_RECORDS: f64 = 9.0;
const GIB: f64 = 1024.0 * 1024.0; // in KiB

/// The page's numbers: the slopes, and the extrapolation to 30 GiB.
fn arithmetic(t: &Table) -> Result<String, String> {
    let kib = record_kib(t)?;
    let mut out = String::new();
    let w = &mut out;
    let fmt =
        |v: Option<f64>, digits: usize| v.map_or("-".to_owned(), |v| format!("{v:+.digits$}"));
    let _ = writeln!(
        w,
        "per failed job, least-squares slope over every sample ({DATA}):"
    );
    let _ = writeln!(
        w,
        "{:<11} {:>11} {:>9} {:>9} {:>10}",
        "series", "live", "RSS KiB", "heap KiB", "stack KiB"
    );
    for (name, ..) in SERIES {
        let _ = writeln!(
            w,
            "{name:<11} {:>11} {:>9} {:>9} {:>10}",
            fmt(per_failed(t, name, "live")?, 2),
            fmt(per_failed(t, name, "rss_kib")?, 1),
            fmt(per_failed(t, name, "heap_inuse_kib")?, 1),
            fmt(per_failed(t, name, "stack_inuse_kib")?, 1),
        );
    }
    let rss = per_failed(t, "go leaky", "rss_kib")?.ok_or("no Go RSS")?;
    let records = PINNED_RECORDS * kib;
    let rest = rss - records;
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "Go leaky, RSS per failed job: {rss:.0} KiB = {PINNED_RECORDS} records x {kib} KiB ({records:.0} KiB)"
    );
    let _ = writeln!(
        w,
        "  + {rest:.0} KiB of everything else = {:.2} MiB, at batches of 9 x {kib} KiB",
        rss / 1024.0
    );
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "extrapolation: failed jobs until the leak reaches 30 GiB, if a failed job"
    );
    let _ = writeln!(
        w,
        "keeps {PINNED_RECORDS}/{BATCH_RECORDS} of its batch plus the same {rest:.0} KiB, and nothing else grows:"
    );
    let _ = writeln!(
        w,
        "{:>12} {:>16} {:>12}",
        "batch", "per failed job", "failed jobs"
    );
    for (label, batch_kib) in [
        (format!("{} KiB", BATCH_RECORDS * kib), BATCH_RECORDS * kib),
        ("64 MiB".to_owned(), 64.0 * 1024.0),
        ("1 GiB".to_owned(), GIB),
        ("8 GiB".to_owned(), 8.0 * GIB),
    ] {
        let cost = batch_kib * PINNED_RECORDS / BATCH_RECORDS + rest;
        let jobs = (30.0 * GIB / cost).ceil();
        let per = if cost >= GIB {
            format!("{:.2} GiB", cost / GIB)
        } else {
            format!("{:.1} MiB", cost / 1024.0)
        };
        let _ = writeln!(w, "{label:>12} {per:>16} {jobs:>12}");
    }
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "an alert at more than {ALERT_BUDGET} goroutines (threads) above the start fires at the sample"
    );
    for name in ["go leaky", "rust leaky"] {
        let _ = match first_over(t, name, ALERT_BUDGET)? {
            Some((jobs, failed, rss)) => writeln!(
                w,
                "{name:<11} after {jobs} jobs ({failed} failed), RSS then {rss:+.0} MiB since the start",
            ),
            None => writeln!(w, "{name:<11} never"),
        };
    }
    Ok(out)
}

/// The alert of the page: more goroutines (threads) than at start + this.
const ALERT_BUDGET: f64 = 50.0;

/// The first sample of `series` whose `live` is more than `budget` above
/// the first sample's: (jobs, failed, RSS growth in MiB).
fn first_over(t: &Table, series: &str, budget: f64) -> Result<Option<(f64, f64, f64)>, String> {
    let col = |name| t.points("series", series, "jobs", name);
    let (live, failed, rss) = (col("live")?, col("failed")?, col("rss_kib")?);
    let (Some(base), Some(rss0)) = (live.first(), rss.first()) else {
        return Err(format!("no rows for series {series:?}"));
    };
    Ok(live
        .iter()
        .position(|&(_, n)| n > base.1 + budget)
        .map(|i| (live[i].0, failed[i].1, (rss[i].1 - rss0.1) / 1024.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "# parameters: 4 jobs, failure rate 0.5 (spread evenly), batch of 9 records of 64 KiB, a sample every 2 jobs
series,jobs,failed,live,rss_kib,heap_inuse_kib,stack_inuse_kib
go leaky,0,0,1,1000,400,300
go leaky,4,2,3,2000,1300,306
go fixed,0,0,1,1000,400,300
go fixed,4,2,1,1000,400,300
rust leaky,0,0,1,500,,
rust leaky,4,2,3,1400,,
rust fixed,0,0,1,500,,
rust fixed,4,2,1,500,,
";

    #[test]
    fn slopes_are_per_failed_job() {
        let t = Table::parse(CSV).unwrap();
        assert_eq!(per_failed(&t, "go leaky", "rss_kib"), Ok(Some(500.0)));
        assert_eq!(
            per_failed(&t, "go leaky", "heap_inuse_kib"),
            Ok(Some(450.0))
        );
        assert_eq!(per_failed(&t, "rust leaky", "live"), Ok(Some(1.0)));
        assert_eq!(per_failed(&t, "rust leaky", "heap_inuse_kib"), Ok(None));
        assert!(per_failed(&t, "java leaky", "live").is_err());
    }

    #[test]
    fn a_warm_up_counts_as_one_sample_not_as_the_slope() {
        // A jump of 900 KiB at the first failure, then 10 KiB per failed job:
        // first to last says 940 / 4 = 235 KiB per failed job, the fitted
        // line 190, and the last four samples alone 10.
        let csv = "series,jobs,failed,live,rss_kib,heap_inuse_kib,stack_inuse_kib
go fixed,0,0,1,1000,400,300
go fixed,2,1,1,1910,400,300
go fixed,4,2,1,1920,400,300
go fixed,6,3,1,1930,400,300
go fixed,8,4,1,1940,400,300
";
        let t = Table::parse(csv).unwrap();
        let slope = per_failed(&t, "go fixed", "rss_kib").unwrap().unwrap();
        assert!((slope - 190.0).abs() < 1e-9, "{slope}");
        assert_eq!(per_failed(&t, "go fixed", "heap_inuse_kib"), Ok(Some(0.0)));
    }

    #[test]
    fn the_alert_fires_at_the_first_sample_over_budget() {
        let t = Table::parse(CSV).unwrap();
        // 3 goroutines against 1 at start: over a budget of 1, not of 2.
        assert_eq!(
            first_over(&t, "go leaky", 1.0),
            Ok(Some((4.0, 2.0, 1000.0 / 1024.0)))
        );
        assert_eq!(first_over(&t, "go leaky", 2.0), Ok(None));
        assert_eq!(first_over(&t, "go fixed", 0.0), Ok(None));
    }

    #[test]
    fn the_arithmetic_adds_up() {
        let text = arithmetic(&Table::parse(CSV).unwrap()).unwrap();
        // 500 KiB per failed job = 7 x 64 KiB + 52 KiB.
        assert!(
            text.contains(
                "500 KiB = 7 records x 64 KiB (448 KiB)\n  + 52 KiB of everything else = 0.49 MiB"
            ),
            "{text}"
        );
        // 1 GiB batch: 7/9 GiB + 52 KiB = 796.5 MiB per failed job;
        // 30 GiB / that = 38.57: 39 failed jobs.
        assert!(
            text.contains("       1 GiB        796.5 MiB           39\n"),
            "{text}"
        );
        assert!(
            text.contains("go fixed          +0.00      +0.0      +0.0       +0.0"),
            "{text}"
        );
        assert!(text.contains("go leaky    never\n"), "{text}");
        assert!(
            text.contains("rust leaky        +1.00    +450.0         -          -"),
            "{text}"
        );
    }

    #[test]
    fn every_series_is_drawn() {
        let [memory, live, _] = outputs(CSV).unwrap();
        for (_, label, ..) in SERIES {
            assert!(
                memory.contains(label) && live.contains(label),
                "{label} missing"
            );
        }
        let missing = CSV.replace("rust fixed", "rust other");
        assert!(
            outputs(&missing).is_err(),
            "a missing series must be an error"
        );
    }
}
