//! Sequential media types, the formats of streamed bodies: Server-Sent Events
//! (`text/event-stream`), JSON Lines (`application/jsonl`, `application/x-ndjson`) and JSON
//! text sequences (`application/json-seq`, RFC 7464). Split incrementally, as bytes arrive,
//! into frames; written item by item by servers. Shared by the client and the server.

use std::time::Duration;

use serde::de::DeserializeOwned;

/// How a streamed body is split into items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamFormat {
    /// `text/event-stream`: Server-Sent Events.
    EventStream,
    /// `application/jsonl`, `application/x-ndjson`...: one JSON value a line.
    JsonLines,
    /// `application/json-seq`: each JSON value after a record separator (0x1E).
    JsonSeq,
}

/// What generated code says of a streamed response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamDef {
    pub format: StreamFormat,
    /// As the spec writes it (`text/event-stream`).
    pub media_type: &'static str,
    /// Data that ends the stream (`[DONE]`) instead of being an item.
    pub end: Option<&'static str>,
    /// The item schema is a string: SSE data is the item as it is, not JSON.
    pub text: bool,
}

/// One Server-Sent Event, its data typed by the spec's item schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// The event's type (`event:`), when it has one.
    pub event: Option<String>,
    /// The last event id the stream set (`id:`): what a reconnection resumes after.
    pub id: Option<String>,
    /// How long to wait before reconnecting, when the server said (`retry:`).
    pub retry: Option<Duration>,
    pub data: T,
}

impl<T> Event<T> {
    /// An event of `data` alone.
    pub fn new(data: T) -> Event<T> {
        Event {
            event: None,
            id: None,
            retry: None,
            data,
        }
    }

    /// With an event type.
    pub fn event(mut self, event: impl Into<String>) -> Self {
        self.event = Some(event.into());
        self
    }

    /// With an id (a client resumes after it with `Last-Event-ID`).
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }
}

/// One item of a stream as it was framed, its data not yet decoded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Frame {
    pub event: Option<String>,
    pub id: Option<String>,
    pub retry: Option<Duration>,
    pub data: String,
}

/// Splits a body into frames as its bytes arrive.
#[derive(Debug)]
pub struct Splitter {
    format: StreamFormat,
    /// Bytes of an unfinished line or record.
    pending: Vec<u8>,
    /// The last byte seen was a CR ending a line: a LF right after belongs to it.
    after_cr: bool,
    started: bool,
    // The event being read (SSE).
    data: String,
    has_data: bool,
    event: Option<String>,
    last_id: Option<String>,
    retry: Option<Duration>,
}

impl Splitter {
    pub fn new(format: StreamFormat) -> Splitter {
        Splitter {
            format,
            pending: Vec::new(),
            after_cr: false,
            started: false,
            data: String::new(),
            has_data: false,
            event: None,
            last_id: None,
            retry: None,
        }
    }

    /// The frames `chunk` completes.
    pub fn push(&mut self, mut chunk: &[u8]) -> Vec<Frame> {
        let mut out = Vec::new();
        if !self.started && !chunk.is_empty() {
            self.started = true;
            if self.format == StreamFormat::EventStream {
                chunk = chunk.strip_prefix("\u{feff}".as_bytes()).unwrap_or(chunk);
            }
        }
        match self.format {
            StreamFormat::EventStream => {
                for &b in chunk {
                    match b {
                        b'\n' if self.after_cr => self.after_cr = false,
                        b'\n' | b'\r' => {
                            self.after_cr = b == b'\r';
                            let line = std::mem::take(&mut self.pending);
                            if let Some(frame) = self.line(&String::from_utf8_lossy(&line)) {
                                out.push(frame);
                            }
                        }
                        _ => {
                            self.after_cr = false;
                            self.pending.push(b);
                        }
                    }
                }
            }
            StreamFormat::JsonLines => {
                for &b in chunk {
                    if b == b'\n' {
                        let line = std::mem::take(&mut self.pending);
                        out.extend(record(&line));
                    } else {
                        self.pending.push(b);
                    }
                }
            }
            StreamFormat::JsonSeq => {
                for &b in chunk {
                    if b == 0x1e {
                        let rec = std::mem::take(&mut self.pending);
                        out.extend(record(&rec));
                    } else {
                        self.pending.push(b);
                    }
                }
            }
        }
        out
    }

