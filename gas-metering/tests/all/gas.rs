//! Exact gas: hand-computed costs of small programs under the default schedule
//! (simple = 4, global = 4, branch = 6, call = 40, mul = 6, load/store = 6, structure = 0,
//! memory.grow = 400 + 16,384 per page, bulk = 40 + 1 per byte).

use crate::common::{body_ops, gas_used, prepare_wat, run};
use proptest::prelude::*;
use wasmi::Val;
use weft_gas::{GasSchedule, prepare};

#[test]
fn straight_line_code_pays_each_operator() {
    let m = prepare_wat(
        r#"(module (memory (export "memory") 1)
            (func (export "f") (result i32) i32.const 1 i32.const 2 i32.add))"#,
    );
    // const + const + add = 12; `end` is structure (0).
    assert_eq!(gas_used(&m.code, "f", &[]), (vec!["I32(3)".to_string()], 12));
}

#[test]
fn loops_pay_per_iteration() {
    let m = prepare_wat(
        r#"(module (memory (export "memory") 1)
            (func (export "count") (param i32) (result i32)
              (loop $l
                local.get 0 i32.const 1 i32.sub local.tee 0
                br_if $l)
              local.get 0))"#,
    );
    // Entry segment: `loop` (0). Each iteration: get, const, sub, tee (16) + br_if (6) = 22.
    // After the loop: `end` (0) then get (4) + final end (0) = 4.
    for n in [1, 2, 10, 100] {
        let (result, gas) = gas_used(&m.code, "count", &[Val::I32(n)]);
        assert_eq!(result, vec!["I32(0)".to_string()]);
        assert_eq!(gas, 22 * i64::from(n) + 4, "n = {n}");
    }
}

#[test]
fn branches_charge_only_the_path_taken() {
    let m = prepare_wat(
        r#"(module (memory (export "memory") 1)
            (func (export "pick") (param i32) (result i32)
              local.get 0
              if (result i32)
                i32.const 10 i32.const 20 i32.mul
              else
                i32.const 7
              end))"#,
    );
    // get (4) + if (0) = 4; then: const, const, mul, else = 4 + 4 + 6 + 0 = 14;
    // else-branch: const, end = 4; after: final end 0.
    assert_eq!(
        gas_used(&m.code, "pick", &[Val::I32(1)]),
        (vec!["I32(200)".to_string()], 4 + 14)
    );
    assert_eq!(
        gas_used(&m.code, "pick", &[Val::I32(0)]),
        (vec!["I32(7)".to_string()], 4 + 4)
    );
}

#[test]
fn calls_and_memory_operations() {
    let m = prepare_wat(
        r#"(module (memory (export "memory") 1)
            (func $inc (param i32) (result i32) local.get 0 i32.const 1 i32.add)
            (func (export "f") (result i32)
              i32.const 8 i32.const 41 i32.store
              i32.const 8 i32.load
              call $inc))"#,
    );
    // f: const, const, store (4+4+6), const, load (4+6), call (40) = 64; inc: 12.
    assert_eq!(
        gas_used(&m.code, "f", &[]),
        (vec!["I32(42)".to_string()], 64 + 12)
    );
}

#[test]
fn memory_grow_is_charged_per_page() {
    let m = prepare_wat(
        r#"(module (memory (export "memory") 1 10)
            (func (export "grow") (param i32) (result i32) local.get 0 memory.grow))"#,
    );
    // get (4) + memory.grow (400) + 16,384 per page requested, even when the grow fails.
    for pages in [0, 1, 3, 100] {
        let (_, gas) = gas_used(&m.code, "grow", &[Val::I32(pages)]);
        assert_eq!(gas, 404 + 16_384 * i64::from(pages), "pages = {pages}");
    }
    let (result, _) = gas_used(&m.code, "grow", &[Val::I32(100)]);
    assert_eq!(result, vec!["I32(-1)".to_string()]);
}

