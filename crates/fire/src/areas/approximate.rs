//! Approximate township areas where no real boundaries exist (the demo county): a Voronoi cell
//! around each township's centre, clipped to the county outline.
//!
//! Each cell is the set of points closer to its site than to any other: a large box cut by the
//! half-plane of every other site (Sutherland–Hodgman on a convex polygon stays exact), then
//! intersected with the county outline with geo's boolean operations. Quadratic in the number of
//! sites, which is nothing for a county's 20–40 townships; it needs no triangulation library.

use geo::{BooleanOps, BoundingRect, Coord, LineString, MultiPolygon, Polygon};

/// A site: a township code and its centre (lon, lat).
pub type Site = (String, Coord<f64>);

/// Keep the part of a convex ring on the side of the bisector nearer `site` than `other`.
fn clip(ring: &[Coord<f64>], site: Coord<f64>, other: Coord<f64>) -> Vec<Coord<f64>> {
    let mid = Coord {
        x: (site.x + other.x) / 2.0,
        y: (site.y + other.y) / 2.0,
    };
    let dir = Coord {
        x: other.x - site.x,
        y: other.y - site.y,
    };
    // <= 0: on the site's side.
    let side = |p: Coord<f64>| (p.x - mid.x) * dir.x + (p.y - mid.y) * dir.y;
    let mut out = Vec::with_capacity(ring.len() + 1);
    for (i, &a) in ring.iter().enumerate() {
        let b = ring[(i + 1) % ring.len()];
        let (sa, sb) = (side(a), side(b));
        if sa <= 0.0 {
            out.push(a);
        }
        if (sa < 0.0 && sb > 0.0) || (sa > 0.0 && sb < 0.0) {
            let t = sa / (sa - sb);
            out.push(Coord {
                x: a.x + t * (b.x - a.x),
                y: a.y + t * (b.y - a.y),
            });
        }
    }
    out
}

/// The Voronoi cells of `sites`, each clipped to `outline`; a site whose cell misses the
/// outline entirely gets none. Sites at the same place as an earlier one are skipped.
pub fn voronoi_in(outline: &MultiPolygon<f64>, sites: &[Site]) -> Vec<(String, MultiPolygon<f64>)> {
    let Some(bounds) = outline.bounding_rect() else {
        return Vec::new();
    };
    let pad = (bounds.width() + bounds.height()).max(1.0);
    let frame = vec![
        Coord {
            x: bounds.min().x - pad,
            y: bounds.min().y - pad,
        },
        Coord {
            x: bounds.max().x + pad,
            y: bounds.min().y - pad,
        },
        Coord {
            x: bounds.max().x + pad,
            y: bounds.max().y + pad,
        },
        Coord {
            x: bounds.min().x - pad,
            y: bounds.max().y + pad,
        },
    ];
    let mut out = Vec::new();
    for (i, (code, site)) in sites.iter().enumerate() {
        if sites[..i].iter().any(|(_, s)| s == site) {
            continue;
        }
        let mut cell = frame.clone();
        for (j, (_, other)) in sites.iter().enumerate() {
            if i == j || other == site {
                continue;
            }
            cell = clip(&cell, *site, *other);
            if cell.len() < 3 {
                break;
            }
        }
        if cell.len() < 3 {
            continue;
        }
        let cell = Polygon::new(LineString::new(cell), Vec::new());
        let clipped = outline.intersection(&cell);
        if !clipped.0.is_empty() {
            out.push((code.clone(), clipped));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, Intersects, Point, polygon};

    #[test]
    fn cells_tile_the_outline() {
        let outline = MultiPolygon::new(vec![polygon![
            (x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 2.0), (x: 0.0, y: 2.0), (x: 0.0, y: 0.0)
        ]]);
        let sites = vec![
            ("a".to_string(), Coord { x: 1.0, y: 1.0 }),
            ("b".to_string(), Coord { x: 3.0, y: 1.0 }),
            ("dup".to_string(), Coord { x: 3.0, y: 1.0 }),
        ];
        let cells = voronoi_in(&outline, &sites);
        assert_eq!(cells.len(), 2);
        assert!((cells[0].1.unsigned_area() - 4.0).abs() < 1e-9);
        assert!((cells[1].1.unsigned_area() - 4.0).abs() < 1e-9);
        assert!(cells[0].1.intersects(&Point::new(0.5, 1.5)));
        assert!(cells[1].1.intersects(&Point::new(3.9, 0.1)));
        assert!(!cells[0].1.intersects(&Point::new(2.5, 1.0)));
    }
}
