# Pinned tool versions, shared by the scripts. Keep in step with DEVELOPERS.md.
TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=132
