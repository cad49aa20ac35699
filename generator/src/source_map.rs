//! Maps JSON pointers back to line and column in the spec's text, for diagnostics.
//!
//! Built on demand from YAML parser events (JSON is YAML here), only when a diagnostic needs a
//! position. A text the event parser cannot read yields an empty map: positions are a
//! convenience, the pointer stays authoritative.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostics::join;

/// Pointer fragment (`#/a/b`) → 1-based (line, column) of the key or item that holds it.
#[derive(Debug, Default)]
pub struct SourceMap {
    positions: HashMap<String, (usize, usize)>,
}

enum Frame {
    Mapping {
        pointer: String,
        /// The key whose value comes next, with the key's position.
        key: Option<(String, Marker)>,
    },
    Sequence {
        pointer: String,
        index: usize,
    },
}

struct Builder {
    stack: Vec<Frame>,
    positions: HashMap<String, (usize, usize)>,
}

impl Builder {
    /// Where the node that starts now lives, and where to report it; consumes the pending key.
    fn next_node(&mut self, mark: Marker) -> Option<String> {
        let (pointer, at) = match self.stack.last_mut() {
            None => ("#".to_string(), mark),
            Some(Frame::Sequence { pointer, index }) => {
                let p = join(pointer, index.to_string());
                *index += 1;
                (p, mark)
            }
            Some(Frame::Mapping { pointer, key }) => match key.take() {
                Some((k, key_mark)) => (join(pointer, k), key_mark),
                None => return None,
            },
        };
        self.positions
            .entry(pointer.clone())
            .or_insert((at.line(), at.col() + 1));
        Some(pointer)
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(value, ..) => {
                if let Some(Frame::Mapping {
                    key: key @ None, ..
                }) = self.stack.last_mut()
                {
                    *key = Some((value, mark));
                } else {
                    self.next_node(mark);
                }
            }
            Event::Alias(_) => {
                if let Some(Frame::Mapping {
                    key: key @ None, ..
                }) = self.stack.last_mut()
                {
                    *key = Some((String::new(), mark));
                } else {
                    self.next_node(mark);
                }
            }
            Event::MappingStart(..) => {
                // A mapping used as a key has no pointer; track it so its end pops cleanly.
                let pointer = self.next_node(mark).unwrap_or_default();
                self.stack.push(Frame::Mapping { pointer, key: None });
            }
            Event::SequenceStart(..) => {
                let pointer = self.next_node(mark).unwrap_or_default();
                self.stack.push(Frame::Sequence { pointer, index: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

impl SourceMap {
    /// Reads `text` (YAML or JSON). Never fails: an unreadable text gives an empty map.
    pub fn build(text: &str) -> SourceMap {
        let mut builder = Builder {
            stack: Vec::new(),
            positions: HashMap::new(),
        };
        // Only the first document counts, as for the loader.
        let _ = Parser::new_from_str(text).load(&mut builder, false);
        SourceMap {
            positions: builder.positions,
        }
    }

    /// The position of `pointer`, or of its nearest ancestor that is in the text.
    pub fn position(&self, pointer: &str) -> Option<(usize, usize)> {
        let mut p = pointer;
        loop {
            if let Some(pos) = self.positions.get(p) {
                return Some(*pos);
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_positions() {
        let text = "openapi: 3.0.3\npaths:\n  /a/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n";
        let map = SourceMap::build(text);
        assert_eq!(map.position("#/openapi"), Some((1, 1)));
        assert_eq!(map.position("#/paths/~1a~1{id}/get"), Some((4, 5)));
        assert_eq!(
            map.position("#/paths/~1a~1{id}/get/parameters/0"),
            Some((6, 11))
        );
        assert_eq!(
            map.position("#/paths/~1a~1{id}/get/parameters/0/in"),
            Some((7, 11))
        );
        // Missing leaves fall back to their nearest ancestor.
        assert_eq!(
            map.position("#/paths/~1a~1{id}/get/responses"),
            Some((4, 5))
        );
    }

    #[test]
    fn json_positions() {
        let text =
            "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {\n    \"/a\": {\"get\": {}}\n  }\n}\n";
        let map = SourceMap::build(text);
        assert_eq!(map.position("#/paths/~1a"), Some((4, 5)));
        assert_eq!(map.position("#/paths/~1a/get"), Some((4, 12)));
    }

    #[test]
    fn garbage_gives_no_positions() {
        let map = SourceMap::build("a: [unclosed");
        assert_eq!(map.position("#/b"), map.position("#"));
    }
}
