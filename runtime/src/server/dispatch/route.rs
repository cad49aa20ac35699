//! Which operation a request is for: path templates matched segment by segment (or by a
//! regular expression when a parameter sits inside a segment), axum's own routes when it
//! can take every template, and the media type that picks an operation's body.

use regex::Regex;

use super::Route;
use crate::media::media_essence;
use crate::server::multipart::in_range;
use crate::server::{BodyDef, Location, OperationDef};

/// The path of each distinct template as axum writes it (`/pets/{p0}`: parameters named by
/// position, so that templates that differ only in names are one), with the routes
/// (indices) it serves; `None` when axum cannot take them all (parameters inside a segment,
/// segments axum reads as its own syntax, templates it finds ambiguous).
pub(super) fn axum_paths(routes: &[Route]) -> Option<Vec<(String, Vec<usize>)>> {
    let mut paths: Vec<(String, Vec<usize>)> = Vec::new();
    let mut check = matchit::Router::new();
    for (i, route) in routes.iter().enumerate() {
        let PathMatcher::Segments(segments) = &route.path else {
            return None;
        };
        let mut path = String::new();
        let mut n = 0;
        for (at, segment) in segments.iter().enumerate() {
            path.push('/');
            match segment {
                Segment::Literal(l) => {
                    let last = at + 1 == segments.len();
                    if l.starts_with([':', '*'])
                        || l.contains(['{', '}'])
                        || (l.is_empty() && !last)
                    {
                        return None;
                    }
                    path.push_str(l);
                }
                Segment::Capture | Segment::Any => {
                    path.push_str(&format!("{{p{n}}}"));
                    n += 1;
                }
            }
        }
        match paths.iter_mut().find(|(p, _)| *p == path) {
            Some((_, group)) => group.push(i),
            None => {
                check.insert(path.clone(), ()).ok()?;
                if !path.ends_with('/') {
                    check.insert(format!("{path}/"), ()).ok()?;
                }
                paths.push((path, vec![i]));
            }
        }
    }
    Some(paths)
}

/// The text of each path parameter a template captured (on the stack for up to eight).
pub(super) type Captures<'p> = smallvec::SmallVec<[&'p str; 8]>;

/// How a route's path template matches a request's path.
pub(super) enum PathMatcher {
    /// Whole segments: each literal (as the path has it, still percent-encoded) or one
    /// parameter. Matched segment by segment, without allocating.
    Segments(Vec<Segment>),
    /// Templates with parameters inside a segment (`/files/{name}.{ext}`): a regular
    /// expression with a capture group per parameter.
    Regex(Regex),
}

pub(super) enum Segment {
    Literal(&'static str),
    /// A parameter, captured.
    Capture,
    /// A `{name}` that is no path parameter of the operation: any text, not captured.
    Any,
}

impl PathMatcher {
    /// Whether `path` matches; if so, `caps` holds the captured text of each parameter in
    /// template order. A trailing slash is the same resource.
    pub(super) fn matches<'p>(&self, path: &'p str, caps: &mut Captures<'p>) -> bool {
        match self {
            PathMatcher::Segments(segments) => {
                let Some(mut rest) = path.strip_prefix('/') else {
                    return false;
                };
                // One walk over the path: each segment is the text up to the next `/`.
                let last = segments.len().saturating_sub(1);
                for (at, segment) in segments.iter().enumerate() {
                    let (part, next) = match rest.bytes().position(|b| b == b'/') {
                        Some(slash) => (&rest[..slash], Some(&rest[slash + 1..])),
                        None => (rest, None),
                    };
                    match segment {
                        Segment::Literal(l) if *l == part => {}
                        Segment::Capture if !part.is_empty() => caps.push(part),
                        Segment::Any if !part.is_empty() => {}
                        _ => return false,
                    }
                    match next {
                        Some(next) => rest = next,
                        // Fewer segments than the template's.
                        None => return at == last,
                    }
                }
                // A slash after the last segment: `/pets/` is `/pets` (but `/pets//` is
                // not, nor is `/pets/` when the template itself ends in a slash).
                rest.is_empty() && !matches!(segments.last(), Some(Segment::Literal("")))
            }
            PathMatcher::Regex(regex) => match regex.captures(path) {
                Some(found) => {
                    caps.extend(found.iter().skip(1).map(|m| m.map_or("", |m| m.as_str())));
                    true
                }
                None => false,
            },
        }
    }
}

