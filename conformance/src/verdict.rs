//! The comparison of one call across engines, and its verdict by majority.

use std::collections::BTreeMap;

use weft_gas::PrepareError;

use crate::engines::{Ending, Engine, Observation, observe};

/// What the engines made of one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Singlepass, Weft and wasmi agree: values or trap class, and memory.
    Agree {
        /// How the call ended on all three.
        ending: Ending,
    },
    /// An engine ran out of a resource (its native stack, Weft's stack-height limit, the gas
    /// set high): where that happens depends on the engine, so the call is not compared.
    ResourceLimit,
    /// Weft's validation refused the module for a limit the generator does not know.
    OverWeftLimits,
    /// One engine differs from the other three (Wasmtime asked): that engine is the odd one.
    Differs {
        /// The odd engine.
        odd: Engine,
        /// What every engine observed.
        observations: BTreeMap<Engine, Observation>,
    },
    /// No three engines agree.
    Unexplained {
        /// What every engine observed.
        observations: BTreeMap<Engine, Observation>,
    },
}

impl Verdict {
    /// Whether the verdict shows a fault of Weft's (its pipeline or the singlepass compiler it
    /// runs): the odd one is Weft or singlepass, or no majority.
    pub fn blames_weft(&self) -> bool {
        match self {
            Verdict::Differs { odd, .. } => matches!(odd, Engine::Weft | Engine::Singlepass),
            Verdict::Unexplained { .. } => true,
            Verdict::Agree { .. } | Verdict::ResourceLimit | Verdict::OverWeftLimits => false,
        }
    }

    /// One line: the verdict and how each engine ended.
    pub fn describe(&self) -> String {
        let endings = |observations: &BTreeMap<Engine, Observation>| {
            let each: Vec<String> = observations
                .iter()
                .map(|(engine, o)| format!("{} {:?}", engine.name(), o.ending))
                .collect();
            each.join(", ")
        };
        match self {
            Verdict::Agree { ending } => format!("agree: {ending:?}"),
            Verdict::ResourceLimit => "an engine's resource limit".into(),
            Verdict::OverWeftLimits => "over Weft's limits".into(),
            Verdict::Differs { odd, observations } => {
                format!("{} differs ({})", odd.name(), endings(observations))
            }
            Verdict::Unexplained { observations } => format!("no majority ({})", endings(observations)),
        }
    }
}

fn limited(observation: &Observation) -> bool {
    matches!(&observation.ending, Ending::Trapped(class) if class.is_resource_limit())
}

/// Runs `export` of `wasm` with `args` on singlepass, through Weft and on wasmi; when they do not
/// all agree, on Wasmtime too, and gives the verdict of the majority.
pub fn compare(wasm: &[u8], export: &str, args: &[i64]) -> Verdict {
    let mut observations = BTreeMap::new();
    for engine in Engine::FIRST_OPINIONS {
        match observe(engine, wasm, export, args) {
            Ok(observation) => {
                observations.insert(engine, observation);
            }
            Err(PrepareError::LimitExceeded { .. }) => return Verdict::OverWeftLimits,
            Err(other) => {
                // Every generated module keeps the policy: a refusal is Weft's to explain.
                let refused = Observation {
                    ending: Ending::Trapped(crate::TrapClass::Other(format!("weft refused it: {other}"))),
                    memory: Vec::new(),
                };
                observations.insert(engine, refused);
            }
        }
    }
    if observations.values().any(limited) {
        return Verdict::ResourceLimit;
    }
    let first = &observations[&Engine::Singlepass];
    if observations.values().all(|o| o == first) {
        return Verdict::Agree {
            ending: first.ending.clone(),
        };
    }
    let wasmtime = observe(Engine::Wasmtime, wasm, export, args).unwrap_or_else(|refused| Observation {
        ending: Ending::Trapped(crate::TrapClass::Other(refused.to_string())),
        memory: Vec::new(),
    });
    if limited(&wasmtime) {
        return Verdict::ResourceLimit;
    }
    observations.insert(Engine::Wasmtime, wasmtime);
    judge(observations)
}

/// The verdict of the majority over the four engines' `observations`: the one engine that
/// differs from three that agree, or no majority.
pub fn judge(observations: BTreeMap<Engine, Observation>) -> Verdict {
    let majority = observations
        .values()
        .find(|candidate| observations.values().filter(|o| o == candidate).count() >= 3)
        .cloned();
    let odd: Vec<Engine> = match &majority {
        Some(majority) => observations
            .iter()
            .filter(|(_, o)| *o != majority)
            .map(|(engine, _)| *engine)
            .collect(),
        None => Vec::new(),
    };
    match odd.as_slice() {
        [odd] => Verdict::Differs {
            odd: *odd,
            observations,
        },
        _ => Verdict::Unexplained { observations },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TrapClass;

    fn returned(value: i64) -> Observation {
        Observation {
            ending: Ending::Returned(vec![value]),
            memory: vec![0; 4],
        }
    }

    fn div_zero() -> Observation {
        Observation {
            ending: Ending::Trapped(TrapClass::IntegerDivisionByZero),
            memory: vec![0; 4],
        }
    }

    fn four(
        singlepass: Observation,
        weft: Observation,
        wasmi: Observation,
        wasmtime: Observation,
    ) -> Verdict {
        judge(BTreeMap::from([
            (Engine::Singlepass, singlepass),
            (Engine::Weft, weft),
            (Engine::Wasmi, wasmi),
            (Engine::Wasmtime, wasmtime),
        ]))
    }

    #[test]
    fn the_odd_engine_out_is_named_and_only_weft_or_singlepass_blames_weft() {
        let wasmi = four(returned(7), returned(7), div_zero(), returned(7));
        assert!(matches!(
            wasmi,
            Verdict::Differs {
                odd: Engine::Wasmi,
                ..
            }
        ));
        assert!(!wasmi.blames_weft());
        for (verdict, odd) in [
            (
                four(returned(7), div_zero(), returned(7), returned(7)),
                Engine::Weft,
            ),
            (
                four(div_zero(), returned(7), returned(7), returned(7)),
                Engine::Singlepass,
            ),
        ] {
            assert!(matches!(verdict, Verdict::Differs { odd: o, .. } if o == odd));
            assert!(verdict.blames_weft());
        }
        let memory = Observation {
            memory: vec![1; 4],
            ..returned(7)
        };
        assert!(matches!(
            four(returned(7), memory, returned(7), returned(7)),
            Verdict::Differs {
                odd: Engine::Weft,
                ..
            }
        ));
        let split = four(returned(7), returned(7), div_zero(), div_zero());
        assert!(matches!(split, Verdict::Unexplained { .. }));
        assert!(split.blames_weft());
    }
}
