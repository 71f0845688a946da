//! Positions the compiled plan and the run index by. Notes and links are positions on the
//! board ([`crate::model::index`]); groups, topics and sources are positions in the [`Plan`].
//!
//! [`Plan`]: super::Plan

pub use crate::model::index::{Edge, LinkIx, NoteIx};

macro_rules! position {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            /// The position as a `usize`, for indexing.
            pub fn index(self) -> usize {
                self.0 as usize
            }

            /// The position of the `i`-th item.
            pub(crate) fn at(i: usize) -> $name {
                $name(i as u32)
            }
        }
    };
}

position!(
    /// A consumer group's position in [`super::Plan::groups`].
    GroupIx
);
position!(
    /// A topic's position in [`super::Plan::topics`].
    TopicIx
);
position!(
    /// A source's position in [`super::Plan::sources`].
    SourceIx
);
