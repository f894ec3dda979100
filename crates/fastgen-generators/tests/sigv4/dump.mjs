// Writes .build/wire.json: every case of cases.json as signingFetch sent it (and as the local
// server received it), for reference.py (the multipart bodies: the bytes to sign) and for the
// comparison with botocore's signatures (sigv4.test.mjs and tests/sigv4.rs).
import { writeFileSync } from 'node:fs';
import { runAll } from './harness.mjs';

const records = await runAll();
writeFileSync(new URL('./.build/wire.json', import.meta.url), `${JSON.stringify(records, null, 2)}\n`);
console.log(`dump: ${records.length} cases signed and sent`);
