//! `multipart/form-data` bodies, encoded up front (like every body here) so a retry resends the same bytes.

// Every crate gets this file; only APIs with multipart operations use it.
#![allow(dead_code)]

use bytes::{BufMut, Bytes, BytesMut};

/// A multipart form under construction: text, JSON and binary parts, in order.
#[doc(hidden)]
#[derive(Debug)]
pub struct Multipart {
    boundary: String,
    body: BytesMut,
}

impl Default for Multipart {
    fn default() -> Self {
        Self::new()
    }
}

impl Multipart {
    /// An empty form with a fresh random boundary.
    pub fn new() -> Self {
        let boundary = format!(
            "paypro-{:016x}{:016x}",
            crate::retry::random(),
            crate::retry::random()
        );
        Self {
            boundary,
            body: BytesMut::new(),
        }
    }

    fn part_header(&mut self, name: &str, filename: Option<&str>, content_type: &str) {
        // Quotes and line breaks in a name would break the header; they are escaped as browsers do.
        let escape = |text: &str| {
            text.replace('"', "%22")
                .replace('\r', "%0D")
                .replace('\n', "%0A")
        };
        self.body
            .put_slice(format!("--{}\r\n", self.boundary).as_bytes());
        let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", escape(name));
        if let Some(filename) = filename {
            disposition.push_str(&format!("; filename=\"{}\"", escape(filename)));
        }
        self.body.put_slice(disposition.as_bytes());
        self.body
            .put_slice(format!("\r\nContent-Type: {content_type}\r\n\r\n").as_bytes());
    }

    /// A text field.
    pub fn text(mut self, name: &str, value: impl std::fmt::Display) -> Self {
        self.part_header(name, None, "text/plain; charset=utf-8");
        self.body.put_slice(value.to_string().as_bytes());
        self.body.put_slice(b"\r\n");
        self
    }

    /// A field holding JSON (objects and arrays of objects).
    pub fn json<T: serde::Serialize + ?Sized>(
        mut self,
        name: &str,
        value: &T,
    ) -> Result<Self, serde_json::Error> {
        let encoded = serde_json::to_vec(value)?;
        self.part_header(name, None, "application/json");
        self.body.put_slice(&encoded);
        self.body.put_slice(b"\r\n");
        Ok(self)
    }

    /// A file field.
    pub fn bytes(mut self, name: &str, value: &Bytes) -> Self {
        self.part_header(name, Some(name), "application/octet-stream");
        self.body.put_slice(value);
        self.body.put_slice(b"\r\n");
        self
    }

    /// The encoded body and its content type.
    pub(crate) fn finish(mut self) -> (Bytes, String) {
        self.body
            .put_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        (
            self.body.freeze(),
            format!("multipart/form-data; boundary={}", self.boundary),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_parts_in_order() {
        let form = Multipart::new()
            .text("name", "a\"b")
            .bytes("file", &Bytes::from_static(b"\x00\x01"));
        let boundary = form.boundary.clone();
        let (body, content_type) = form.finish();
        assert_eq!(
            content_type,
            format!("multipart/form-data; boundary={boundary}")
        );
        let text = String::from_utf8_lossy(&body);
        let expected_start = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\na\"b\r\n"
        );
        assert!(text.starts_with(&expected_start), "{text}");
        assert!(text.contains(
            "name=\"file\"; filename=\"file\"\r\nContent-Type: application/octet-stream"
        ));
        assert!(text.ends_with(&format!("--{boundary}--\r\n")));
    }

    #[test]
    fn boundaries_differ() {
        assert_ne!(Multipart::new().boundary, Multipart::new().boundary);
    }
}
