//! Locating points among areas: the 183 county outlines of 四川省 in one `AreaIndex` (R-tree of
//! bounding boxes, then point-in-polygon), 100,000 seeded random points in the province's
//! bounding box located one by one; then the same points as a FIRMS file, read and located.
//! Prints the build time, points per second and FIRMS rows per second.
//!
//! Run: `cargo bench -p yingji --bench fire_locate` (reads `../shared/data/sichuan-counties.geojson`
//! from the workspace, or the file named by `SICHUAN_COUNTIES`).

use std::time::Instant;

use fire::areas::index::{AreaIndex, Located};

mod common;

const POINTS: usize = 100_000;

/// SplitMix64: a small seeded generator, so every run locates the same points.
struct Rng(u64);

impl Rng {
    fn next_f64(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn main() -> anyhow::Result<()> {
    let areas = common::sichuan_counties()?;
    let (west, south, east, north) = common::bounding_box(&areas);
    let t = Instant::now();
    let index = AreaIndex::new(None, areas);
    let build = t.elapsed();

    let mut rng = Rng(20261130);
    let points: Vec<(f64, f64)> = (0..POINTS)
        .map(|_| {
            (
                west + rng.next_f64() * (east - west),
                south + rng.next_f64() * (north - south),
            )
        })
        .collect();
    let t = Instant::now();
    let mut inside = 0usize;
    for &(lon, lat) in &points {
        if let Located::Township(_) = index.locate(lon, lat) {
            inside += 1;
        }
    }
    let elapsed = t.elapsed();
    println!(
        "fire_locate: 183 counties indexed in {:.1} ms; {POINTS} points in {:.1} ms = {:.0} points/s; {inside} inside a county ({:.1} %), bbox {west:.3}–{east:.3} E, {south:.3}–{north:.3} N",
        build.as_secs_f64() * 1000.0,
        elapsed.as_secs_f64() * 1000.0,
        POINTS as f64 / elapsed.as_secs_f64(),
        inside as f64 * 100.0 / POINTS as f64,
    );
    firms_file(&points, &index)
}

/// The same points as a FIRMS MODIS file: read (times to UTC instants) and located, as a file
/// received from the feed is before any database work.
fn firms_file(points: &[(f64, f64)], index: &AreaIndex) -> anyhow::Result<()> {
    let mut csv = String::from(
        "latitude,longitude,brightness,scan,track,acq_date,acq_time,satellite,instrument,confidence,version,bright_t31,frp,daynight\n",
    );
    for (i, (lon, lat)) in points.iter().enumerate() {
        csv.push_str(&format!(
            "{lat:.5},{lon:.5},326.4,1.1,1.0,2026-03-02,{:04},T,MODIS,74,6.1NRT,294.3,23.9,D\n",
            i % 2400 / 100 * 100 + i % 60
        ));
    }
    let t = Instant::now();
    let parsed =
        fire::hotspots::firms::parse(csv.as_bytes()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let inside = parsed
        .detections
        .iter()
        .filter(|d| matches!(index.locate(d.longitude, d.latitude), Located::Township(_)))
        .count();
    let elapsed = t.elapsed();
    anyhow::ensure!(
        parsed.errors.is_empty(),
        "rows refused: {:?}",
        &parsed.errors[..1]
    );
    println!(
        "fire_locate: a FIRMS file of {} rows ({:.1} MB) read and located in {:.1} ms = {:.0} rows/s; {inside} inside a county",
        parsed.detections.len(),
        csv.len() as f64 / 1e6,
        elapsed.as_secs_f64() * 1000.0,
        parsed.detections.len() as f64 / elapsed.as_secs_f64(),
    );
    Ok(())
}
