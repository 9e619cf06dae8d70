/**
 * shipkit's version, as `shipkit --version` prints it and the runtime image labels it. It must equal
 * package.json's `version`: `scripts/release-check` fails the release (and CI) when they differ.
 */
export const VERSION = '1.0.0';
