'use strict';
// The Nx plugin: every fastgen generator as an Nx generator (`nx g fastgen:py#fast-api`).
//
// ../generators.json and ./schemas/<name>.json are written at package time by the binary
// itself (`fastgen schema --nx-collection`, `fastgen schema <name> --nx`); each entry's
// factory is `./nx/generator.cjs#<fastgen generator name>`, and this module exports one
// function under each of those names (`exports['fast-api']`, `exports.infra`).
//
// Each one runs the binary as
//   fastgen generate <name> --no-interactive --dry-run --json --with-contents -C <tree.root> --<option>=<value>…
// so fastgen computes the change set and writes nothing, then applies that change set to
// Nx's tree: Nx shows it, writes it (or not, with --dry-run) and runs the returned callback.
// fastgen's bytes and file modes are applied as they are: no formatFiles, no formatting.
//
// fastgen reads the workspace from disk, not from the tree: changes other generators made
// earlier in the same Nx run (a generator that composes this one, for instance) are not
// visible to it, and a file it writes replaces what they put in the tree.

const { spawnSync } = require('child_process');
const path = require('path');

const { BinaryNotFound, resolveBinary } = require('../lib/binary.js');
const collection = require('../generators.json');

/** Change-set JSON is a few megabytes at most; spawnSync's default limit is 1 MiB. */
const MAX_OUTPUT = 1024 * 1024 * 1024;
/** Conflicting files named in the error; the rest are counted. */
const MAX_LISTED = 20;

/** The command-line arguments for the options Nx collected: only the schema's own, non-empty. */
function optionArgs(schema, options) {
    const known = schema.properties || {};
    const args = [];
    for (const [key, value] of Object.entries(options || {})) {
        if (!Object.prototype.hasOwnProperty.call(known, key)) continue;
        const values = Array.isArray(value) ? value : [value];
        for (const item of values) {
            if (item === undefined || item === null || item === '' || item === false) continue;
            // A true boolean is a bare flag; everything else is `--key=value` (fastgen's
            // options are strings today).
            args.push(item === true ? `--${key}` : `--${key}=${String(item)}`);
        }
    }
    return args;
}

/** fastgen's JSON error as one message: the error, its causes, and the `hint:` line. */
function errorMessage(document) {
    const lines = [String(document.error)];
    for (const cause of Array.isArray(document.causes) ? document.causes : []) {
        lines.push(`  caused by: ${cause}`);
    }
    if (document.hint) lines.push(`hint: ${document.hint}`);
    return lines.join('\n');
}

/** The file's bytes, or null for a file fastgen does not write (UNCHANGED, KEEP…). */
function fileBytes(file) {
    if (typeof file.content === 'string') return Buffer.from(file.content, 'utf8');
    if (typeof file.contentBase64 === 'string') return Buffer.from(file.contentBase64, 'base64');
    return null;
}

function nxGenerator(name, schemaFile) {
    return function fastgenGenerator(tree, options) {
        const schema = require(schemaFile);
        let binary;
        try {
            binary = resolveBinary();
        } catch (error) {
            if (error instanceof BinaryNotFound) throw new Error(`${error.message}\nhint: ${error.hint}`);
            throw error;
        }
        const pending = typeof tree.listChanges === 'function' ? tree.listChanges().length : 0;
        if (pending > 0) {
            process.stderr.write(
                `warning: fastgen reads the workspace from disk: the ${pending} change(s) already made in this Nx run are not visible to it\n`,
            );
        }
        const args = [
            'generate',
            name,
            '--no-interactive',
            '--dry-run',
            '--json',
            '--with-contents',
            '-C',
            tree.root,
            ...optionArgs(schema, options),
        ];
        const run = spawnSync(binary, args, {
            cwd: tree.root,
            encoding: 'utf8',
            maxBuffer: MAX_OUTPUT,
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        if (run.error) throw new Error(`could not run ${binary}: ${run.error.message}`);
        let document = null;
        try {
            document = JSON.parse(run.stdout);
        } catch {
            // Not JSON: reported below with stderr.
        }
        if (document && typeof document.error === 'string') throw new Error(errorMessage(document));
        if (run.status !== 0 || !document || !Array.isArray(document.files)) {
            const how = run.signal ? `was killed by ${run.signal}` : `exited with ${run.status}`;
            throw new Error(`fastgen ${args.join(' ')} ${how}\n${run.stderr.trim()}`);
        }

        const conflicts = document.files.filter((file) => file.action === 'CONFLICT');
        if (conflicts.length > 0) {
            const listed = conflicts
                .slice(0, MAX_LISTED)
                .map((file) => (file.reason ? `  ${file.path} (${file.reason})` : `  ${file.path}`));
            if (conflicts.length > MAX_LISTED) listed.push(`  … and ${conflicts.length - MAX_LISTED} more`);
            throw new Error(
                [
                    `fastgen cannot apply this change: ${conflicts.length} file(s) conflict`,
                    ...listed,
                    `hint: fix what each reason names; where your edits and fastgen's changes touch the same lines, run \`fastgen generate ${name}\` with the same options outside Nx: it writes those files with conflict markers for you to resolve`,
                ].join('\n'),
            );
        }
        // Warnings fastgen printed (a public API, a default it chose…) are worth seeing.
        if (run.stderr.trim()) process.stderr.write(run.stderr);

        for (const file of document.files) {
            const bytes = fileBytes(file);
            if (bytes === null) continue;
            tree.write(file.path, bytes);
            if (file.mode === '755') tree.changePermissions(file.path, 0o755);
        }

        const nextSteps = Array.isArray(document.nextSteps) ? document.nextSteps : [];
        return () => {
            if (nextSteps.length === 0) return;
            console.log('\nNext:');
            for (const step of nextSteps) console.log(`  ${step}`);
        };
    };
}

for (const entry of Object.values(collection.generators || {})) {
    const name = String(entry.factory).split('#')[1];
    const schemaFile = path.join(__dirname, '..', String(entry.schema));
    if (name) exports[name] = nxGenerator(name, schemaFile);
}
