//! Reads the book's data files: lines starting with `#` are comments
//! (how the data was measured), the first other line names the columns,
//! every other line is a row of comma-separated fields (no quoting: the
//! data has no commas inside a field).

/// A CSV table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub comments: Vec<String>,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn parse(text: &str) -> Result<Table, String> {
        let mut comments = Vec::new();
        let mut lines = Vec::new();
        for line in text.lines() {
            match line.strip_prefix('#') {
                Some(c) => comments.push(c.trim().to_owned()),
                None if line.trim().is_empty() => {}
                None => lines.push(line),
            }
        }
        let split = |l: &str| {
            l.split(',')
                .map(|f| f.trim().to_owned())
                .collect::<Vec<_>>()
        };
        let (header, rest) = lines.split_first().ok_or("no column header")?;
        let columns = split(header);
        let mut rows = Vec::new();
        for (i, line) in rest.iter().enumerate() {
            let row = split(line);
            if row.len() != columns.len() {
                return Err(format!(
                    "row {}: {} fields, {} columns: {line}",
                    i + 1,
                    row.len(),
                    columns.len()
                ));
            }
            rows.push(row);
        }
        Ok(Table {
            comments,
            columns,
            rows,
        })
    }

    /// The index of column `name`.
    pub fn column(&self, name: &str) -> Result<usize, String> {
        self.columns
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| format!("no column {name} in {:?}", self.columns))
    }

    /// `(x, y)` of the rows whose column `key` is `value`, in file order.
    pub fn points(
        &self,
        key: &str,
        value: &str,
        x: &str,
        y: &str,
    ) -> Result<Vec<(f64, f64)>, String> {
        let (k, xi, yi) = (self.column(key)?, self.column(x)?, self.column(y)?);
        let num = |s: &str, col: &str| s.parse::<f64>().map_err(|e| format!("{col} {s:?}: {e}"));
        self.rows
            .iter()
            .filter(|r| r[k] == value)
            .map(|r| Ok((num(&r[xi], x)?, num(&r[yi], y)?)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_header_rows() {
        let t = Table::parse("# made by hand\na,b,c\n# between\nx,1,2\ny,3,\nx,5,6\n").unwrap();
        assert_eq!(t.comments, ["made by hand", "between"]);
        assert_eq!(t.columns, ["a", "b", "c"]);
        assert_eq!(
            t.points("a", "x", "b", "c").unwrap(),
            [(1.0, 2.0), (5.0, 6.0)]
        );
        assert!(
            t.points("a", "y", "b", "c").is_err(),
            "an empty field is not a number"
        );
        assert!(t.points("a", "x", "b", "nope").is_err());
        assert!(Table::parse("a,b\n1\n").is_err());
        assert!(Table::parse("# only comments\n").is_err());
    }
}
