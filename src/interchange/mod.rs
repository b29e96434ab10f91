//! Files in and out of a workspace. The Tandem workspace document ([`document`]) is the JSON form of a
//! whole plan; the bundled sample product is written in it.

pub mod document;
