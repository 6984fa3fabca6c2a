//! Getting a new API document: a URL (downloaded with a timeout and a size cap) or a file, in; its bytes as text, or why not, out.

use std::io::Read;
use std::time::Duration;

/// Limits for one download.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// For the whole request: connecting, waiting and reading the body.
    pub timeout: Duration,
    /// A body larger than this is refused (PayPro's document is well under 1 MiB).
    pub max_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            max_bytes: 16 * 1024 * 1024,
        }
    }
}

/// Why a document could not be had.
#[derive(Debug)]
pub enum FetchError {
    Http {
        url: String,
        status: u16,
    },
    Transport {
        url: String,
        error: String,
    },
    TooBig {
        source: String,
        max_bytes: u64,
    },
    Read {
        source: String,
        error: std::io::Error,
    },
    NotText {
        source: String,
    },
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Http { url, status } => write!(f, "{url} answered HTTP {status}"),
            FetchError::Transport { url, error } => write!(f, "cannot download {url}: {error}"),
            FetchError::TooBig { source, max_bytes } => {
                write!(f, "{source} is larger than {max_bytes} bytes; refused")
            }
            FetchError::Read { source, error } => write!(f, "cannot read {source}: {error}"),
            FetchError::NotText { source } => write!(f, "{source} is not UTF-8 text"),
        }
    }
}

/// Whether `from` names a URL rather than a file.
pub fn is_url(from: &str) -> bool {
    from.starts_with("http://") || from.starts_with("https://")
}

/// The document at `from`: downloaded when it is an `http(s)://` URL, read otherwise.
pub fn fetch(from: &str, limits: Limits) -> Result<String, FetchError> {
    let bytes = if is_url(from) {
        download(from, limits)?
    } else {
        let file = std::fs::File::open(from).map_err(|error| FetchError::Read {
            source: from.to_owned(),
            error,
        })?;
        read_capped(file, from, limits.max_bytes)?
    };
    String::from_utf8(bytes).map_err(|_| FetchError::NotText {
        source: from.to_owned(),
    })
}

fn download(url: &str, limits: Limits) -> Result<Vec<u8>, FetchError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(limits.timeout))
        // A 404 is an answer to report, not a transport failure.
        .http_status_as_error(false)
        .build()
        .into();
    let transport = |error: ureq::Error| FetchError::Transport {
        url: url.to_owned(),
        error: error.to_string(),
    };
    let response = agent.get(url).call().map_err(transport)?;
    let status = response.status().as_u16();
    if !(200..300).contains(&status) {
        return Err(FetchError::Http {
            url: url.to_owned(),
            status,
        });
    }
    read_capped(response.into_body().into_reader(), url, limits.max_bytes)
}

/// Reads at most `max_bytes`; one byte more means the source is too big.
fn read_capped(reader: impl Read, source: &str, max_bytes: u64) -> Result<Vec<u8>, FetchError> {
    let mut bytes = Vec::new();
    reader
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|error| FetchError::Read {
            source: source.to_owned(),
            error,
        })?;
    if bytes.len() as u64 > max_bytes {
        return Err(FetchError::TooBig {
            source: source.to_owned(),
            max_bytes,
        });
    }
    Ok(bytes)
}
