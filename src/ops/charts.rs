//! Server-rendered SVG bar charts for run reports (plotters' SVG backend: no JavaScript, no
//! image files, the chart is part of the HTML page).
//!
//! One kind of chart: horizontal bars, one per labelled count, so long agency names stay
//! readable. Labels are escaped by the SVG backend; an empty series draws a "no data" note.

use plotters::coord::ranged1d::{IntoSegmentedCoord, SegmentValue};
use plotters::prelude::*;

/// Errors drawing a chart.
#[derive(Debug, thiserror::Error)]
#[error("cannot draw chart `{title}`: {message}")]
pub struct ChartError {
    pub title: String,
    pub message: String,
}

/// A colour for a chart.
#[derive(Debug, Clone, Copy)]
pub struct Colour(pub u8, pub u8, pub u8);

/// Blue for posts, orange for flagged, grey for dismissed, red for errors.
pub const BLUE: Colour = Colour(31, 119, 180);
pub const ORANGE: Colour = Colour(230, 120, 20);
pub const GREY: Colour = Colour(140, 140, 140);
pub const RED: Colour = Colour(200, 40, 40);

/// Draws a horizontal bar chart of `bars` (label, count, colour) as an SVG document.
pub fn bars(title: &str, bars: &[(String, usize, Colour)]) -> Result<String, ChartError> {
    let err = |e: &dyn std::fmt::Display| ChartError {
        title: title.to_string(),
        message: e.to_string(),
    };
    let n = bars.len();
    let height = (90 + 28 * n).max(150) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        if n == 0 {
            root.draw(&Text::new(
                format!("{title}: tidak ada data"),
                (10, 30),
                ("sans-serif", 16).into_font(),
            ))
            .map_err(|e| err(&e))?;
            root.present().map_err(|e| err(&e))?;
            drop(root);
            return Ok(svg);
        }
        let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
        let x_max = (max as f64 * 1.15).ceil() as u32 + 1;
        // slot 0 is at the bottom: the first bar goes to the top
        let slot = |i: usize| n - 1 - i;
        let labels: Vec<String> = bars.iter().rev().map(|b| b.0.clone()).collect();
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(8)
            .x_label_area_size(24)
            .y_label_area_size(150)
            // an integer range includes its end: `0..n - 1` is n slots (a range needs two)
            .build_cartesian_2d(0u32..x_max, (0usize..(n - 1).max(1)).into_segmented())
            .map_err(|e| err(&e))?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
                    labels.get(*i).cloned().unwrap_or_default()
                }
                SegmentValue::Last => String::new(),
            })
            .x_label_formatter(&|v| v.to_string())
            .draw()
            .map_err(|e| err(&e))?;
        chart
            .draw_series(bars.iter().enumerate().map(|(i, (_, v, c))| {
                let mut r = Rectangle::new(
                    [
                        (0, SegmentValue::Exact(slot(i))),
                        (*v as u32, SegmentValue::Exact(slot(i) + 1)),
                    ],
                    RGBColor(c.0, c.1, c.2).filled(),
                );
                r.set_margin(3, 3, 0, 0);
                r
            }))
            .map_err(|e| err(&e))?;
        chart
            .draw_series(bars.iter().enumerate().map(|(i, (_, v, _))| {
                Text::new(
                    v.to_string(),
                    (*v as u32, SegmentValue::CenterOf(slot(i))),
                    ("sans-serif", 13).into_font(),
                )
            }))
            .map_err(|e| err(&e))?;
        root.present().map_err(|e| err(&e))?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_has_one_bar_per_label_and_escapes_text() {
        let svg = bars(
            "Aduan per SKPD",
            &[
                ("dinas-pupr".into(), 12, BLUE),
                ("dlh <&>".into(), 3, ORANGE),
            ],
        )
        .unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..80.min(svg.len())]);
        assert!(svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("dinas-pupr"));
        assert!(svg.contains("dlh &lt;&amp;&gt;"));
        assert!(!svg.contains("dlh <&>"));
        assert!(svg.contains("Aduan per SKPD"));
        // the bars are filled rectangles in their colours
        assert!(
            svg.contains("#1F77B4") || svg.contains("#1f77b4"),
            "blue bar missing"
        );
        assert!(
            svg.contains("#E67814") || svg.contains("#e67814"),
            "orange bar missing"
        );
    }

    #[test]
    fn empty_chart_says_so() {
        let svg = bars("Galat", &[]).unwrap();
        assert!(svg.contains("Galat: tidak ada data"));
    }
}
