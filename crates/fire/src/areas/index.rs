//! Locating a point among a county's areas: an R-tree of the areas' bounding boxes narrows the
//! candidates, then an exact point-in-polygon test (boundary included) decides.
//!
//! Rules:
//! - A point inside (or on the edge of) a township area is in that township, even where the
//!   township area sticks out a little beyond the county outline (imported boundaries rarely
//!   match to the metre).
//! - A point on the boundary shared by two or more township areas (or where areas overlap) goes
//!   to the **lowest township code** among them, so every server answers the same.
//! - Otherwise a point inside the county outline (edge included) is `CountyOnly`; anything else
//!   is `Outside`. Without a county outline, a point in no township area is `Outside`.
//! - A point in a hole of a (Multi)Polygon is not in that area.

use geo::{Intersects, MultiPolygon, Point};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};
use serde::Serialize;

/// Where a point lies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "result", content = "region_code", rename_all = "snake_case")]
pub enum Located {
    /// Inside this township's area (12-digit code).
    Township(String),
    /// Inside the county outline, but in no township area.
    CountyOnly,
    /// Outside the county (or no outline and no township area holds it).
    Outside,
}

type Boxed = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// The live areas of a county, ready to answer "which township is this point in".
#[derive(Debug)]
pub struct AreaIndex {
    county: Option<MultiPolygon<f64>>,
    /// Township areas sorted by code: the first hit in this order is the lowest code.
    areas: Vec<(String, MultiPolygon<f64>)>,
    tree: RTree<Boxed>,
}

impl AreaIndex {
    /// An index of a county outline (if known) and its township areas (code, shape).
    pub fn new(
        county: Option<MultiPolygon<f64>>,
        mut areas: Vec<(String, MultiPolygon<f64>)>,
    ) -> Self {
        areas.sort_by(|a, b| a.0.cmp(&b.0));
        let boxes = areas
            .iter()
            .enumerate()
            .filter_map(|(i, (_, shape))| {
                use geo::BoundingRect;
                let r = shape.bounding_rect()?;
                Some(GeomWithData::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    i,
                ))
            })
            .collect();
        Self {
            county,
            areas,
            tree: RTree::bulk_load(boxes),
        }
    }

    /// How many township areas the index holds.
    pub fn len(&self) -> usize {
        self.areas.len()
    }

    pub fn is_empty(&self) -> bool {
        self.areas.is_empty()
    }

    /// Whether a county outline is known.
    pub fn has_county(&self) -> bool {
        self.county.is_some()
    }

    /// Where the point (longitude, latitude; EPSG:4490 ≈ WGS84) lies; see the module's rules.
    pub fn locate(&self, lon: f64, lat: f64) -> Located {
        if !lon.is_finite() || !lat.is_finite() {
            return Located::Outside;
        }
        let point = Point::new(lon, lat);
        let mut hits: Vec<usize> = self
            .tree
            .locate_in_envelope_intersecting(&AABB::from_point([lon, lat]))
            .map(|b| b.data)
            .collect();
        hits.sort_unstable();
        if let Some(i) = hits
            .into_iter()
            .find(|&i| self.areas[i].1.intersects(&point))
        {
            return Located::Township(self.areas[i].0.clone());
        }
        match &self.county {
            Some(outline) if outline.intersects(&point) => Located::CountyOnly,
            _ => Located::Outside,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Polygon, polygon};

    fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Polygon<f64> {
        polygon![(x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1), (x: x0, y: y0)]
    }

    fn index() -> AreaIndex {
        // County 0..3 × 0..2; township B (…104) the left half, A (…101) the right half but
        // only up to y = 1.5; C (…106) a square with a hole, as a two-part MultiPolygon.
        let county = MultiPolygon::new(vec![square(0.0, 0.0, 3.0, 2.0)]);
        let with_hole = Polygon::new(
            square(10.0, 10.0, 14.0, 14.0).exterior().clone(),
            vec![square(11.0, 11.0, 13.0, 13.0).exterior().clone()],
        );
        AreaIndex::new(
            Some(county),
            vec![
                (
                    "510722104000".into(),
                    MultiPolygon::new(vec![square(0.0, 0.0, 1.5, 2.0)]),
                ),
                (
                    "510722101000".into(),
                    MultiPolygon::new(vec![square(1.5, 0.0, 3.0, 1.5)]),
                ),
                (
                    "510722106000".into(),
                    MultiPolygon::new(vec![with_hole, square(20.0, 20.0, 21.0, 21.0)]),
                ),
            ],
        )
    }

    #[test]
    fn inside_a_township() {
        let ix = index();
        assert_eq!(
            ix.locate(0.5, 0.5),
            Located::Township("510722104000".into())
        );
        assert_eq!(
            ix.locate(2.5, 0.5),
            Located::Township("510722101000".into())
        );
        assert_eq!(ix.len(), 3);
    }

    #[test]
    fn shared_boundary_goes_to_the_lowest_code() {
        let ix = index();
        assert_eq!(
            ix.locate(1.5, 1.0),
            Located::Township("510722101000".into())
        );
        // The shared corner too; the outer edge still belongs to its township.
        assert_eq!(
            ix.locate(1.5, 0.0),
            Located::Township("510722101000".into())
        );
        assert_eq!(
            ix.locate(0.0, 1.0),
            Located::Township("510722104000".into())
        );
    }

    #[test]
    fn county_only_and_outside() {
        let ix = index();
        assert_eq!(ix.locate(2.5, 1.8), Located::CountyOnly);
        assert_eq!(ix.locate(3.0, 1.8), Located::CountyOnly);
        assert_eq!(ix.locate(3.5, 1.0), Located::Outside);
        assert_eq!(ix.locate(f64::NAN, 1.0), Located::Outside);
        let no_county = AreaIndex::new(None, Vec::new());
        assert_eq!(no_county.locate(1.0, 1.0), Located::Outside);
        assert!(no_county.is_empty());
    }

    #[test]
    fn holes_and_second_parts_of_a_multipolygon() {
        let ix = index();
        assert_eq!(
            ix.locate(10.5, 10.5),
            Located::Township("510722106000".into())
        );
        assert_eq!(ix.locate(12.0, 12.0), Located::Outside, "in the hole");
        assert_eq!(
            ix.locate(11.0, 12.0),
            Located::Township("510722106000".into()),
            "on the hole's edge"
        );
        assert_eq!(
            ix.locate(20.5, 20.5),
            Located::Township("510722106000".into())
        );
    }
}
