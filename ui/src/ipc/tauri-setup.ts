// The production build talks to the real Rust commands: nothing to set up. The bridge build
// resolves `#backend-setup` to ./bridge/install.ts instead (see vite.config.ts).
export {};
