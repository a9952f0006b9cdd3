;; `to_the_cap` grows memory one page at a time until growth fails and returns the pages reached
;; (i32 LE); `bomb` asks for 65,535 pages at once, which is charged per page requested, before the
;; grow fails at the cap.
(module
  (import "env" "return_data" (func $return_data (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "to_the_cap")
    (block $full
      (loop $grow
        (br_if $full (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
        (br $grow)))
    (i32.store (i32.const 0) (memory.size))
    (call $return_data (i32.const 0) (i32.const 4)))
  (func (export "bomb")
    (drop (memory.grow (i32.const 65535)))))
