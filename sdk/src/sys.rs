//! The raw host imports of module `env`, exactly as `docs/ABI.md` lists them. Pointers are guest
//! addresses; lengths are bytes. Use the safe wrappers of the crate root instead.
#![allow(unsafe_code, missing_docs)]

#[link(wasm_import_module = "env")]
unsafe extern "C" {
    pub fn input(register: u32);
    pub fn register_len(register: u32) -> i64;
    pub fn read_register(register: u32, ptr: *mut u8);
    pub fn return_data(ptr: *const u8, len: u32);
    pub fn revert(ptr: *const u8, len: u32) -> !;
    pub fn abort(ptr: *const u8, len: u32) -> !;
    pub fn debug_log(ptr: *const u8, len: u32);
    pub fn storage_read(key_ptr: *const u8, key_len: u32, register: u32) -> i32;
    pub fn storage_write(key_ptr: *const u8, key_len: u32, value_ptr: *const u8, value_len: u32);
    pub fn storage_remove(key_ptr: *const u8, key_len: u32) -> i32;
    pub fn storage_has(key_ptr: *const u8, key_len: u32) -> i32;
    pub fn caller(ptr: *mut u8);
    pub fn self_address(ptr: *mut u8);
    pub fn origin(ptr: *mut u8);
    pub fn block_height() -> i64;
    pub fn block_timestamp() -> i64;
    pub fn chain_id() -> i64;
    pub fn value_received(ptr: *mut u8);
    pub fn balance(ptr: *mut u8);
    pub fn balance_of(address_ptr: *const u8, out_ptr: *mut u8);
    pub fn gas_left() -> i64;
    pub fn transfer(address_ptr: *const u8, amount_ptr: *const u8) -> i32;
    pub fn emit_event(topics_ptr: *const u8, topic_count: u32, data_ptr: *const u8, data_len: u32);
    pub fn keccak256(ptr: *const u8, len: u32, out_ptr: *mut u8);
    pub fn sha256(ptr: *const u8, len: u32, out_ptr: *mut u8);
    pub fn ed25519_verify(
        signature_ptr: *const u8,
        public_key_ptr: *const u8,
        message_ptr: *const u8,
        message_len: u32,
    ) -> i32;
    pub fn secp256k1_recover(
        hash_ptr: *const u8,
        signature_ptr: *const u8,
        recovery_id: u32,
        out_ptr: *mut u8,
    ) -> i32;
    #[allow(clippy::too_many_arguments)]
    pub fn call(
        address_ptr: *const u8,
        entry_ptr: *const u8,
        entry_len: u32,
        input_ptr: *const u8,
        input_len: u32,
        value_ptr: *const u8,
        gas: i64,
        register: u32,
    ) -> i32;
    #[allow(clippy::too_many_arguments)]
    pub fn create(
        code_hash_ptr: *const u8,
        salt_ptr: *const u8,
        input_ptr: *const u8,
        input_len: u32,
        value_ptr: *const u8,
        gas: i64,
        address_ptr: *mut u8,
        register: u32,
    ) -> i32;
    pub fn upgrade(
        code_hash_ptr: *const u8,
        input_ptr: *const u8,
        input_len: u32,
        gas: i64,
        register: u32,
    ) -> i32;
}
