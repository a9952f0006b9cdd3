;; `run` marks storage, then calls its own `run` again (as a reentrant attacker would, to act
;; twice on stale state). Weft refuses reentrant calls: the inner call returns 3 without running,
;; and `run` returns that status as one byte.
(module
  (import "env" "self_address" (func $self_address (param i32)))
  (import "env" "storage_write" (func $storage_write (param i32 i32 i32 i32)))
  (import "env" "call" (func $call (param i32 i32 i32 i32 i32 i32 i64 i32) (result i32)))
  (import "env" "return_data" (func $return_data (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "run")
  (data (i32.const 96) "entered")
  (func (export "run")
    (call $storage_write (i32.const 96) (i32.const 7) (i32.const 96) (i32.const 7))
    (call $self_address (i32.const 0))
    ;; value (16 zero bytes) at 128; all the gas left; register 0.
    (i32.store8 (i32.const 32)
      (call $call (i32.const 0) (i32.const 64) (i32.const 3) (i32.const 0) (i32.const 0)
                  (i32.const 128) (i64.const -1) (i32.const 0)))
    (call $return_data (i32.const 32) (i32.const 1))))
