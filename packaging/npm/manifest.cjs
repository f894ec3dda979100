'use strict';
// The JSON side of scripts/package.sh (which needs node for `npm pack` anyway): reads
// platforms.json and the main package.json, checks their versions against Cargo's, and
// writes the platform packages' package.json files. Not shipped in any package.
//
//   node manifest.cjs cargo-version            < cargo metadata JSON   → "<version> <target dir>"
//   node manifest.cjs check VERSION            main package.json, its optionalDependencies and
//                                              platforms.json agree with VERSION and each other
//   node manifest.cjs platform TARGET          → "<npm package> <binary name>" for a Rust target
//   node manifest.cjs platform-package TARGET VERSION DIR
//                                              DIR/package.json and DIR/README.md of that package
//   node manifest.cjs layout VERSION DIR       DIR/<npm package>/package.json for every platform
//   node manifest.cjs generators FILE VERSION  → "<generator> <schema path>" per line, from the
//                                              generated generators.json (whose version is checked)
//   node manifest.cjs packed                   < `npm pack --json` → "<tarball> <unpacked size> <file>…"

const fs = require('fs');
const path = require('path');

const mainDir = path.join(__dirname, 'fastgen');
const { platforms } = readJson(path.join(mainDir, 'platforms.json'));
const main = readJson(path.join(mainDir, 'package.json'));

function readJson(file) {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function fail(message) {
    process.stderr.write(`package: error: ${message}\n`);
    process.exit(1);
}

function stdinJson() {
    return JSON.parse(fs.readFileSync(0, 'utf8'));
}

function platformFor(target) {
    const platform = platforms.find((p) => p.target === target);
    if (!platform) {
        fail(`no npm platform package for the Rust target ${target} in platforms.json (it has ${platforms.map((p) => p.target).join(', ')})`);
    }
    return platform;
}

const OS_NAMES = { linux: 'Linux', darwin: 'macOS', win32: 'Windows' };

/** The package.json of a platform package: what npm needs to install it only where it runs. */
function platformManifest(platform, version) {
    const where = `${OS_NAMES[platform.os] || platform.os} ${platform.cpu}${platform.libc ? `, ${platform.libc}` : ''}`;
    const manifest = {
        name: platform.package,
        version,
        description: `The fastgen binary for ${where} (Rust target ${platform.target}); installed by the \`fastgen\` package, which runs it`,
        license: main.license,
        homepage: main.homepage,
        repository: { ...main.repository, directory: 'packaging/npm' },
        os: [platform.os],
        cpu: [platform.cpu],
    };
    if (platform.libc) manifest.libc = [platform.libc];
    Object.assign(manifest, {
        files: [`bin/${platform.binary}`, 'README.md'],
        // Yarn Plug'n'Play keeps packages zipped unless told otherwise; a binary has to be a
        // real file to be executed.
        preferUnplugged: true,
        // Scoped packages are published restricted unless asked otherwise.
        publishConfig: { access: 'public' },
    });
    return manifest;
}

function platformReadme(platform, version) {
    return [
        `# ${platform.package}`,
        '',
        `The fastgen ${version} binary for \`${platform.target}\`. It is not meant to be installed on its own:`,
        'install [`fastgen`](https://www.npmjs.com/package/fastgen), which lists every platform package as an',
        'optional dependency and runs the one your package manager installed for this machine.',
        '',
    ].join('\n');
}

function writeJson(file, value) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

const [command, ...args] = process.argv.slice(2);
switch (command) {
    case 'cargo-version': {
        const metadata = stdinJson();
        const crate = metadata.packages.find((p) => p.name === 'fastgen');
        if (!crate) fail('no `fastgen` package in cargo metadata');
        console.log(`${crate.version} ${metadata.target_directory}`);
        break;
    }
    case 'check': {
        const [version] = args;
        const problems = [];
        if (main.version !== version) problems.push(`packaging/npm/fastgen/package.json has version ${main.version}`);
        const optional = main.optionalDependencies || {};
        for (const [name, range] of Object.entries(optional)) {
            if (range !== version) problems.push(`optionalDependencies["${name}"] is ${range}`);
            if (!platforms.some((p) => p.package === name)) problems.push(`optionalDependencies["${name}"] is not in platforms.json`);
        }
        for (const platform of platforms) {
            if (!(platform.package in optional)) problems.push(`${platform.package} (platforms.json) is not in optionalDependencies`);
            const suffix = platform.libc ? `-${platform.libc === 'glibc' ? 'gnu' : platform.libc}` : '';
            if (platform.package !== `@fastgen/${platform.os}-${platform.cpu}${suffix}`) {
                problems.push(`${platform.package} does not name its os, cpu and libc (${platform.os}, ${platform.cpu}, ${platform.libc})`);
            }
            if (platform.binary !== (platform.os === 'win32' ? 'fastgen.exe' : 'fastgen')) {
                problems.push(`${platform.package}: binary ${platform.binary}`);
            }
        }
        if (problems.length > 0) {
            fail(`packaging/npm disagrees with itself or with Cargo (version ${version}):\n  ${problems.join('\n  ')}`);
        }
        break;
    }
    case 'platform': {
        const platform = platformFor(args[0]);
        console.log(`${platform.package} ${platform.binary}`);
        break;
    }
    case 'platform-package': {
        const [target, version, dir] = args;
        const platform = platformFor(target);
        writeJson(path.join(dir, 'package.json'), platformManifest(platform, version));
        fs.writeFileSync(path.join(dir, 'README.md'), platformReadme(platform, version));
        break;
    }
    case 'layout': {
        const [version, dir] = args;
        for (const platform of platforms) {
            writeJson(path.join(dir, platform.package, 'package.json'), platformManifest(platform, version));
        }
        break;
    }
    case 'generators': {
        const [file, version] = args;
        const collection = readJson(file);
        if (collection.version !== version) fail(`${file} has version ${collection.version}, not ${version}`);
        for (const [id, entry] of Object.entries(collection.generators || {})) {
            const [factory, name] = String(entry.factory).split('#');
            if (factory !== './nx/generator.cjs' || !name) fail(`generator ${id}: unexpected factory ${entry.factory}`);
            console.log(`${name} ${entry.schema}`);
        }
        break;
    }
    case 'packed': {
        const [result] = stdinJson();
        console.log([result.filename, result.unpackedSize, ...result.files.map((f) => f.path)].join(' '));
        break;
    }
    default:
        fail(`unknown command ${command}`);
}
