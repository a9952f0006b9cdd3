//! Weft's end-to-end tests live in `e2e/` (one test binary, one module per topic); this library is
//! empty.
