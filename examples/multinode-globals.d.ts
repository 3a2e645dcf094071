// Types the multi-node globals (`multinode`, `runOn`, `barrier`, `gather`, `eventually`, `fault`) and
// `describe.multinode` for the examples. In your own project, add "jest-environment-multinode" to
// `compilerOptions.types` in tsconfig.json instead.
/// <reference types="jest-environment-multinode" />