#[test]
fn memory_without_a_maximum_is_capped_at_the_limit() {
    let m = prepare_wat(
        r#"(module (memory (export "memory") 1)
            (func (export "grow") (param i32) (result i32) local.get 0 memory.grow))"#,
    );
    // Default limit: 512 pages. From 1 page, 511 more fit and 512 do not.
    assert_eq!(
        gas_used(&m.code, "grow", &[Val::I32(512)]).0,
        vec!["I32(-1)".to_string()]
    );
    assert_eq!(
        gas_used(&m.code, "grow", &[Val::I32(511)]).0,
        vec!["I32(1)".to_string()]
    );
}

#[test]
fn bulk_memory_is_charged_per_byte() {
    let m = prepare_wat(
        r#"(module (memory (export "memory") 1)
            (func (export "fill") (param i32)
              i32.const 0 i32.const 7 local.get 0 memory.fill
              i32.const 100 i32.const 0 local.get 0 memory.copy))"#,
    );
    // 6 operand pushes (24) + fill (40) + copy (40) = 104, plus 2 × n bytes.
    for n in [0, 1, 1000, 65_000] {
        let (_, gas) = gas_used(&m.code, "fill", &[Val::I32(n)]);
        assert_eq!(gas, 104 + 2 * i64::from(n), "n = {n}");
    }
}

#[test]
fn out_of_gas_traps_with_a_negative_counter_and_exact_gas_succeeds() {
    let m = prepare_wat(
        r#"(module (memory (export "memory") 1)
            (func (export "spin") (loop $l br $l)))"#,
    );
    let r = run(&m.code, "spin", &[], 1_000_000);
    assert!(r.result.is_err());
    assert!(r.gas_left < 0, "gas left {}", r.gas_left);

    let m = prepare_wat(
        r#"(module (memory (export "memory") 1)
            (func (export "f") (result i32) i32.const 1 i32.const 2 i32.add))"#,
    );
    assert_eq!(run(&m.code, "f", &[], 12).gas_left, 0);
    let short = run(&m.code, "f", &[], 11);
    assert!(short.result.is_err() && short.gas_left < 0);
}

#[test]
fn recursion_traps_at_the_same_depth_every_time() {
    let wat = r#"(module (memory (export "memory") 1)
        (global $depth (export "depth") (mut i32) (i32.const 0))
        (func $down (export "down")
          global.get $depth i32.const 1 i32.add global.set $depth
          call $down))"#;
    let mut schedule = GasSchedule::default();
    schedule.limits.max_stack_height = 1_000;
    let m = prepare(&crate::common::wat(wat), &schedule, &[]).unwrap();
    let depth = |code: &[u8]| {
        let engine = wasmi::Engine::default();
        let module = wasmi::Module::new(&engine, code).unwrap();
        let mut store = wasmi::Store::new(&engine, ());
        let instance = wasmi::Linker::<()>::new(&engine)
            .instantiate_and_start(&mut store, &module)
            .unwrap();
        instance
            .get_global(&store, weft_gas::GAS_GLOBAL)
            .unwrap()
            .set(&mut store, Val::I64(1 << 40))
            .unwrap();
        let f = instance.get_func(&store, "down").unwrap();
        assert!(f.call(&mut store, &[], &mut []).is_err());
        let Val::I32(depth) = instance.get_global(&store, "depth").unwrap().get(&store) else {
            panic!()
        };
        let Val::I32(stack) = instance
            .get_global(&store, weft_gas::STACK_GLOBAL)
            .unwrap()
            .get(&store)
        else {
            panic!()
        };
        (depth, stack)
    };
    // $down: no locals, max operand height 2, frame overhead 2 → cost 4 per nested call.
    // The entry frame is free; calls succeed while 4 × calls ≤ 1,000: 250 nested calls, the 251st traps.
    let (first, stack) = depth(&m.code);
    assert_eq!(first, 251);
    assert!(stack > 1_000, "the stack counter shows the overflow: {stack}");
    assert_eq!(depth(&m.code), (first, stack), "same depth on every run");
}

