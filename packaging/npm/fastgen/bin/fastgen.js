#!/usr/bin/env node
'use strict';
// The `fastgen` command of the npm package: runs the native fastgen binary of this
// platform's package (see ../lib/binary.js) with the same arguments, standard streams and
// exit status. FASTGEN_BINARY, when set, names the binary to run instead.

const { spawnSync } = require('child_process');
const { constants } = require('os');

const { BinaryNotFound, resolveBinary } = require('../lib/binary.js');

let binary;
try {
    binary = resolveBinary();
} catch (error) {
    if (!(error instanceof BinaryNotFound)) throw error;
    process.stderr.write(`error: ${error.message}\nhint: ${error.hint}\n`);
    process.exit(1);
}

// Ctrl-C in a terminal reaches fastgen as well (one process group). Node must outlive it:
// fastgen restores the files it already wrote before it ends, and its exit status is the
// one to report. A listener keeps Node from dying while spawnSync waits.
const ignoreInterrupt = () => {};
process.on('SIGINT', ignoreInterrupt);

const result = spawnSync(binary, process.argv.slice(2), { stdio: 'inherit' });

if (result.error) {
    process.stderr.write(`error: could not run ${binary}: ${result.error.message}\n`);
    process.exit(1);
}
if (result.signal) {
    // Die of the same signal, so the caller sees what the shell would have shown.
    process.removeListener('SIGINT', ignoreInterrupt);
    process.kill(process.pid, result.signal);
    process.exit(128 + (constants.signals[result.signal] || 0));
}
process.exit(result.status === null ? 1 : result.status);
