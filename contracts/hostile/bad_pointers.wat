;; Hands the host pointers it must refuse. Every entry writes a storage slot first, so a refused
;; host call must also undo that write.
(module
  (import "env" "storage_write" (func $storage_write (param i32 i32 i32 i32)))
  (import "env" "input" (func $input (param i32)))
  (import "env" "read_register" (func $read_register (param i32 i32)))
  (import "env" "debug_log" (func $debug_log (param i32 i32)))
  (import "env" "keccak256" (func $keccak256 (param i32 i32 i32)))
  (memory (export "memory") 1)
  (func $mark
    (call $storage_write (i32.const 0) (i32.const 4) (i32.const 0) (i32.const 4)))
  ;; A key that starts inside memory and runs past its end.
  (func (export "key_past_end")
    (call $mark)
    (call $storage_write (i32.const 65530) (i32.const 16) (i32.const 0) (i32.const 4)))
  ;; ptr + len wraps around 2^32.
  (func (export "wrapping_length")
    (call $mark)
    (call $storage_write (i32.const 16) (i32.const 4) (i32.const -16) (i32.const 32)))
  ;; A register copied to the last bytes of memory.
  (func (export "register_past_end")
    (call $mark)
    (call $input (i32.const 0))
    (call $read_register (i32.const 0) (i32.const 65535)))
  ;; A log line of 4 GiB - 1.
  (func (export "huge_length")
    (call $mark)
    (call $debug_log (i32.const 0) (i32.const -1)))
  ;; A hash written to a negative (huge unsigned) address.
  (func (export "output_out_of_memory")
    (call $mark)
    (call $keccak256 (i32.const 0) (i32.const 4) (i32.const -32))))