#[test]
fn calls_in_sequence_do_not_add_up_on_the_stack_counter() {
    let wat = r#"(module (memory (export "memory") 1)
        (func $leaf (param i32) (result i32) local.get 0 i32.const 1 i32.add)
        (func $twice (param i32) (result i32) local.get 0 call $leaf call $leaf)
        (func (export "many") (param i32) (result i32) (local i32)
          (loop $l
            local.get 1 call $twice local.set 1
            local.get 0 i32.const 1 i32.sub local.tee 0
            br_if $l)
          local.get 1))"#;
    let mut schedule = GasSchedule::default();
    schedule.limits.max_stack_height = 100;
    let m = prepare(&crate::common::wat(wat), &schedule, &[]).unwrap();
    // 2,000 calls of $twice, 4,000 of $leaf: each starts from the height its caller had on entry.
    let r = run(&m.code, "many", &[Val::I32(2_000)], 1 << 40);
    assert_eq!(r.result, Ok(vec!["I32(4000)".to_string()]));
    // The counter is left at the last call's height: `many`'s base (0) + $twice's cost, or one
    // level deeper after $twice's own calls — never more than two frames.
    assert!(r.stack > 0 && r.stack <= 100, "stack counter {}", r.stack);
}

#[test]
fn top_level_code_is_charged_at_entry_when_nothing_returns_early() {
    let m = prepare_wat(
        r#"(module (memory (export "memory") 1)
            (func (export "f") (param i32) (result i32)
              local.get 0
              if
                i32.const 0 i32.const 1 i32.store
              end
              i32.const 5 i32.const 6 i32.add))"#,
    );
    // Entry: get, if = 4; the if body: const, const, store, end = 14; after it: const, const,
    // add, end = 12. A call pays exactly what it ran on either path.
    assert_eq!(gas_used(&m.code, "f", &[Val::I32(1)]).1, 4 + 14 + 12);
    assert_eq!(gas_used(&m.code, "f", &[Val::I32(0)]).1, 4 + 12);
    // The code after the `if` runs on every call that returns, so it is charged with the entry
    // (4 + 12 = 16): with 15 gas the call stops at entry, before the store.
    let r = run(&m.code, "f", &[Val::I32(1)], 15);
    assert!(r.result.is_err());
    assert_eq!(r.gas_left, -1);
    assert_eq!(r.memory[..4], [0, 0, 0, 0], "the store never ran");
}

#[test]
fn code_after_an_early_return_is_charged_where_it_runs() {
    let m = prepare_wat(
        r#"(module (memory (export "memory") 1)
            (func (export "f") (param i32) (result i32)
              local.get 0
              if
                i32.const 7
                return
              end
              i32.const 5 i32.const 6 i32.add))"#,
    );
    // Entry: 4; the if body: const, return = 10; after it: 12 (not charged on the return path).
    assert_eq!(
        gas_used(&m.code, "f", &[Val::I32(1)]),
        (vec!["I32(7)".to_string()], 14)
    );
    assert_eq!(
        gas_used(&m.code, "f", &[Val::I32(0)]),
        (vec!["I32(11)".to_string()], 16)
    );
    assert_eq!(run(&m.code, "f", &[Val::I32(1)], 14).gas_left, 0);
}

#[test]
fn a_loop_that_calls_a_function_stops_in_the_callee_entry_check() {
    let m = prepare_wat(
        r#"(module (memory (export "memory") 1)
            (func $work)
            (func (export "spin") (loop $l call $work br $l)))"#,
    );
    // The loop head only decrements; `$work` checks on entry, every iteration.
    // A gas check compares the counter with `i64.lt_s` (the stack check uses `i32.gt_u`).
    let checks = body_ops(&m.code, 1)
        .iter()
        .filter(|op| matches!(op, wasmparser::Operator::I64LtS))
        .count();
    assert_eq!(checks, 1, "only the entry of `spin` is checked");
    // An iteration costs call (40) + br (6): the loop stops at most one iteration past zero.
    let r = run(&m.code, "spin", &[], 100_000);
    assert!(r.result.is_err());
    assert!((-46..0).contains(&r.gas_left), "gas left {}", r.gas_left);
}

