//! TopoJSON, decoded: a topology's arcs, made absolute, and each object's
//! geometries as lists of arc indices, from which come the rings of an
//! object's polygons and the borders its features share. Only what the maps
//! need: points and properties are left out.

use std::collections::BTreeMap;

use serde_json::Value;

/// A decoded TopoJSON topology: absolute arc coordinates and, per object, its
/// geometries as arc-index lists.
#[derive(Debug, Default)]
pub(super) struct Topology {
    /// Each arc's points, `[x, y]` (longitude, latitude), absolute.
    arcs: Vec<Vec<[f64; 2]>>,
    /// Each object's geometries; a geometry collection is flattened, one
    /// feature per member.
    objects: BTreeMap<String, Vec<Feature>>,
}

/// One geometry as arc indices: a negative index `i` is arc `!i` reversed.
#[derive(Debug, Default, Clone, PartialEq)]
struct Feature {
    /// Polygons, each a list of rings (the first the outer one), each a list
    /// of arc indices.
    polygons: Vec<Vec<Vec<i64>>>,
    /// Lines, each a list of arc indices.
    lines: Vec<Vec<i64>>,
}

impl Topology {
    pub(super) fn parse(text: &str) -> Result<Topology, String> {
        let root: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
        if root.get("type").and_then(Value::as_str) != Some("Topology") {
            return Err("not a TopoJSON topology".into());
        }
        let transform = match root.get("transform") {
            None | Some(Value::Null) => None,
            Some(t) => Some((number_pair(t.get("scale"))?, number_pair(t.get("translate"))?)),
        };
        let mut arcs = Vec::new();
        for arc in root.get("arcs").and_then(Value::as_array).ok_or("the topology has no arcs")? {
            let positions = arc.as_array().ok_or("an arc is not an array")?;
            let mut points = Vec::with_capacity(positions.len());
            let (mut x, mut y) = (0.0, 0.0);
            for position in positions {
                let [a, b] = number_pair(Some(position))?;
                points.push(match transform {
                    // Quantized: each position is a delta from the previous one.
                    Some((scale, translate)) => {
                        x += a;
                        y += b;
                        [x * scale[0] + translate[0], y * scale[1] + translate[1]]
                    }
                    None => [a, b],
                });
            }
            arcs.push(points);
        }
        let mut objects = BTreeMap::new();
        if let Some(map) = root.get("objects").and_then(Value::as_object) {
            for (name, geometry) in map {
                let mut features = Vec::new();
                collect_features(geometry, arcs.len(), &mut features)?;
                objects.insert(name.clone(), features);
            }
        }
        Ok(Topology { arcs, objects })
    }

    /// The points of a ring or line given as arc indices, joined where one
    /// arc ends and the next begins.
    fn points(&self, arc_indices: &[i64]) -> Vec<[f64; 2]> {
        let mut out: Vec<[f64; 2]> = Vec::new();
        for &i in arc_indices {
            let (index, reversed) = if i >= 0 { (i, false) } else { (!i, true) };
            let Some(arc) = usize::try_from(index).ok().and_then(|i| self.arcs.get(i)) else { continue };
            // Consecutive arcs share their joining point: keep it once.
            out.pop();
            if reversed {
                out.extend(arc.iter().rev());
            } else {
                out.extend(arc.iter());
            }
        }
        out
    }

    /// Every ring of every polygon of an object.
    pub(super) fn rings(&self, object: &str) -> Vec<Vec<[f64; 2]>> {
        let features = self.objects.get(object).map(Vec::as_slice).unwrap_or_default();
        features.iter().flat_map(|f| f.polygons.iter().flatten()).map(|ring| self.points(ring)).collect()
    }

    /// The arcs of an object shared by two or more of its features (for
    /// countries: the borders between them, without the coasts), in arc order.
    pub(super) fn interior_mesh(&self, object: &str) -> Vec<Vec<[f64; 2]>> {
        let features = self.objects.get(object).map(Vec::as_slice).unwrap_or_default();
        let mut users: Vec<Vec<usize>> = vec![Vec::new(); self.arcs.len()];
        for (f, feature) in features.iter().enumerate() {
            let lists = feature.polygons.iter().flatten().chain(&feature.lines);
            for &i in lists.flatten() {
                let index = if i >= 0 { i } else { !i };
                if let Some(list) = usize::try_from(index).ok().and_then(|i| users.get_mut(i)) {
                    if !list.contains(&f) {
                        list.push(f);
                    }
                }
            }
        }
        users.iter().zip(&self.arcs).filter(|(u, _)| u.len() >= 2).map(|(_, arc)| arc.clone()).collect()
    }
}

/// `[a, b]` from a JSON array of at least two numbers.
fn number_pair(value: Option<&Value>) -> Result<[f64; 2], String> {
    let items = value.and_then(Value::as_array).ok_or("expected an array of numbers")?;
    match items.as_slice() {
        [a, b, ..] => match (a.as_f64(), b.as_f64()) {
            (Some(a), Some(b)) if a.is_finite() && b.is_finite() => Ok([a, b]),
            _ => Err("expected numbers".into()),
        },
        _ => Err("expected at least two numbers".into()),
    }
}

