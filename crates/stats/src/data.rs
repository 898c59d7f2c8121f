//! The input shape shared by most statistics: a table of numbers with one row per respondent
//! (or target) and one column per item (or rater), where a cell may be missing.
//!
//! Representation: values are stored column by column in one `Vec<f64>` and missing cells are
//! marked in a parallel mask, so there is never a NaN inside: a missing cell is `None` when read
//! back, and NaN or infinity is rejected when the table is built. A 0 is data, never missing.

use std::borrow::Cow;

use serde::Serialize;

use crate::error::{Result, StatsError};

/// A rectangular table of observations with explicit missing cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    columns: Vec<String>,
    n_rows: usize,
    /// Column-major: column `c` is `values[c * n_rows .. (c + 1) * n_rows]`.
    values: Vec<f64>,
    /// Same layout as `values`; `true` means missing. Empty when no cell is missing.
    missing: Vec<bool>,
}

impl Table {
    /// Builds a table from rows of optional values (`None` = missing).
    ///
    /// Errors: a row whose length differs from the number of columns ([`StatsError::RaggedRow`]),
    /// or a NaN/infinite value ([`StatsError::NonFinite`]).
    pub fn from_rows(columns: Vec<String>, rows: &[Vec<Option<f64>>]) -> Result<Self> {
        let k = columns.len();
        let n = rows.len();
        let mut values = vec![0.0; n * k];
        let mut missing = vec![false; n * k];
        let mut any_missing = false;
        for (r, row) in rows.iter().enumerate() {
            if row.len() != k {
                return Err(StatsError::RaggedRow {
                    row: r + 1,
                    found: row.len(),
                    expected: k,
                });
            }
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    Some(v) if !v.is_finite() => {
                        return Err(StatsError::NonFinite {
                            row: r + 1,
                            column: columns[c].clone(),
                            value: *v,
                        });
                    }
                    Some(v) => values[c * n + r] = *v,
                    None => {
                        missing[c * n + r] = true;
                        any_missing = true;
                    }
                }
            }
        }
        if !any_missing {
            missing.clear();
        }
        Ok(Self {
            columns,
            n_rows: n,
            values,
            missing,
        })
    }

    /// Builds a complete table (no missing cells) from rows of values.
    pub fn from_complete_rows(columns: Vec<String>, rows: &[Vec<f64>]) -> Result<Self> {
        let opt: Vec<Vec<Option<f64>>> = rows
            .iter()
            .map(|r| r.iter().copied().map(Some).collect())
            .collect();
        Self::from_rows(columns, &opt)
    }

    /// Builds a complete table from column-major values (`values.len() == n_rows * columns.len()`).
    pub fn from_columns(columns: Vec<String>, n_rows: usize, values: Vec<f64>) -> Result<Self> {
        if values.len() != n_rows * columns.len() {
            return Err(StatsError::invalid(
                "table",
                format!(
                    "{} values do not fill {} rows x {} columns",
                    values.len(),
                    n_rows,
                    columns.len()
                ),
            ));
        }
        for (i, v) in values.iter().enumerate() {
            if !v.is_finite() {
                let c = i / n_rows.max(1);
                return Err(StatsError::NonFinite {
                    row: i % n_rows.max(1) + 1,
                    column: columns[c].clone(),
                    value: *v,
                });
            }
        }
        Ok(Self {
            columns,
            n_rows,
            values,
            missing: Vec::new(),
        })
    }

    /// Default column names "1", "2", ... for callers without a header.
    pub fn numbered_columns(k: usize) -> Vec<String> {
        (1..=k).map(|i| i.to_string()).collect()
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.n_rows
    }
    /// Number of columns.
    pub fn n_cols(&self) -> usize {
        self.columns.len()
    }
    /// Column names.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }
    /// The value at (row, column), 0-based; `None` when missing.
    pub fn get(&self, row: usize, col: usize) -> Option<f64> {
        let i = col * self.n_rows + row;
        if self.is_missing_idx(i) {
            None
        } else {
            Some(self.values[i])
        }
    }
    /// Whether any cell is missing.
    pub fn has_missing(&self) -> bool {
        !self.missing.is_empty()
    }
    fn is_missing_idx(&self, i: usize) -> bool {
        !self.missing.is_empty() && self.missing[i]
    }
    /// Whether the cell (row, column) is missing.
    pub fn is_missing(&self, row: usize, col: usize) -> bool {
        self.is_missing_idx(col * self.n_rows + row)
    }
    /// The raw column slice (missing cells hold 0.0; check [`Table::is_missing`]).
    pub(crate) fn column_raw(&self, col: usize) -> &[f64] {
        &self.values[col * self.n_rows..(col + 1) * self.n_rows]
    }
    /// The missing mask of a column, or `None` when the table has no missing cell.
    pub(crate) fn column_mask(&self, col: usize) -> Option<&[bool]> {
        if self.missing.is_empty() {
            None
        } else {
            Some(&self.missing[col * self.n_rows..(col + 1) * self.n_rows])
        }
    }
    /// Indices of rows with no missing cell.
    pub fn complete_rows(&self) -> Vec<usize> {
        if self.missing.is_empty() {
            return (0..self.n_rows).collect();
        }
        (0..self.n_rows)
            .filter(|&r| (0..self.n_cols()).all(|c| !self.missing[c * self.n_rows + r]))
            .collect()
    }
    /// A complete table holding only `rows` (which must index complete rows).
    pub fn select_rows(&self, rows: &[usize]) -> Table {
        let n = rows.len();
        let k = self.n_cols();
        let mut values = Vec::with_capacity(n * k);
        let mut missing = Vec::new();
        let any = self.has_missing();
        if any {
            missing.reserve(n * k);
        }
        for c in 0..k {
            let col = self.column_raw(c);
            for &r in rows {
                values.push(col[r]);
                if any {
                    missing.push(self.missing[c * self.n_rows + r]);
                }
            }
        }
        if missing.iter().all(|m| !m) {
            missing.clear();
        }
        Table {
            columns: self.columns.clone(),
            n_rows: n,
            values,
            missing,
        }
    }
    /// The table restricted to complete rows (listwise deletion), and the rows kept. Borrows
    /// the table itself when nothing is missing (no copy of large data).
    pub fn listwise(&self) -> (Cow<'_, Table>, Vec<usize>) {
        if !self.has_missing() {
            return (Cow::Borrowed(self), (0..self.n_rows).collect());
        }
        let rows = self.complete_rows();
        (Cow::Owned(self.select_rows(&rows)), rows)
    }
    /// The table without the columns in `drop`.
    pub fn without_columns(&self, drop: &[usize]) -> Table {
        let keep: Vec<usize> = (0..self.n_cols()).filter(|c| !drop.contains(c)).collect();
        let mut values = Vec::with_capacity(keep.len() * self.n_rows);
        let mut missing = Vec::new();
        for &c in &keep {
            values.extend_from_slice(self.column_raw(c));
            if let Some(m) = self.column_mask(c) {
                missing.extend_from_slice(m);
            }
        }
        Table {
            columns: keep.iter().map(|&c| self.columns[c].clone()).collect(),
            n_rows: self.n_rows,
            values,
            missing,
        }
    }
    /// Rows as vectors of optional values.
    pub fn rows(&self) -> Vec<Vec<Option<f64>>> {
        (0..self.n_rows)
            .map(|r| (0..self.n_cols()).map(|c| self.get(r, c)).collect())
            .collect()
    }
}