#[test]
fn a_callee_entry_is_paid_by_the_caller_and_only_checked() {
    let m = prepare_wat(
        r#"(module (memory (export "memory") 1)
            (type $unary (func (param i32) (result i32)))
            (table 1 funcref)
            (elem (i32.const 0) $inc)
            (func $inc (export "inc") (param i32) (result i32) local.get 0 i32.const 1 i32.add)
            (func (export "direct") (result i32) i32.const 41 call $inc)
            (func (export "indirect") (result i32)
              i32.const 41 i32.const 0 call_indirect (type $unary)))"#,
    );
    // $inc: get, const, add = 12, whichever way it is entered: by a direct call (the caller's
    // segment pays it), through its table element or its export (its entry wrapper pays it).
    // direct: const + call = 44; indirect: const + const + call_indirect = 68.
    assert_eq!(gas_used(&m.code, "inc", &[Val::I32(1)]).1, 12);
    assert_eq!(
        gas_used(&m.code, "direct", &[]),
        (vec!["I32(42)".to_string()], 44 + 12)
    );
    assert_eq!(
        gas_used(&m.code, "indirect", &[]),
        (vec!["I32(42)".to_string()], 68 + 12)
    );
    // $inc's body only checks the counter: it never stores it.
    let gas_global = 0;
    let inc = body_ops(&m.code, 0);
    assert!(inc.contains(&wasmparser::Operator::I64LtS));
    assert!(!inc.contains(&wasmparser::Operator::GlobalSet {
        global_index: gas_global
    }));
    // Out of gas by the callee's entry cost: the caller's charge makes the counter negative and
    // $inc's entry check traps, on each path.
    for (export, needed) in [("inc", 12), ("direct", 56), ("indirect", 80)] {
        let args = if export == "inc" {
            vec![Val::I32(1)]
        } else {
            vec![]
        };
        let r = run(&m.code, export, &args, needed - 1);
        assert!(r.result.is_err(), "{export}");
        assert_eq!(r.gas_left, -1, "{export}");
        assert_eq!(run(&m.code, export, &args, needed).gas_left, 0, "{export}");
    }
}

#[test]
fn an_indirect_call_counts_the_entry_wrapper_frame() {
    let wat = r#"(module (memory (export "memory") 1)
        (type $void (func))
        (table 1 funcref)
        (elem (i32.const 0) $down)
        (func $down (export "down")
          i32.const 0 i32.const 0 i32.load i32.const 1 i32.add i32.store
          i32.const 0 call_indirect (type $void)))"#;
    let mut schedule = GasSchedule::default();
    schedule.limits.max_stack_height = 1_000;
    let m = prepare(&crate::common::wat(wat), &schedule, &[]).unwrap();
    let r = run(&m.code, "down", &[], 1 << 40);
    assert!(r.result.is_err());
    assert!(r.stack > 1_000, "a stack overflow: {}", r.stack);
    // $down costs 3 (operands) + 2 (frame) = 5; its wrapper 2 (the charge's operands) + 2 (frame)
    // = 4: 9 per nested indirect call. The entry frames are free; 111 nested calls fit in 1,000
    // and the 112th traps, so the counter in memory reads 1 + 111.
    let depth = u32::from_le_bytes(r.memory[..4].try_into().unwrap());
    assert_eq!(depth, 112);
}

proptest! {
    /// Less gas never gives another successful result: only out-of-gas.
    #[test]
    fn monotonic_in_gas(n in 0i32..50, gas in 0i64..2_000) {
        let m = prepare_wat(
            r#"(module (memory (export "memory") 1)
                (func (export "sum") (param i32) (result i32) (local i32)
                  (block $done
                    (loop $l
                      local.get 0 i32.eqz br_if $done
                      local.get 1 local.get 0 i32.add local.set 1
                      local.get 0 i32.const 1 i32.sub local.set 0
                      br $l))
                  local.get 1))"#,
        );
        let (full, needed) = gas_used(&m.code, "sum", &[Val::I32(n)]);
        let r = run(&m.code, "sum", &[Val::I32(n)], gas);
        if gas >= needed {
            prop_assert_eq!(r.result, Ok(full));
            prop_assert_eq!(r.gas_left, gas - needed);
        } else {
            // Out of gas: the counter is negative, and the call trapped at a check point or
            // returned (which the engine reports as out of gas too).
            prop_assert!(r.gas_left < 0);
        }
    }
}
