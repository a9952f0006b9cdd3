//! The harness over a bounded range of seeds (the suite's share; the long run is the binary).

use weft_conformance::{Engine, Verdict, compare, division, observe, run, smith};

#[test]
fn generated_modules_agree_on_weft_singlepass_and_wasmi_or_the_odd_one_is_not_weft() {
    let tally = run(0..120);
    eprintln!("{}", tally.report());
    let blamed: Vec<String> = tally
        .blaming_weft()
        .map(|found| {
            format!(
                "{:?} seed {} {}: {}",
                found.generator,
                found.seed,
                found.export,
                found.verdict.describe()
            )
        })
        .collect();
    assert!(blamed.is_empty(), "divergences that blame Weft: {blamed:#?}");
    assert!(tally.modules >= 200, "too few modules: {}", tally.modules);
    // The division modules reach both sides of their guards.
    for kind in [
        "returned",
        "trapped: IntegerDivisionByZero",
        "trapped: IntegerOverflow",
    ] {
        assert!(
            tally.agreed_endings.get(kind).copied().unwrap_or(0) > 0,
            "no call {kind}: {:?}",
            tally.agreed_endings
        );
    }
}

#[test]
fn modules_are_the_same_for_the_same_seed() {
    for seed in [0, 7, 1_000] {
        assert_eq!(division(seed).wasm, division(seed).wasm);
        assert_eq!(smith(seed).map(|c| c.wasm), smith(seed).map(|c| c.wasm));
    }
    assert_ne!(division(1).wasm, division(2).wasm);
}

#[test]
fn a_guarded_division_with_self_assigned_locals_computes_seven_on_every_engine() {
    // The shape of the wasmi fault the issue reports: operands on the stack, their locals
    // assigned to themselves in a block, a guard before the division.
    let wasm = wat::parse_str(
        r#"(module (memory (export "memory") 1)
             (func (export "run") (result i32) (local i32 i32 i32)
               (local.set 1 (i32.const 7))
               (local.set 2 (i32.add (local.get 0) (i32.const 1)))
               (if (result i32) (i32.eqz (local.get 2)) (then (i32.const 0))
                 (else (local.get 1) (local.get 2) (block (local.set 2 (local.get 2))) (i32.div_s)))))"#,
    )
    .unwrap();
    for engine in [Engine::Singlepass, Engine::Weft, Engine::Wasmi, Engine::Wasmtime] {
        let observed = observe(engine, &wasm, "run", &[]).unwrap();
        assert_eq!(
            observed.ending,
            weft_conformance::Ending::Returned(vec![7]),
            "{engine:?}"
        );
    }
    assert!(matches!(compare(&wasm, "run", &[]), Verdict::Agree { .. }));
}

/// wasmi 2.0's fault, reduced from wasm-smith seed 6921 (the long run's one divergence): an `if`
/// with a parameter and no `else`, whose `then` consumes the parameter. With a false condition
/// the parameter passes through and is dropped, so `run0` returns its argument; wasmi returns 0.
const WASMI_IF_PARAM: &str = r#"(module (memory (export "memory") 1)
  (func (export "run0") (param i32) (result i32)
    local.get 0
    i32.const 1
    local.get 0
    i32.eqz
    if (param i32) (result i32)
      if
      end
      i32.const 32767
    end
    drop))"#;

#[test]
fn a_fault_of_wasmi_is_reported_as_wasmi_differs_not_as_weft_failing() {
    let wasm = wat::parse_str(WASMI_IF_PARAM).unwrap();
    let verdict = compare(&wasm, "run0", &[6921]);
    let Verdict::Differs { odd, observations } = &verdict else {
        panic!("{}", verdict.describe());
    };
    assert_eq!(*odd, Engine::Wasmi, "{}", verdict.describe());
    assert!(!verdict.blames_weft());
    for engine in [Engine::Singlepass, Engine::Weft, Engine::Wasmtime] {
        assert_eq!(
            observations[&engine].ending,
            weft_conformance::Ending::Returned(vec![6921])
        );
    }
    // The generated module it was reduced from, as the long run met it.
    let generated = smith(6921).unwrap();
    let verdict = compare(&generated.wasm, "run0", &[6921]);
    assert!(
        matches!(
            verdict,
            Verdict::Differs {
                odd: Engine::Wasmi,
                ..
            }
        ),
        "{}",
        verdict.describe()
    );
}
