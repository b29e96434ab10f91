//! The JSON layout of a document: an indented outline with one compact line per record, so that a
//! diff shows which records changed.

/// Lays a document out with one record per line: the outline (the top-level fields and the lists)
/// is indented, and each record in a list (a column, an epic, an item…) is one compact line. A diff
/// of two exports shows which records changed, and the file is about half the size of fully
/// indented JSON, so it is written and read in about half the time.
#[derive(Default)]

pub(super) struct RecordPerLine {
    /// Per open container: whether it is laid out over lines, and whether it has a value yet.
    open: Vec<(bool, bool)>,
}

impl RecordPerLine {
    fn begin<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        bracket: &[u8],
        is_list: bool,
    ) -> std::io::Result<()> {
        // The root object and the lists directly inside it are laid out; everything deeper is compact.
        let laid_out = self.open.is_empty() || (is_list && self.open.len() == 1);
        self.open.push((laid_out, false));
        writer.write_all(bracket)
    }

    fn end<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        if let Some((true, true)) = self.open.pop() {
            self.new_line(writer)?;
        }
        writer.write_all(bracket)
    }

    fn next_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            writer.write_all(b",")?;
        }
        if let Some(last) = self.open.last_mut() {
            last.1 = true;
            if last.0 {
                self.new_line(writer)?;
            }
        }
        Ok(())
    }

    fn new_line<W: ?Sized + std::io::Write>(&self, writer: &mut W) -> std::io::Result<()> {
        writer.write_all(b"\n")?;
        for _ in 0..self.open.len() {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for RecordPerLine {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.begin(writer, b"[", true)
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.end(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        self.next_value(writer, first)
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.begin(writer, b"{", false)
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.end(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        self.next_value(writer, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        let laid_out = self.open.last().is_some_and(|&(laid_out, _)| laid_out);
        writer.write_all(if laid_out { b": " } else { b":" })
    }
}
