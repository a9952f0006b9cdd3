;; Loops forever: metering stops it with OutOfGas.
(module
  (memory (export "memory") 1)
  (func (export "run")
    (loop $forever
      (br $forever))))
