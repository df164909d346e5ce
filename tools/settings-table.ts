import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { projectRoot } from '../src/config/paths';
import { LAUNCHER_SETTING_SHAPE, SETTING_SHAPE, settingDoc } from '../src/config/settings';

/**
 * The settings tables of docs/operations.md, generated from the settings schema (src/config/settings.ts):
 * `npm run docs:settings` rewrites them; a unit test fails while they differ.
 */
export const SETTINGS_DOC = 'docs/operations.md';
const BEGIN = '<!-- settings: generated from src/config/settings.ts by `npm run docs:settings` -->';
const END = '<!-- end of settings -->';

function table(shape: Record<string, z.ZodType>): string[] {
  const rows = Object.entries(shape).map(([name, schema]) => {
    const doc = settingDoc(schema);
    return `| \`${name}\` | ${doc.defaultText} | ${doc.description} | ${doc.refused} |`;
  });
  return ['| Name | Default | What it does | Refused |', '| --- | --- | --- | --- |', ...rows];
}

export function settingsTables(): string {
  return [...table(SETTING_SHAPE), '', '`npm start` only:', '', ...table(LAUNCHER_SETTING_SHAPE)].join('\n');
}

/** The part of the document between the markers, as it is. */
export function documentedTables(document: string): string | undefined {
  const begin = document.indexOf(BEGIN);
  const end = document.indexOf(END);
  return begin < 0 || end < begin ? undefined : document.slice(begin + BEGIN.length, end).trim();
}

function main() {
  const file = path.join(projectRoot(), SETTINGS_DOC);
  const document = readFileSync(file, 'utf8');
  if (documentedTables(document) === undefined) throw new Error(`${SETTINGS_DOC} has no ${BEGIN} … ${END} section`);
  const begin = document.indexOf(BEGIN) + BEGIN.length;
  writeFileSync(file, `${document.slice(0, begin)}\n\n${settingsTables()}\n\n${document.slice(document.indexOf(END))}`);
  console.log(`${SETTINGS_DOC}: settings tables written`);
}

if (require.main === module) main();