/// The matcher of a path template, the parameter of each capture and the number of literal
/// characters.
pub(super) fn compile_path(op: &OperationDef) -> (PathMatcher, Vec<usize>, usize) {
    let param = |name: &str| {
        op.params
            .iter()
            .position(|p| p.location == Location::Path && p.name == name)
    };
    let literal_len = op.path.len()
        - op.path
            .split('{')
            .skip(1)
            .map(|s| s.find('}').map_or(0, |end| end + 2))
            .sum::<usize>();
    // Whole-segment templates (nearly all of them).
    if let Some(rest) = op.path.strip_prefix('/') {
        let mut captures = Vec::new();
        let segments: Option<Vec<Segment>> = rest
            .split('/')
            .map(
                |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) if !name.contains(['{', '}']) => Some(match param(name) {
                        Some(i) => {
                            captures.push(i);
                            Segment::Capture
                        }
                        None => Segment::Any,
                    }),
                    _ if s.contains(['{', '}']) => None,
                    _ => Some(Segment::Literal(s)),
                },
            )
            .collect();
        if let Some(segments) = segments {
            return (PathMatcher::Segments(segments), captures, literal_len);
        }
    }
    let mut pattern = String::from("^");
    let mut captures = Vec::new();
    let mut rest = op.path;
    while let Some(start) = rest.find('{') {
        pattern.push_str(&regex::escape(&rest[..start]));
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        match param(&rest[start + 1..start + end]) {
            Some(i) => {
                captures.push(i);
                pattern.push_str("([^/]+)");
            }
            None => pattern.push_str("[^/]+"),
        }
        rest = &rest[start + end + 1..];
    }
    pattern.push_str(&regex::escape(rest));
    // A trailing slash is the same resource.
    if !pattern.ends_with('/') {
        pattern.push_str("/?");
    }
    pattern.push('$');
    let regex = Regex::new(&pattern).unwrap_or_else(|_| {
        // Escaped literals and fixed groups always compile; never match otherwise.
        Regex::new("^\\b\\B$").unwrap_or_else(|_| unreachable!())
    });
    (PathMatcher::Regex(regex), captures, literal_len)
}