/// Appends the features of a geometry (a collection's members, flattened).
fn collect_features(geometry: &Value, arc_count: usize, out: &mut Vec<Feature>) -> Result<(), String> {
    let kind = geometry.get("type").and_then(Value::as_str).unwrap_or("");
    let arcs = geometry.get("arcs");
    let index_list = |value: &Value| -> Result<Vec<i64>, String> {
        let items = value.as_array().ok_or("expected a list of arc indices")?;
        items
            .iter()
            .map(|v| {
                let i = v.as_i64().ok_or("an arc index is not an integer")?;
                let index = if i >= 0 { i } else { !i };
                match usize::try_from(index) {
                    Ok(index) if index < arc_count => Ok(i),
                    _ => Err(format!("arc index {i} is out of range")),
                }
            })
            .collect()
    };
    fn items<'a>(value: Option<&'a Value>, kind: &str) -> Result<&'a [Value], String> {
        value.and_then(Value::as_array).map(Vec::as_slice).ok_or_else(|| format!("a {kind} has no arcs"))
    }
    let polygon =
        |value: &Value| -> Result<Vec<Vec<i64>>, String> { items(Some(value), kind)?.iter().map(index_list).collect() };
    match kind {
        "GeometryCollection" => {
            for member in geometry.get("geometries").and_then(Value::as_array).into_iter().flatten() {
                collect_features(member, arc_count, out)?;
            }
        }
        "Polygon" => out.push(Feature { polygons: vec![polygon(arcs.unwrap_or(&Value::Null))?], lines: vec![] }),
        "MultiPolygon" => {
            let polygons = items(arcs, kind)?.iter().map(polygon).collect::<Result<_, _>>()?;
            out.push(Feature { polygons, lines: vec![] });
        }
        "LineString" => out.push(Feature { polygons: vec![], lines: vec![index_list(arcs.unwrap_or(&Value::Null))?] }),
        "MultiLineString" => {
            let lines = items(arcs, kind)?.iter().map(index_list).collect::<Result<_, _>>()?;
            out.push(Feature { polygons: vec![], lines });
        }
        // Points and empty geometries draw nothing here.
        _ => out.push(Feature::default()),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two squares side by side, sharing one edge (arc 0), quantized with a
    /// transform: output x = 10 + 0.5 qx, y = -4 + 2 qy.
    const TINY: &str = r#"{
        "type": "Topology",
        "transform": {"scale": [0.5, 2], "translate": [10, -4]},
        "objects": {
            "shapes": {"type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]]},
                {"type": "MultiPolygon", "arcs": [[[2, -1]]]},
                {"type": "Point", "coordinates": [1, 1]}
            ]},
            "line": {"type": "LineString", "arcs": [-3]}
        },
        "arcs": [
            [[2, 0], [0, 2]],
            [[2, 2], [-2, 0], [0, -2], [2, 0]],
            [[2, 0], [2, 0], [0, 2], [-2, 0]]
        ]
    }"#;

    #[test]
    fn map_decodes_quantized_topojson() {
        let topology = Topology::parse(TINY).unwrap();
        // Delta decoding, then scale and translate.
        assert_eq!(topology.arcs[0], vec![[11.0, -4.0], [11.0, 0.0]]);
        assert_eq!(topology.arcs[1], vec![[11.0, 0.0], [10.0, 0.0], [10.0, -4.0], [11.0, -4.0]]);
        assert_eq!(topology.arcs[2], vec![[11.0, -4.0], [12.0, -4.0], [12.0, 0.0], [11.0, 0.0]]);
        let shapes = &topology.objects["shapes"];
        assert_eq!(shapes.len(), 3);
        assert_eq!(shapes[0].polygons, vec![vec![vec![0, 1]]]);
        assert_eq!(shapes[1].polygons, vec![vec![vec![2, -1]]]);
        // A ring joins its arcs, keeping each joining point once.
        let a = vec![[11.0, -4.0], [11.0, 0.0], [10.0, 0.0], [10.0, -4.0], [11.0, -4.0]];
        assert_eq!(topology.points(&[0, 1]), a);
        // -1 (that is ~0) is arc 0 reversed.
        let b = vec![[11.0, -4.0], [12.0, -4.0], [12.0, 0.0], [11.0, 0.0], [11.0, -4.0]];
        assert_eq!(topology.points(&[2, -1]), b);
        assert_eq!(topology.rings("shapes"), vec![a, b]);
        let line = &topology.objects["line"][0].lines;
        assert_eq!(line, &vec![vec![-3]]);
        assert_eq!(topology.points(&line[0]), vec![[11.0, 0.0], [12.0, 0.0], [12.0, -4.0], [11.0, -4.0]]);
        // The one arc the two squares share is their border.
        assert_eq!(topology.interior_mesh("shapes"), vec![topology.arcs[0].clone()]);
        assert!(topology.interior_mesh("line").is_empty() && topology.rings("missing").is_empty());
    }

    #[test]
    fn map_decodes_unquantized_topojson_and_rejects_bad_input() {
        let plain = r#"{"type":"Topology","objects":{"a":{"type":"Polygon","arcs":[[0]]}},
            "arcs":[[[1.5,2],[3,2],[3,4],[1.5,2]]]}"#;
        let topology = Topology::parse(plain).unwrap();
        assert_eq!(topology.points(&[0]), vec![[1.5, 2.0], [3.0, 2.0], [3.0, 4.0], [1.5, 2.0]]);
        assert!(Topology::parse("{").is_err());
        assert!(Topology::parse(r#"{"type":"FeatureCollection"}"#).is_err());
        let out_of_range = r#"{"type":"Topology","objects":{"a":{"type":"Polygon","arcs":[[5]]}},"arcs":[]}"#;
        assert!(Topology::parse(out_of_range).is_err());
    }
}
