;; Grows memory one page at a time until growth fails, then asks for 65,535 pages at once, and
;; returns (pages reached: i32 LE, result of the big grow: i32 LE).
(module
  (import "env" "return_data" (func $return_data (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "run")
    (local $pages i32)
    (block $full
      (loop $grow
        (br_if $full (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
        (br $grow)))
    (local.set $pages (memory.size))
    (i32.store (i32.const 0) (local.get $pages))
    (i32.store (i32.const 4) (memory.grow (i32.const 65535)))
    (call $return_data (i32.const 0) (i32.const 8))))
