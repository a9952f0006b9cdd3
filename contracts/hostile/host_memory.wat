;; Tries to fill host memory for the price of gas: the call's input into a million registers, and a
;; million 1 KiB debug-log lines (once 1 gas a byte, ~1 GB for a 10^9-gas call, and the lines went into
;; receipts). Each stops at its cap (registers, debug-log lines) with a HostError trap, long before
;; the gas runs out.
(module
  (import "env" "input" (func $input (param i32)))
  (import "env" "debug_log" (func $debug_log (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "registers")
    (local $register i32)
    (loop $fill
      (call $input (local.get $register))
      (local.set $register (i32.add (local.get $register) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $register) (i32.const 1000000)))))
  (func (export "logs")
    (local $line i32)
    (loop $fill
      (call $debug_log (i32.const 0) (i32.const 1024))
      (local.set $line (i32.add (local.get $line) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $line) (i32.const 1000000))))))
