;; Writes 64 KiB values under fresh 4-byte keys until it runs out of gas.
(module
  (import "env" "storage_write" (func $storage_write (param i32 i32 i32 i32)))
  (memory (export "memory") 2)
  (func (export "run")
    (local $key i32)
    (loop $spam
      (i32.store (i32.const 0) (local.get $key))
      (call $storage_write (i32.const 0) (i32.const 4) (i32.const 16) (i32.const 65536))
      (local.set $key (i32.add (local.get $key) (i32.const 1)))
      (br $spam))))
