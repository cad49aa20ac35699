//! Maps JSON pointers back to line and column in the spec's text, for diagnostics.
//!
//! Built on demand from YAML parser events (JSON is YAML here), only when a diagnostic needs a
//! position. A text the event parser cannot read yields an empty map: positions are a
//! convenience, the pointer stays authoritative.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::pointer::join;

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
        /// A mapping that is a sequence item has no key to point at: it is placed at its
        /// first key (the parser's mark for the start of a block mapping is past that key).
        unplaced: Option<Marker>,
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
    fn record(&mut self, pointer: &str, at: Marker) {
        self.positions
            .entry(pointer.to_string())
            .or_insert((at.line(), at.col() + 1));
    }

    /// The pointer of the node that starts now, consuming the pending key; records its
    /// position unless `defer` (a mapping item of a sequence, placed at its first key).
    fn next_node(&mut self, mark: Marker, defer: bool) -> Option<String> {
        let (pointer, at) = match self.stack.last_mut() {
            // The document itself starts where the text does.
            None => {
                self.positions.insert("#".to_string(), (1, 1));
                return Some("#".to_string());
            }
            Some(Frame::Sequence { pointer, index }) => {
                let p = join(pointer, index.to_string());
                *index += 1;
                (p, mark)
            }
            Some(Frame::Mapping { pointer, key, .. }) => match key.take() {
                Some((k, key_mark)) => (join(pointer, k), key_mark),
                None => return None,
            },
        };
        if !defer {
            self.record(&pointer, at);
        }
        Some(pointer)
    }

    /// A scalar or alias: a key when its mapping awaits one, else a value.
    fn leaf(&mut self, key_text: String, mark: Marker) {
        let mut place = None;
        if let Some(Frame::Mapping {
            pointer,
            key: key @ None,
            unplaced,
        }) = self.stack.last_mut()
        {
            if unplaced.take().is_some() {
                place = Some(pointer.clone());
            }
            *key = Some((key_text, mark));
        } else {
            self.next_node(mark, false);
        }
        if let Some(p) = place {
            self.record(&p, mark);
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(value, ..) => self.leaf(value, mark),
            Event::Alias(_) => self.leaf(String::new(), mark),
            Event::MappingStart(..) => {
                let is_item = matches!(self.stack.last(), Some(Frame::Sequence { .. }));
                // A mapping used as a key has no pointer; track it so its end pops cleanly.
                let pointer = self.next_node(mark, is_item).unwrap_or_default();
                self.stack.push(Frame::Mapping {
                    pointer,
                    key: None,
                    unplaced: is_item.then_some(mark),
                });
            }
            Event::SequenceStart(..) => {
                let pointer = self.next_node(mark, false).unwrap_or_default();
                self.stack.push(Frame::Sequence { pointer, index: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                // An empty mapping item is placed where it starts.
                if let Some(Frame::Mapping {
                    pointer,
                    unplaced: Some(start),
                    ..
                }) = self.stack.pop()
                {
                    self.record(&pointer, start);
                }
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
