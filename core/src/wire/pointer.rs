//! JSON pointers (RFC 6901), the one way every error and diagnostic says where a value is.
//!
//! [`Path`] is a chain of borrowed steps kept while reading, written out only when there is a
//! problem; [`escape`] and [`join`] build pointers elsewhere. Nothing else in the workspace
//! escapes a pointer token.

use std::borrow::Cow;

/// Where a value is, as a chain of borrowed steps; written out only for an error.
#[derive(Debug, Clone, Copy)]
pub enum Path<'a> {
    /// The document.
    Root,
    /// A key of an object.
    Key(&'a Path<'a>, &'a str),
    /// An index of an array.
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    /// The step to a key below this one.
    pub fn key<'b>(&'b self, key: &'b str) -> Path<'b>
    where
        'a: 'b,
    {
        Path::Key(self, key)
    }

    /// The step to an index below this one.
    pub fn index<'b>(&'b self, index: usize) -> Path<'b>
    where
        'a: 'b,
    {
        Path::Index(self, index)
    }

    /// The JSON pointer (`/entities/0/records/2018`).
    ///
    /// ```
    /// use plan_rules::wire::Path;
    /// let root = Path::Root;
    /// let series = root.key("series");
    /// let odd = series.key("a/b~c");
    /// assert_eq!(odd.index(3).pointer(), "/series/a~1b~0c/3");
    /// ```
    pub fn pointer(&self) -> String {
        let mut steps = Vec::new();
        let mut at = self;
        loop {
            match at {
                Path::Root => break,
                Path::Key(parent, _) | Path::Index(parent, _) => {
                    steps.push(at);
                    at = parent;
                }
            }
        }
        let mut out = String::new();
        for step in steps.iter().rev() {
            match step {
                Path::Key(_, key) => out = join(&out, key),
                Path::Index(_, index) => {
                    out.push('/');
                    out.push_str(&index.to_string());
                }
                Path::Root => {}
            }
        }
        out
    }
}

/// A reference token escaped as RFC 6901 says (`~` as `~0`, `/` as `~1`).
///
/// ```
/// assert_eq!(plan_rules::wire::escape("a/b~c"), "a~1b~0c");
/// ```
pub fn escape(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

/// A pointer one step below `base`: `base`, a slash and the escaped token.
///
/// ```
/// assert_eq!(plan_rules::wire::join("/series", "x/y"), "/series/x~1y");
/// ```
pub fn join(base: &str, token: &str) -> String {
    let token = escape(token);
    let mut out = String::with_capacity(base.len() + 1 + token.len());
    out.push_str(base);
    out.push('/');
    out.push_str(&token);
    out
}
