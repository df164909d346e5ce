import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** `^20.19.0 || ^22.12.0 || ^24.0.0` → [20, 22, 24]: one caret range per supported major, nothing open-ended. */
function engineMajors(range: string): number[] {
  return range.split('||').map((part) => {
    const match = /^\^(\d+)\.\d+\.\d+$/.exec(part.trim());
    if (!match) throw new Error(`engines.node part "${part.trim()}" is not a caret range of one major`);
    return Number(match[1]);
  });
}

/** The `<major>-<arch>) version=<version>` pins of scripts/setup-node.sh. */
function pinnedNodes(script: string): { major: number; arch: string; version: string }[] {
  return [...script.matchAll(/^\s*(\d+)-(\w+)\) version=(\S+) integrity=sha512-\S+ ;;$/gm)].map((m) => ({
    major: Number(m[1]),
    arch: m[2],
    version: m[3],
  }));
}

describe('the Node versions the project supports', () => {
  const engines = JSON.parse(read('package.json')).engines.node as string;
  const lockEngines = JSON.parse(read('package-lock.json')).packages[''].engines.node as string;
  const pins = pinnedNodes(read('scripts/setup-node.sh'));
  const readme = read('README.md');

  it('are the same in package.json and its lock', () => {
    expect(lockEngines).toBe(engines);
  });

  it('are the machine’s Node 20 and the LTS majors scripts/setup-node.sh installs, for x64 and arm64 alike', () => {
    const installable = [...new Set(pins.map((pin) => pin.major))].sort((a, b) => a - b);
    expect(engineMajors(engines)).toEqual([20, ...installable]);
    expect(installable).toEqual([22, 24]);
    for (const major of installable) {
      const versions = pins.filter((pin) => pin.major === major);
      expect(versions.map((pin) => pin.arch).sort()).toEqual(['arm64', 'x64']);
      expect(new Set(versions.map((pin) => pin.version)).size).toBe(1);
      expect(versions[0].version.startsWith(`${major}.`)).toBe(true);
    }
  });

  it('are named in the README with the exact versions the tests ran on', () => {
    for (const { version } of pins) expect(readme).toContain(`Node ${version}`);
    expect(readme).toContain(`\`${engines}\``);
  });

  it('include the Node that runs these tests', () => {
    expect(engineMajors(engines)).toContain(Number(process.versions.node.split('.')[0]));
  });
});
