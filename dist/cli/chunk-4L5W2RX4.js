import { createRequire as __shipkitCreateRequire } from 'node:module';
const require = __shipkitCreateRequire(import.meta.url);
//# sourceMappingURL=chunk-4L5W2RX4.js.map
