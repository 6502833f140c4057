//! The pricing stages of contract section 3, one module each: the item
//! stage (markdowns and presale expansion) and the threshold kinds of the
//! store, cross-store and platform stages. Shipping, the last step, lives
//! with the pipeline in [`crate::pricing`].

pub mod item;
pub mod threshold;
