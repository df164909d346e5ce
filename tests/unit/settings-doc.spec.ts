import { readFileSync } from 'node:fs';
import path from 'node:path';
import { documentedTables, settingsTables, SETTINGS_DOC } from '../../tools/settings-table';

describe('the settings tables of docs/operations.md', () => {
  it('are the ones the settings schema generates: every setting, its default, what it does and what it refuses', () => {
    const document = readFileSync(path.join(__dirname, '..', '..', SETTINGS_DOC), 'utf8');
    // On a difference: `npm run docs:settings` rewrites the tables from src/config/settings.ts.
    expect(documentedTables(document)).toBe(settingsTables());
  });
});
