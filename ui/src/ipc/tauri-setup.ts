// The production build talks to the real Rust commands: nothing to set up. The mock build
// resolves `#backend-setup` to ./mock/install.ts instead (see vite.config.ts).
export {};