/// How rows with missing cells are handled by statistics that need complete cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingPolicy {
    /// Drop every row with a missing cell (the default; unbiased when data are missing
    /// completely at random, but it can drop many rows).
    #[default]
    Listwise,
    /// Use, for each pair of columns, every row where both are present. Keeps more data but can
    /// give a covariance matrix that is not positive definite.
    Pairwise,
}

/// How many rows a statistic used, reported with every result that deletes rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CasesUsed {
    /// Rows in the input.
    pub n_rows: usize,
    /// Rows that contributed.
    pub n_used: usize,
    /// The policy applied.
    pub policy: MissingPolicy,
}

/// One categorical rating as given: a number or a word.
#[derive(Debug, Clone, PartialEq)]
pub enum Category {
    /// A numeric code or rating.
    Number(f64),
    /// A word label (`yes`, `hire`, `B`).
    Label(String),
}

impl Category {
    fn text(&self) -> String {
        match self {
            Category::Number(v) => format!("{v}"),
            Category::Label(s) => s.clone(),
        }
    }
}

/// Category columns as a table: the numbers themselves when every given cell is a number;
/// otherwise, when `allow_text`, every distinct value (numbers written as text) coded 0, 1, 2…
/// in sorted order, with the labels returned (index = code). Ordered and weighted statistics
/// pass `allow_text = false`: a word is then an [`StatsError::InvalidValue`] naming its row and
/// column.
pub fn code_categories(
    columns: Vec<String>,
    rows: &[Vec<Option<Category>>],
    allow_text: bool,
) -> Result<(Table, Option<Vec<String>>)> {
    let first_word = rows.iter().enumerate().find_map(|(r, row)| {
        row.iter()
            .position(|c| matches!(c, Some(Category::Label(_))))
            .map(|c| (r, c))
    });
    let Some((r, c)) = first_word else {
        let numbers: Vec<Vec<Option<f64>>> = rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|c| match c {
                        Some(Category::Number(v)) => Some(*v),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        return Ok((Table::from_rows(columns, &numbers)?, None));
    };
    if !allow_text {
        return Err(StatsError::InvalidValue {
            row: r + 1,
            column: columns.get(c).cloned().unwrap_or_else(|| (c + 1).to_string()),
            reason: "ordered or weighted statistics need numeric ratings; word labels only work for unordered categories".into(),
        });
    }
    let mut labels: Vec<String> = rows
        .iter()
        .flatten()
        .flatten()
        .map(Category::text)
        .collect();
    labels.sort();
    labels.dedup();
    let coded: Vec<Vec<Option<f64>>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| {
                    c.as_ref()
                        .and_then(|v| labels.binary_search(&v.text()).ok())
                        .map(|i| i as f64)
                })
                .collect()
        })
        .collect();
    Ok((Table::from_rows(columns, &coded)?, Some(labels)))
}

#[cfg(test)]
mod category_tests {
    use super::*;

    #[test]
    fn words_are_coded_in_sorted_order_and_numbers_kept() {
        let rows = vec![
            vec![
                Some(Category::Label("yes".into())),
                Some(Category::Label("no".into())),
            ],
            vec![None, Some(Category::Label("yes".into()))],
        ];
        let cols = vec!["a".to_string(), "b".to_string()];
        let (t, labels) = code_categories(cols.clone(), &rows, true).unwrap();
        assert_eq!(labels.unwrap(), vec!["no", "yes"]);
        assert_eq!(t.get(0, 0), Some(1.0));
        assert_eq!(t.get(0, 1), Some(0.0));
        assert_eq!(t.get(1, 0), None);
        let err = code_categories(cols.clone(), &rows, false).unwrap_err();
        assert!(
            matches!(err, StatsError::InvalidValue { row: 1, ref column, .. } if column == "a")
        );
        let numbers = vec![vec![
            Some(Category::Number(2.0)),
            Some(Category::Number(3.0)),
        ]];
        let (t, labels) = code_categories(cols, &numbers, false).unwrap();
        assert!(labels.is_none());
        assert_eq!(t.get(0, 1), Some(3.0));
    }
}
