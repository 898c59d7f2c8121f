//! The framework document typeset with Typst: the template `framework.typ` and the document's
//! data as `/data.json` in a small in-memory world. Fonts are Typst's own embedded fonts, so the
//! output does not depend on the fonts of the machine and is the same bytes every time.

use std::sync::OnceLock;

use typst::diag::{FileError, FileResult, Severity};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use super::{DocumentData, DocumentError};

const TEMPLATE: &str = include_str!("framework.typ");

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

/// The embedded fonts, loaded once per process.
fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        Fonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
}

fn file_id(path: &str) -> Result<FileId, DocumentError> {
    let path = VirtualPath::new(path).map_err(|e| DocumentError::Typeset(format!("{e:?}")))?;
    Ok(RootedPath::new(VirtualRoot::Project, path).intern())
}

struct DocumentWorld {
    library: LazyHash<Library>,
    main: Source,
    data_id: FileId,
    data: Bytes,
}

impl World for DocumentWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.main.id() {
            Ok(Bytes::from_string(self.main.text().to_string()))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // No clock: the document must not change with the day it is made.
        None
    }
}

/// Typesets `data` as a PDF.
pub(super) fn render(data: &DocumentData) -> Result<Vec<u8>, DocumentError> {
    let json = serde_json::to_vec(data).map_err(|e| DocumentError::Typeset(e.to_string()))?;
    let world = DocumentWorld {
        library: LazyHash::new(Library::default()),
        main: Source::new(file_id("/framework.typ")?, TEMPLATE.to_string()),
        data_id: file_id("/data.json")?,
        data: Bytes::new(json),
    };
    let warned = typst::compile::<PagedDocument>(&world);
    let document = warned.output.map_err(|errors| {
        let messages: Vec<String> = errors
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("framework.typ: {}", d.message))
            .collect();
        DocumentError::Typeset(messages.join("; "))
    })?;
    let options = PdfOptions {
        ident: typst::foundations::Smart::Custom(format!("framewright:{}", data.title)),
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| {
        DocumentError::Typeset(
            errors
                .iter()
                .map(|d| d.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}