    /// At the end of the body: the last line or record, when it was not terminated. An
    /// event not ended by a blank line is dropped, as the SSE standard says.
    pub fn finish(&mut self) -> Option<Frame> {
        let rest = std::mem::take(&mut self.pending);
        match self.format {
            StreamFormat::EventStream => None,
            StreamFormat::JsonLines | StreamFormat::JsonSeq => record(&rest),
        }
    }

    /// The last event id the stream set, for `Last-Event-ID`.
    pub fn last_id(&self) -> Option<&str> {
        self.last_id.as_deref()
    }

    /// The reconnection delay the stream set (`retry:`).
    pub fn retry(&self) -> Option<Duration> {
        self.retry
    }

    /// A splitter for the body of a reconnection: nothing pending, the last event id and
    /// the reconnection delay kept.
    pub fn resumed(&self) -> Splitter {
        Splitter {
            last_id: self.last_id.clone(),
            retry: self.retry,
            ..Splitter::new(self.format)
        }
    }

    /// One SSE line (without its end).
    fn line(&mut self, line: &str) -> Option<Frame> {
        if line.is_empty() {
            // Dispatch.
            let event = self.event.take();
            if !self.has_data {
                self.data.clear();
                return None;
            }
            self.has_data = false;
            let mut data = std::mem::take(&mut self.data);
            data.pop(); // the last data line's LF
            return Some(Frame {
                event,
                id: self.last_id.clone(),
                retry: self.retry,
                data,
            });
        }
        if line.starts_with(':') {
            return None; // a comment (keep-alive)
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
                self.has_data = true;
            }
            "event" => self.event = Some(value.to_string()),
            "id" if !value.contains('\0') => self.last_id = Some(value.to_string()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok().map(Duration::from_millis);
            }
            _ => {}
        }
        None
    }
}

/// A JSON Lines line or a json-seq record: its text, unless blank.
fn record(bytes: &[u8]) -> Option<Frame> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim();
    (!text.is_empty()).then(|| Frame {
        data: text.to_string(),
        ..Frame::default()
    })
}

/// What one frame is: an item, the stream's end marker, or data that is not an item.
pub enum Decoded<T> {
    Item(Event<T>),
    End,
    Malformed(String),
}

/// Decodes a frame's data as the item type (JSON, or the text itself for string items).
pub fn decode<T: DeserializeOwned>(def: &StreamDef, frame: Frame) -> Decoded<T> {
    if def.end.is_some_and(|end| frame.data == end) {
        return Decoded::End;
    }
    let data = if def.text && def.format == StreamFormat::EventStream {
        serde_json::from_value(serde_json::Value::String(frame.data.clone()))
    } else {
        serde_json::from_str(&frame.data)
    };
    match data {
        Ok(data) => Decoded::Item(Event {
            event: frame.event,
            id: frame.id,
            retry: frame.retry,
            data,
        }),
        Err(e) => Decoded::Malformed(format!(
            "{} item {:?}: {e}",
            def.media_type,
            shorten(&frame.data)
        )),
    }
}

/// At most 80 characters of `text`, for messages.
pub(crate) fn shorten(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text.to_string(),
    }
}

/// The wire form of one item: an SSE event, or a line or record of JSON.
pub fn encode<T: serde::Serialize>(def: &StreamDef, item: &Event<T>) -> Vec<u8> {
    let data = match serde_json::to_value(&item.data) {
        Ok(serde_json::Value::String(s)) if def.text => s,
        Ok(v) => v.to_string(),
        Err(e) => {
            // A value serde cannot write (a map with non-string keys): the stream says so.
            return match def.format {
                StreamFormat::EventStream => format!(": item not written: {e}\n\n").into_bytes(),
                _ => Vec::new(),
            };
        }
    };
    match def.format {
        StreamFormat::EventStream => {
            let mut out = String::new();
            if let Some(event) = &item.event {
                out.push_str(&format!("event: {}\n", one_line(event)));
            }
            if let Some(id) = &item.id {
                out.push_str(&format!("id: {}\n", one_line(id)));
            }
            if let Some(retry) = item.retry {
                out.push_str(&format!("retry: {}\n", retry.as_millis()));
            }
            for line in data.split('\n') {
                out.push_str("data: ");
                out.push_str(line.strip_suffix('\r').unwrap_or(line));
                out.push('\n');
            }
            out.push('\n');
            out.into_bytes()
        }
        StreamFormat::JsonLines => format!("{data}\n").into_bytes(),
        StreamFormat::JsonSeq => format!("\u{1e}{data}\n").into_bytes(),
    }
}

