#!/usr/bin/env node
// `npm start`'s prestart: builds only the parts whose inputs changed since the last build. Each part's inputs are
// hashed (paths and contents, so a checkout or a touch that changes nothing rebuilds nothing) and compared with the
// stamp that part's last successful build left in dist/. `--all` (`npm run build`) builds every part and stamps it.
'use strict';
const { createHash } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const stampFile = path.join(root, 'dist', '.build-inputs.json');
const shared = ['package-lock.json'];
const PARTS = [
  {
    name: 'server',
    inputs: [...shared, 'tsconfig.json', 'tsconfig.build.json', 'src', 'workflows', 'activities', 'procedures', 'bench', 'tools', 'prisma'],
    outputs: ['dist/src/launcher.js', 'dist/src/main.js', 'dist/workflow-bundle.js'],
    build: () => {
      run('npx', ['tsc', '-p', 'tsconfig.build.json']);
      run('node', ['dist/src/worker/bundle.js']);
    },
  },
  {
    name: 'web',
    inputs: [...shared, 'web'],
    outputs: ['dist/web/index.html'],
    build: () => run('npm', ['run', '-s', 'build:web']),
  },
];

function run(command, args) {
  execFileSync(command, args, { cwd: root, stdio: 'inherit' });
}

function filesUnder(relative) {
  const full = path.join(root, relative);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [relative];
  return readdirSync(full, { withFileTypes: true })
    .filter((entry) => entry.name !== 'node_modules' && !entry.name.startsWith('.'))
    .flatMap((entry) => filesUnder(path.join(relative, entry.name)));
}

function hashOf(inputs) {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap(filesUnder).sort()) hash.update(`${file}\0`).update(readFileSync(path.join(root, file))).update('\0');
  return hash.digest('hex');
}

function main() {
  const all = process.argv.includes('--all');
  const stamps = existsSync(stampFile) ? JSON.parse(readFileSync(stampFile, 'utf8')) : {};
  const skipped = [];
  for (const part of PARTS) {
    const hash = hashOf(part.inputs);
    if (!all && stamps[part.name] === hash && part.outputs.every((out) => existsSync(path.join(root, out)))) {
      skipped.push(part.name);
      continue;
    }
    // Removed first: a build that fails or is interrupted leaves the part stale, never stamped as current.
    delete stamps[part.name];
    mkdirSync(path.dirname(stampFile), { recursive: true });
    writeFileSync(stampFile, JSON.stringify(stamps, null, 2));
    part.build();
    stamps[part.name] = hash;
    writeFileSync(stampFile, JSON.stringify(stamps, null, 2));
  }
  if (skipped.length === PARTS.length) console.log('build skipped: nothing changed since the last build (npm run build rebuilds everything)');
  else if (skipped.length) console.log(`build: ${skipped.join(', ')} unchanged, not rebuilt`);
}

main();
