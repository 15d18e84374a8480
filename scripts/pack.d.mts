// Types of scripts/pack.mjs for the tests that import it (test/packaging/npm-pack.test.ts).
export const INSTALL_SCRIPTS: readonly string[];
export function packedManifest(text: string): string;
