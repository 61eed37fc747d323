//! WebAssembly bindings of plan-rules (work in progress).
