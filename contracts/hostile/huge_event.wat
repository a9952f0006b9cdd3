;; Events past the limits: 16 KiB + 1 bytes of data, and five topics.
(module
  (import "env" "emit_event" (func $emit_event (param i32 i32 i32 i32)))
  (memory (export "memory") 1)
  (func (export "too_much_data")
    (call $emit_event (i32.const 0) (i32.const 1) (i32.const 0) (i32.const 16385)))
  (func (export "too_many_topics")
    (call $emit_event (i32.const 0) (i32.const 5) (i32.const 0) (i32.const 1)))
  (func (export "at_the_limit")
    (call $emit_event (i32.const 0) (i32.const 4) (i32.const 0) (i32.const 16384))))
