//! What a wasm32 contract needs from its library besides the host: a panic handler that reverts
//! with the panic message, and a global allocator.
//!
//! The allocator is a bump allocator over the memory after the module's data (`__heap_base`),
//! growing linear memory as needed and never freeing: each call runs in a fresh instance, so all
//! memory is returned when the call ends, and a bump allocation costs a handful of instructions.
#![allow(unsafe_code)]

use core::alloc::{GlobalAlloc, Layout};
use core::cell::Cell;

/// Reverts with `panicked at FILE:LINE: MESSAGE` (truncated to 256 bytes). A message with
/// format arguments is written with the `panic-fmt` feature (on by default; it links `core::fmt`,
/// about 1.1 KB of code); without it the message is replaced by `(formatted message)`.
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    let mut message = Truncated::new();
    message.push("panicked");
    if let Some(location) = info.location() {
        message.push(" at ");
        message.push(location.file());
        message.push(":");
        message.push_number(location.line());
    }
    message.push(": ");
    match info.message().as_str() {
        Some(text) => message.push(text),
        None => push_formatted(&mut message, info),
    }
    crate::env::revert(message.as_bytes())
}

#[cfg(feature = "panic-fmt")]
fn push_formatted(message: &mut Truncated, info: &core::panic::PanicInfo<'_>) {
    use core::fmt::Write;
    let _ = write!(message, "{}", info.message());
}

#[cfg(not(feature = "panic-fmt"))]
fn push_formatted(message: &mut Truncated, _info: &core::panic::PanicInfo<'_>) {
    message.push("(formatted message)");
}

/// A fixed buffer that keeps what fits.
struct Truncated {
    buffer: [u8; 256],
    len: usize,
}

impl Truncated {
    const fn new() -> Self {
        Self {
            buffer: [0; 256],
            len: 0,
        }
    }

    fn as_bytes(&self) -> &[u8] {
        &self.buffer[..self.len]
    }

    fn push(&mut self, text: &str) {
        let room = self.buffer.len() - self.len;
        let take = text.len().min(room);
        self.buffer[self.len..self.len + take].copy_from_slice(&text.as_bytes()[..take]);
        self.len += take;
    }

    fn push_number(&mut self, mut number: u32) {
        let mut digits = [0u8; 10];
        let mut at = digits.len();
        loop {
            at -= 1;
            digits[at] = b'0' + (number % 10) as u8;
            number /= 10;
            if number == 0 {
                break;
            }
        }
        for digit in &digits[at..] {
            if self.len < self.buffer.len() {
                self.buffer[self.len] = *digit;
                self.len += 1;
            }
        }
    }
}

#[cfg(feature = "panic-fmt")]
impl core::fmt::Write for Truncated {
    fn write_str(&mut self, text: &str) -> core::fmt::Result {
        self.push(text);
        Ok(())
    }
}

const PAGE: usize = 65_536;

/// The bump allocator.
struct Bump {
    next: Cell<usize>,
}

// SAFETY: a wasm32 contract runs on one thread.
unsafe impl Sync for Bump {}

unsafe extern "C" {
    static __heap_base: u8;
}

// SAFETY: every allocation is a fresh, aligned range of linear memory that is never handed out
// again; memory is grown before a range past its end is returned; a failed grow returns null.
unsafe impl GlobalAlloc for Bump {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let mut next = self.next.get();
        if next == 0 {
            next = core::ptr::addr_of!(__heap_base) as usize;
        }
        let start = (next + layout.align() - 1) & !(layout.align() - 1);
        let Some(end) = start.checked_add(layout.size()) else {
            return core::ptr::null_mut();
        };
        let size = core::arch::wasm32::memory_size(0) * PAGE;
        if end > size {
            let pages = (end - size).div_ceil(PAGE);
            if core::arch::wasm32::memory_grow(0, pages) == usize::MAX {
                return core::ptr::null_mut();
            }
        }
        self.next.set(end);
        start as *mut u8
    }

    unsafe fn dealloc(&self, _ptr: *mut u8, _layout: Layout) {}
}

#[global_allocator]
static ALLOCATOR: Bump = Bump { next: Cell::new(0) };
