//! Output: the quote document ([`document`]), assembled from a priced run
//! ([`assemble`]) with its unused reasons and 凑单 hints. The canonical
//! writer and the digest are the wire's (`crate::wire`); the pipeline that
//! makes a quote is `crate::quote`.

pub(crate) mod assemble;
pub(crate) mod document;