/// Which of the operation's media types `content_type` is.
pub(super) fn media_index(bodies: &[BodyDef], content_type: Option<&str>) -> Option<usize> {
    let essence = media_essence(content_type?);
    essence.split_once('/')?;
    bodies
        .iter()
        .position(|b| b.media_type.eq_ignore_ascii_case(&essence))
        .or_else(|| bodies.iter().position(|b| in_range(&essence, b.media_type)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::{ApiDef, Config, Dispatcher, Kind, MediaKind, ParamDef, Reply};

    #[test]
    fn media_types_match_exactly_then_by_range() {
        const BODIES: &[BodyDef] = &[
            BodyDef {
                media_type: "application/json",
                kind: MediaKind::Json,
                schema: "{}",
                encoding: &[],
            },
            BodyDef {
                media_type: "image/*",
                kind: MediaKind::Binary,
                schema: "{}",
                encoding: &[],
            },
        ];
        assert_eq!(
            media_index(BODIES, Some("application/json; charset=utf-8")),
            Some(0)
        );
        assert_eq!(media_index(BODIES, Some("Image/PNG")), Some(1));
        assert_eq!(media_index(BODIES, Some("text/plain")), None);
        assert_eq!(media_index(BODIES, None), None);
    }

    /// What `path` captures at the operation `template`, or `None` when it does not match.
    fn captured(template: &'static str, path: &str) -> Option<Vec<String>> {
        const PARAMS: &[ParamDef] = &[
            ParamDef::path("id", Kind::String),
            ParamDef::path("ext", Kind::String),
        ];
        let op: &'static OperationDef = Box::leak(Box::new(OperationDef {
            path: template,
            params: PARAMS,
            ..OperationDef::DEFAULT
        }));
        let (matcher, _, _) = compile_path(op);
        let mut caps = Captures::new();
        matcher
            .matches(path, &mut caps)
            .then(|| caps.into_iter().map(str::to_string).collect())
    }

    #[test]
    fn paths_match_templates_segment_by_segment() {
        assert_eq!(captured("/pets/{id}", "/pets/7"), Some(vec!["7".into()]));
        assert_eq!(captured("/pets/{id}", "/pets/7/"), Some(vec!["7".into()]));
        assert_eq!(captured("/pets/{id}", "/pets/7//"), None);
        assert_eq!(captured("/pets/{id}", "/pets/"), None);
        assert_eq!(captured("/pets/{id}", "/pets/7/toys"), None);
        assert_eq!(captured("/pets/{id}", "/Pets/7"), None);
        assert_eq!(captured("/pets/{id}", "pets/7"), None);
        assert_eq!(captured("/pets/", "/pets/"), Some(vec![]));
        assert_eq!(captured("/pets/", "/pets"), None);
        assert_eq!(captured("/", "/"), Some(vec![]));
        assert_eq!(captured("/", "/pets"), None);
        // A name that is no path parameter matches any segment, uncaptured.
        assert_eq!(
            captured("/a/{other}/{id}", "/a/x/y"),
            Some(vec!["y".into()])
        );
        // Parameters inside a segment: by regular expression.
        assert_eq!(
            captured("/files/{id}.{ext}", "/files/a.txt"),
            Some(vec!["a".into(), "txt".into()])
        );
        assert_eq!(captured("/files/{id}.{ext}", "/files/a"), None);
        assert_eq!(
            captured("/files/{id}.{ext}", "/files/a.txt/"),
            Some(vec!["a".into(), "txt".into()])
        );
    }

    /// Whether a router of operations at `templates` routes through axum's routes (and
    /// building it does not panic, which axum does on paths it cannot take).
    fn through_axum(templates: &[&'static str]) -> bool {
        static API: ApiDef = ApiDef {
            title: "t",
            schemes: &[],
            defs: "{}",
            fallback_error: "{}",
        };
        let mut d = Dispatcher::new(&API, Config::default());
        for path in templates {
            let params: Vec<ParamDef> = path
                .split('{')
                .skip(1)
                .filter_map(|s| s.split_once('}'))
                .map(|(n, _)| ParamDef::path(Box::leak(n.into()), Kind::String))
                .collect();
            let op: &'static OperationDef = Box::leak(Box::new(OperationDef {
                path,
                params: Box::leak(params.into_boxed_slice()),
                ..OperationDef::DEFAULT
            }));
            d = d.operation(op, |_| Box::pin(async { Ok(Reply::json(200, &1)) }));
        }
        d.routes
            .sort_by_key(|r| (r.captures.len(), std::cmp::Reverse(r.literal_len)));
        let through = axum_paths(&d.routes).is_some();
        let _router = d.into_router();
        through
    }

    #[test]
    fn templates_become_axum_routes_when_axum_takes_them_all() {
        assert!(through_axum(&["/", "/pets", "/pets/{id}", "/pets/summary"]));
        // Names differ, shape is the same: one route, told apart by method.
        assert!(through_axum(&["/a/{id}", "/a/{name}", "/a/{id}/b/{c}"]));
        assert!(through_axum(&["/pets/", "/owners"]));
        // Parameters inside a segment; segments axum reads as its syntax; a template and the
        // same with a trailing slash; an empty segment: the fallback serves them all.
        assert!(!through_axum(&["/pets", "/files/{id}.{ext}"]));
        assert!(!through_axum(&["/pets", "/:weird"]));
        assert!(!through_axum(&["/pets", "/*star"]));
        assert!(!through_axum(&["/pets", "/pets/"]));
        assert!(!through_axum(&["/a//b"]));
    }
}
