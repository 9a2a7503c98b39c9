// `npm run schema`: writes the reply object's JSON Schema (generated from the zod schema)
// to schemas/reply.schema.json; a test keeps the committed file in step with the code.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { replyJsonSchema } from '../core/reply-json-schema.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const file = path.join(root, 'schemas/reply.schema.json');
writeFileSync(file, `${JSON.stringify(replyJsonSchema(), null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), file)}`);
