// The names of the core's closed lists in both languages, generated from the Rust `code_enum!`
// declarations into ../bindings/codes.ts.
export * from '../bindings/codes';
