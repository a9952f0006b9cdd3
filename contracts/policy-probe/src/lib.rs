//! Exercises what a default `wasm32-unknown-unknown` build of stable Rust emits: bulk memory
//! (`memory.copy` / `memory.fill` from slice copies and fills), sign extension (`i8` → `i32`),
//! the reference-types encoding of `call_indirect` (a `dyn` call), and the mutable
//! `__stack_pointer` global. It calls one host function, `env.emit(ptr, len)`.
#![no_std]

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

#[link(wasm_import_module = "env")]
extern "C" {
    fn emit(ptr: *const u8, len: u32);
}

trait Step {
    fn apply(&self, x: i32) -> i32;
}

struct AddSigned(i8);
struct Double;

impl Step for AddSigned {
    fn apply(&self, x: i32) -> i32 {
        x.wrapping_add(i32::from(self.0))
    }
}

impl Step for Double {
    fn apply(&self, x: i32) -> i32 {
        x.wrapping_mul(2)
    }
}

#[inline(never)]
fn steps(selector: u8) -> &'static [&'static (dyn Step + Sync)] {
    static A: [&(dyn Step + Sync); 2] = [&AddSigned(-7), &Double];
    static B: [&(dyn Step + Sync); 2] = [&Double, &AddSigned(100)];
    if selector % 2 == 0 {
        &A
    } else {
        &B
    }
}

/// Fills a buffer, copies part of it, runs the `dyn` steps and emits the bytes. Result: 1000
/// bytes where byte `i` is `(i * 3) as u8` for `i < 500` and `0xAB` after, then the step result.
#[no_mangle]
pub extern "C" fn run() {
    let mut source = [0u8; 1000];
    for (i, b) in source.iter_mut().enumerate() {
        *b = (i * 3) as u8;
    }
    let mut out = [0u8; 1004];
    let half = core::hint::black_box(500usize);
    out[..1000].fill(0xAB);
    out[..half].copy_from_slice(&source[..half]);
    let mut x = i32::from(core::hint::black_box(out[1]) as i8);
    for step in steps(core::hint::black_box(0)) {
        x = step.apply(x);
    }
    out[1000..].copy_from_slice(&x.to_le_bytes());
    unsafe { emit(out.as_ptr(), out.len() as u32) };
}
