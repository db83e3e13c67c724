//! Server-rendered SVG charts (plotters' SVG backend) for the dashboard.
//!
//! The SVG is inlined in the page: plotters writes presentation attributes (no `style`
//! attribute, no script) and escapes its text, so the CSP needs no `unsafe-inline`. Labels are
//! our own (dates, agency names from the catalog), never post text. A chart that cannot be drawn
//! becomes a short message instead of failing the page.

use plotters::prelude::*;

const INK: RGBColor = RGBColor(0x33, 0x41, 0x55);
const GRID: RGBColor = RGBColor(0xe2, 0xe8, 0xf0);
const FONT: &str = "sans-serif";

/// Series colours, in order (teal, blue, green, amber, red).
pub const COLORS: [RGBColor; 5] = [
    RGBColor(0x0f, 0x76, 0x6e),
    RGBColor(0x25, 0x63, 0xeb),
    RGBColor(0x16, 0xa3, 0x4a),
    RGBColor(0xd9, 0x77, 0x06),
    RGBColor(0xdc, 0x26, 0x26),
];

/// The CSS class naming series colour `i` in HTML legends.
pub fn color_class(i: usize) -> String {
    format!("c{}", i % COLORS.len())
}

fn finish(svg: String, result: Result<(), String>) -> String {
    match result {
        Ok(()) => svg,
        Err(e) => {
            tracing::warn!(error = %e, "chart not drawn");
            String::from("<p class=\"muted\">Grafik tidak dapat digambar.</p>")
        }
    }
}

/// Lines over days: `labels[i]` on the x axis, one line per `(name, values)`.
pub fn lines(labels: &[String], series: &[(&str, Vec<usize>)], w: u32, h: u32) -> String {
    let mut svg = String::new();
    let r = (|| -> Result<(), String> {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let n = labels.len().max(1);
        let max = series
            .iter()
            .flat_map(|(_, v)| v.iter().copied())
            .max()
            .unwrap_or(0)
            .max(1);
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(28)
            .y_label_area_size(44)
            .build_cartesian_2d(0..n - 1, 0..max + max / 10 + 1)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .light_line_style(GRID)
            .bold_line_style(GRID)
            .axis_style(INK)
            .label_style((FONT, 12).into_font().color(&INK))
            .x_labels(8)
            .x_label_formatter(&|i| labels.get(*i).cloned().unwrap_or_default())
            .y_label_formatter(&|v| v.to_string())
            .draw()
            .map_err(|e| e.to_string())?;
        for (i, (_, values)) in series.iter().enumerate() {
            let color = COLORS[i % COLORS.len()];
            chart
                .draw_series(LineSeries::new(
                    values.iter().enumerate().map(|(x, y)| (x, *y)),
                    color.stroke_width(2),
                ))
                .map_err(|e| e.to_string())?;
        }
        root.present().map_err(|e| e.to_string())
    })();
    finish(svg, r)
}

/// Vertical bars, one per label.
pub fn bars(labels: &[String], values: &[usize], color: usize, w: u32, h: u32) -> String {
    let mut svg = String::new();
    let r = (|| -> Result<(), String> {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let n = values.len().max(1) as u32;
        let max = values.iter().copied().max().unwrap_or(0).max(1);
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(28)
            .y_label_area_size(44)
            .build_cartesian_2d((0..n).into_segmented(), 0..max + max / 10 + 1)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(GRID)
            .bold_line_style(GRID)
            .axis_style(INK)
            .label_style((FONT, 12).into_font().color(&INK))
            .x_labels(labels.len().max(1))
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .draw()
            .map_err(|e| e.to_string())?;
        let c = COLORS[color % COLORS.len()];
        chart
            .draw_series(values.iter().enumerate().map(|(i, v)| {
                let i = i as u32;
                let mut bar = Rectangle::new(
                    [
                        (SegmentValue::Exact(i), 0),
                        (SegmentValue::Exact(i + 1), *v),
                    ],
                    c.filled(),
                );
                bar.set_margin(0, 0, 6, 6);
                bar
            }))
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())
    })();
    finish(svg, r)
}

/// Horizontal stacked bars: one row per label, one colour per part.
pub fn hbars(labels: &[String], parts: &[Vec<usize>], w: u32) -> String {
    let n = labels.len().max(1);
    let h = (n as u32) * 24 + 40;
    let mut svg = String::new();
    let r = (|| -> Result<(), String> {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let max = (0..n)
            .map(|i| {
                parts
                    .iter()
                    .map(|p| p.get(i).copied().unwrap_or(0))
                    .sum::<usize>()
            })
            .max()
            .unwrap_or(0)
            .max(1);
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(24)
            .y_label_area_size(150)
            .build_cartesian_2d(0..max + max / 10 + 1, (0..n as u32).into_segmented())
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(GRID)
            .bold_line_style(GRID)
            .axis_style(INK)
            .label_style((FONT, 12).into_font().color(&INK))
            .y_labels(n)
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .draw()
            .map_err(|e| e.to_string())?;
        let mut start = vec![0usize; n];
        for (pi, part) in parts.iter().enumerate() {
            let c = COLORS[pi % COLORS.len()];
            let bars: Vec<_> = (0..n)
                .filter_map(|i| {
                    let v = part.get(i).copied().unwrap_or(0);
                    if v == 0 {
                        return None;
                    }
                    let a = start[i];
                    start[i] += v;
                    let mut bar = Rectangle::new(
                        [
                            (a, SegmentValue::Exact(i as u32)),
                            (a + v, SegmentValue::Exact(i as u32 + 1)),
                        ],
                        c.filled(),
                    );
                    bar.set_margin(4, 4, 0, 0);
                    Some(bar)
                })
                .collect();
            chart.draw_series(bars).map_err(|e| e.to_string())?;
        }
        root.present().map_err(|e| e.to_string())
    })();
    finish(svg, r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_svg_without_script_or_style_attributes() {
        let labels: Vec<String> = (1..=5).map(|d| format!("{d} Nov")).collect();
        for svg in [
            lines(
                &labels,
                &[("a", vec![1, 3, 2, 5, 4]), ("b", vec![0, 1, 0, 2, 1])],
                600,
                240,
            ),
            bars(&labels, &[3, 1, 4, 1, 5], 0, 400, 200),
            hbars(&labels, &[vec![3, 1, 4, 1, 5], vec![1, 0, 2, 0, 1]], 500),
        ] {
            assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(200)]);
            assert!(!svg.contains("<script"));
            assert!(!svg.contains("style="));
            assert!(svg.contains("<rect") || svg.contains("<polyline") || svg.contains("<path"));
        }
        assert!(lines(&labels, &[("a", vec![1, 2, 3, 4, 5])], 600, 240).contains("3 Nov"));
        assert!(bars(&[], &[], 0, 300, 200).starts_with("<svg"));
    }
}
