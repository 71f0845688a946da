//! Input as the editor sees it: mouse buttons and modifier keys.

/// A mouse button, as the DOM numbers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Button {
    /// The main button (0).
    Left,
    /// The wheel button (1): pans.
    Middle,
    /// The secondary button (2): ignored (context menu).
    Right,
}

impl Button {
    /// The button for a DOM `MouseEvent.button` number (others count as right).
    pub fn from_dom(n: i16) -> Button {
        match n {
            0 => Button::Left,
            1 => Button::Middle,
            _ => Button::Right,
        }
    }
}

/// Modifier keys held during an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Modifiers {
    /// Shift.
    pub shift: bool,
    /// Control.
    pub ctrl: bool,
    /// Alt / Option: disables snapping while dragging.
    pub alt: bool,
    /// Meta / Command.
    pub meta: bool,
}

impl Modifiers {
    /// No modifier.
    pub const NONE: Modifiers = Modifiers {
        shift: false,
        ctrl: false,
        alt: false,
        meta: false,
    };
    /// Shift only.
    pub const SHIFT: Modifiers = Modifiers {
        shift: true,
        ctrl: false,
        alt: false,
        meta: false,
    };
    /// Control only.
    pub const CTRL: Modifiers = Modifiers {
        shift: false,
        ctrl: true,
        alt: false,
        meta: false,
    };
    /// Control and shift.
    pub const CTRL_SHIFT: Modifiers = Modifiers {
        shift: true,
        ctrl: true,
        alt: false,
        meta: false,
    };
    /// Alt only.
    pub const ALT: Modifiers = Modifiers {
        shift: false,
        ctrl: false,
        alt: true,
        meta: false,
    };

    /// True if the platform's command key is held (ctrl, or meta on a Mac).
    pub fn command(&self) -> bool {
        self.ctrl || self.meta
    }
}
