//! Facts about this build, shown in the About dialog and `tandem --version`.

/// The crate version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The git commit it was built from, or `unknown` outside a checkout.
pub const GIT_COMMIT: &str = env!("TANDEM_GIT_COMMIT");

/// `0.1.0 (abc1234567)`.
#[must_use]
pub fn version_line() -> String {
    format!("{VERSION} ({GIT_COMMIT})")
}
