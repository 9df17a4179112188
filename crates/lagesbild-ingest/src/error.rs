//! The error of a reader: what went wrong, in which file, at which line and in which column or
//! property, so that the person who sent the file can find and fix it.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestError {
    pub file: String,
    /// 1-based line of the file, where known.
    pub line: Option<u64>,
    /// The column, property or mapping key concerned, where known.
    pub field: Option<String>,
    pub message: String,
}

impl IngestError {
    pub fn new(file: &str, message: impl Into<String>) -> Self {
        IngestError {
            file: file.to_owned(),
            line: None,
            field: None,
            message: message.into(),
        }
    }

    pub fn at(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ", line {l}")?;
        }
        if let Some(c) = &self.field {
            write!(f, ", {c}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for IngestError {}

/// Reads a whole input that must be UTF-8 (chat exports); invalid bytes are an error naming
/// the line they are on.
pub(crate) fn read_utf8(file: &str, mut input: impl std::io::Read) -> Result<String, IngestError> {
    let mut bytes = Vec::new();
    input
        .read_to_end(&mut bytes)
        .map_err(|e| IngestError::new(file, format!("cannot read: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let valid = e.utf8_error().valid_up_to();
        let line = bytes[..valid].iter().filter(|b| **b == b'\n').count() as u64 + 1;
        IngestError::new(file, "invalid UTF-8 (the format is UTF-8 by definition)").at(line)
    })
}

/// Line numbers from byte offsets.
pub(crate) struct Lines(Vec<usize>);

impl Lines {
    pub(crate) fn new(text: &str, base: usize) -> Self {
        Lines(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + base)
                .collect(),
        )
    }

    /// The 1-based line of a byte offset of the file.
    pub(crate) fn of(&self, offset: usize) -> u64 {
        self.0.partition_point(|nl| *nl < offset) as u64 + 1
    }
}

#[cfg(test)]
mod tests {
    use super::Lines;

    #[test]
    fn lines_of_offsets() {
        let l = Lines::new("a\nbc\n\nd", 0);
        assert_eq!(
            [l.of(0), l.of(1), l.of(2), l.of(5), l.of(6)],
            [1, 1, 2, 3, 4]
        );
    }
}
