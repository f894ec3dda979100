/// What an editor method did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Added,
    Changed,
    Unchanged,
}