/// `text` without line breaks (an SSE field cannot hold them).
fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(format: StreamFormat, chunks: &[&[u8]]) -> Vec<Frame> {
        let mut s = Splitter::new(format);
        let mut out: Vec<Frame> = chunks.iter().flat_map(|c| s.push(c)).collect();
        out.extend(s.finish());
        out
    }

    fn data(frames: &[Frame]) -> Vec<&str> {
        frames.iter().map(|f| f.data.as_str()).collect()
    }

    #[test]
    fn sse_events_split_anywhere_with_any_line_end() {
        let body = "\u{feff}: keep-alive\r\nevent: delta\r\nid: 1\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\nid: 2\rdata: x\r\rretry: 1500\ndata:y\n\ndata: unterminated";
        // Every way of cutting the body into two chunks gives the same events.
        let whole = split(StreamFormat::EventStream, &[body.as_bytes()]);
        for cut in 0..body.len() {
            let (a, b) = body.as_bytes().split_at(cut);
            assert_eq!(
                split(StreamFormat::EventStream, &[a, b]),
                whole,
                "cut at {cut}"
            );
        }
        assert_eq!(data(&whole), ["{\"a\":\n1}", "x", "y"]);
        assert_eq!(whole[0].event.as_deref(), Some("delta"));
        assert_eq!(whole[0].id.as_deref(), Some("1"));
        // The id carries over to the events after it; `retry` is kept once set.
        assert_eq!(whole[2].id.as_deref(), Some("2"));
        assert_eq!(whole[2].retry, Some(Duration::from_millis(1500)));
        assert_eq!(whole[1].event, None);
    }

    #[test]
    fn an_event_without_data_is_not_dispatched_but_its_id_is_kept() {
        let mut s = Splitter::new(StreamFormat::EventStream);
        assert!(s.push(b"id: 7\n\nevent: ping\n\n").is_empty());
        assert_eq!(s.last_id(), Some("7"));
    }

    #[test]
    fn json_lines_and_sequences() {
        let lines = split(
            StreamFormat::JsonLines,
            &[b"{\"n\":1}\r\n\n{\"n\"", b":2}\n{\"n\":3}"],
        );
        assert_eq!(data(&lines), ["{\"n\":1}", "{\"n\":2}", "{\"n\":3}"]);
        let seq = split(StreamFormat::JsonSeq, &[b"\x1e{\"n\":1}\n\x1e", b"[2]\n"]);
        assert_eq!(data(&seq), ["{\"n\":1}", "[2]"]);
    }

    #[test]
    fn items_decode_end_and_malformed() {
        let def = StreamDef {
            format: StreamFormat::EventStream,
            media_type: "text/event-stream",
            end: Some("[DONE]"),
            text: false,
        };
        let frame = |data: &str| Frame {
            data: data.to_string(),
            ..Frame::default()
        };
        assert!(matches!(
            decode::<u32>(&def, frame("5")),
            Decoded::Item(Event { data: 5, .. })
        ));
        assert!(matches!(decode::<u32>(&def, frame("[DONE]")), Decoded::End));
        assert!(
            matches!(decode::<u32>(&def, frame("{")), Decoded::Malformed(m) if m.contains("text/event-stream item"))
        );
        let text = StreamDef { text: true, ..def };
        assert!(
            matches!(decode::<String>(&text, frame("plain words")), Decoded::Item(e) if e.data == "plain words")
        );
    }

    #[test]
    fn what_a_server_writes_a_client_reads_back() {
        for format in [
            StreamFormat::EventStream,
            StreamFormat::JsonLines,
            StreamFormat::JsonSeq,
        ] {
            let def = StreamDef {
                format,
                media_type: "x",
                end: None,
                text: false,
            };
            let items = [
                Event::new(serde_json::json!({"text": "two\nlines"}))
                    .event("delta")
                    .id("1"),
                Event::new(serde_json::json!([1, 2])),
            ];
            let wire: Vec<u8> = items.iter().flat_map(|i| encode(&def, i)).collect();
            let frames = split(format, &[&wire]);
            let back: Vec<serde_json::Value> = frames
                .into_iter()
                .map(|f| match decode(&def, f) {
                    Decoded::Item(e) => e.data,
                    _ => panic!("not an item"),
                })
                .collect();
            assert_eq!(
                back,
                [items[0].data.clone(), items[1].data.clone()],
                "{format:?}"
            );
        }
    }
}
