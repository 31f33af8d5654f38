// npm run docs:nodes — writes docs/nodes.md from the node definitions (tests/repo checks it is current).
import { writeFileSync } from 'node:fs';
import { builtinRegistry, nodeReference } from '@tripwire/rules';

writeFileSync(new URL('../docs/nodes.md', import.meta.url), nodeReference(builtinRegistry));
console.log('docs/nodes.md written');
