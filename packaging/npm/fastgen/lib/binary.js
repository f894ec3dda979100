'use strict';
// Where the fastgen binary for this machine is. Shared by the `fastgen` command
// (bin/fastgen.js) and the Nx plugin (nx/generator.cjs).
//
// The binary is not in this package: it comes in one of the platform packages listed in
// ../platforms.json (the same file scripts/package.sh writes their package.json files from),
// which are this package's optionalDependencies. The package manager installs only the one
// whose `os`, `cpu` and `libc` fields match the machine; this module picks the same one by
// process.platform, process.arch and, on Linux, the C library, and resolves its binary the
// way Node resolves any file of an installed package. No install script, no download, no
// dependencies.

const fs = require('fs');
const path = require('path');

const { platforms } = require('../platforms.json');
const { name: mainPackage, version } = require('../package.json');

const REPOSITORY = 'https://github.com/fastgen/fastgen';

/** The binary could not be found; `message` says why and `hint` what to do. */
class BinaryNotFound extends Error {
    constructor(message, hint) {
        super(message);
        this.name = 'BinaryNotFound';
        this.code = 'FASTGEN_BINARY_NOT_FOUND';
        this.hint = hint;
    }
}

/**
 * The C library on Linux: 'glibc' or 'musl'; null on other systems.
 *
 * Node's diagnostic report names the glibc version the running Node uses
 * (`header.glibcVersionRuntime`); a Node built for musl (Alpine) has no such field. Where
 * the report is unavailable, the musl dynamic loader on disk (/lib/ld-musl-<arch>.so.1)
 * tells.
 */
function detectLibc() {
    if (process.platform !== 'linux') return null;
    const report = process.report;
    if (report && typeof report.getReport === 'function') {
        // The report's network section does host name look-ups; Node >= 20.13 can skip it.
        const excluded = report.excludeNetwork;
        try {
            report.excludeNetwork = true;
            let document = report.getReport();
            if (typeof document === 'string') document = JSON.parse(document);
            if (document && document.header) {
                return document.header.glibcVersionRuntime ? 'glibc' : 'musl';
            }
        } catch {
            // Fall back to the file system below.
        } finally {
            report.excludeNetwork = excluded;
        }
    }
    try {
        if (fs.readdirSync('/lib').some((file) => file.startsWith('ld-musl-'))) return 'musl';
    } catch {
        // No /lib to read: assume the common case.
    }
    return 'glibc';
}

/** `linux x64 (glibc)`, `darwin arm64`: how a platform is named in messages. */
function describe(os, cpu, libc) {
    return libc ? `${os} ${cpu} (${libc})` : `${os} ${cpu}`;
}

/**
 * The platforms.json entries that can run here, best first: the exact match, then, on a
 * glibc Linux, the musl build for the same CPU (a static binary, so it runs there too).
 */
function candidates(os = process.platform, cpu = process.arch, libc = detectLibc()) {
    const exact = platforms.filter((p) => p.os === os && p.cpu === cpu && (p.libc || null) === libc);
    const fallback =
        os === 'linux' && libc === 'glibc'
            ? platforms.filter((p) => p.os === os && p.cpu === cpu && p.libc === 'musl')
            : [];
    return [...exact, ...fallback];
}

/** Make a binary unpacked without its executable bit (some installers drop it) runnable. */
function ensureExecutable(file) {
    if (process.platform === 'win32') return;
    try {
        fs.accessSync(file, fs.constants.X_OK);
    } catch {
        try {
            fs.chmodSync(file, 0o755);
        } catch {
            // Running it reports the real problem.
        }
    }
}

/**
 * The absolute path of the fastgen binary to run: FASTGEN_BINARY when set (a binary built
 * from source, or for a platform without a package), else the binary of the installed
 * platform package. Throws BinaryNotFound with a message and a hint otherwise.
 */
function resolveBinary(env = process.env) {
    const override = env.FASTGEN_BINARY;
    if (override) {
        const file = path.resolve(override);
        if (!fs.existsSync(file)) {
            throw new BinaryNotFound(
                `FASTGEN_BINARY is set to \`${override}\`, which does not exist`,
                'point FASTGEN_BINARY at a fastgen binary, or unset it to use the one of the installed platform package',
            );
        }
        return file;
    }
    const libc = detectLibc();
    const here = describe(process.platform, process.arch, libc);
    const usable = candidates(process.platform, process.arch, libc);
    if (usable.length === 0) {
        const supported = platforms.map((p) => describe(p.os, p.cpu, p.libc)).join(', ');
        throw new BinaryNotFound(
            `${mainPackage} ${version} has no binary for ${here}; its npm packages cover ${supported}`,
            `build fastgen from source (\`cargo build --release --locked\` in a clone of ${REPOSITORY}) and set FASTGEN_BINARY to the binary's path`,
        );
    }
    for (const platform of usable) {
        let file;
        try {
            file = require.resolve(`${platform.package}/bin/${platform.binary}`);
        } catch (error) {
            if (error && error.code === 'MODULE_NOT_FOUND') continue;
            throw error;
        }
        warnOnVersionMismatch(platform.package);
        ensureExecutable(file);
        return file;
    }
    const wanted = usable[0].package;
    throw new BinaryNotFound(
        `the fastgen binary for ${here} is in the npm package \`${wanted}@${version}\`, which is not installed. ` +
            `It is an optional dependency of \`${mainPackage}\`: the install skipped it, most likely because optional ` +
            'dependencies were turned off (`--no-optional`, `--omit=optional`, `optional=false`) or the lockfile was made ' +
            'on another platform without it',
        `install it beside ${mainPackage} (\`npm install --save-dev ${wanted}@${version}\`, \`pnpm add -D ${wanted}@${version}\`), ` +
            'or reinstall with optional dependencies; or set FASTGEN_BINARY to a fastgen binary',
    );
}

/** A platform package of another version than this one: say so (it still runs). */
function warnOnVersionMismatch(pkg) {
    let found;
    try {
        found = require(`${pkg}/package.json`).version;
    } catch {
        return;
    }
    if (found !== version) {
        process.stderr.write(
            `warning: ${mainPackage} is ${version} but the installed ${pkg} is ${found}; install ${pkg}@${version}\n`,
        );
    }
}

module.exports = { BinaryNotFound, candidates, describe, detectLibc, platforms, resolveBinary, version };
