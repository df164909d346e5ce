/**
 * `npm run bench:supervision`: the supervisor's views at province scale. In a throw-away database (see
 * throwaway-database.ts: DATABASE_URL's server, else an embedded PostgreSQL), after the migrations: a unit tree like a
 * province (root → 13 cities → 8–12 districts each, a supervisor and a caseworker per unit), SCALE_CASES open cases
 * (default 1,000,000) generated in SQL, two legal deadline rows each, then VACUUM ANALYZE. Measured through
 * SupervisionService itself (the API's code, through Prisma), one call at a time after a warm-up:
 * - overdue(), limit 50, for random districts, cities and the root (a supervisor's whole subtree, and an
 *   administrator's unfiltered view), each first page followed by its second page (nextCursor): target p99 ≤ 50 ms;
 * - onTime() over the calendar year (Asia/Shanghai) for a random city and for the root: target p99 ≤ 200 ms.
 * The generated data: due instants spread over the year around now (end of a Shanghai day, yellow one working day
 * before); past ones mostly met (met / met-late / met-recorded-late), 12 % still open (overdue); future ones mostly
 * running; 2 % suspended (no due instant). Deterministic (setseed), so runs compare.
 * Env: SCALE_CASES, OVERDUE_RUNS (first+second page pairs, default 300), ONTIME_RUNS (default 30), BENCH_KEEP_DATABASE=1.
 * Prints the generation time, row counts, a table against the targets and a final JSON line. Exit 0 when every query
 * answered as expected (a missed target is reported, not an exit code), 1 otherwise.
 */
import { performance } from 'node:perf_hooks';
import { Client as PgClient } from 'pg';
import { AuthUser, Directory } from '../src/auth/directory';
import { CalendarService } from '../src/cases/calendar.service';
import { SupervisionService } from '../src/cases/supervision.service';
import { migrate } from '../src/db/migrate';
import { createPrisma } from '../src/db/prisma';
import { PayloadKeyRing } from '../src/infra/payload-codec';
import { PersonalDataCipher, sealSubject } from '../src/infra/personal-data';
import { Cleanups, machine, percentile, throwawayDatabase } from './throwaway-database';

// One sealed subject for every case: the list still opens one per row, as the service does (decision 0021).
const BENCH_PERSONAL_DATA = new PersonalDataCipher(PayloadKeyRing.parse(PayloadKeyRing.generateSetting('bench')));
const BENCH_SUBJECT = sealSubject(BENCH_PERSONAL_DATA, { name: 'Bench Trading Co.', idNumber: '91350100M000100Y43' });

const OVERDUE_TARGET_P99_MS = 50;
const ONTIME_TARGET_P99_MS = 200;
const BATCH = 50_000;
const CITIES = 13;
const OVERDUE_WARMUP = 40;
const ONTIME_WARMUP = 3;

/** Seven procedures, two legal clocks each (both counted as legal: the heavier case for the on-time rate). */
const PROCEDURES = [
  { procedure: 'objection-review', version: 2, state: 'under-review', keys: ['mark-disputed', 'correction'] },
  { procedure: 'credit-complaint', version: 1, state: 'accepted', keys: ['reply', 'reply-recheck'] },
  { procedure: 'credit-repair', version: 1, state: 'applied', keys: ['acceptance', 'decision'] },
  { procedure: 'dishonesty-listing', version: 1, state: 'under-review', keys: ['review', 'decision'] },
  { procedure: 'information-correction', version: 1, state: 'open', keys: ['correction', 'provider-update'] },
  { procedure: 'commitment-verification', version: 2, state: 'verifying', keys: ['verification', 'rectification'] },
  { procedure: 'property-rating', version: 1, state: 'filed', keys: ['nameplate', 'second-year-review'] },
];

interface Unit {
  id: string;
  parentId: string | null;
  path: string;
  level: 'province' | 'city' | 'district';
}

function provinceUnits(): Unit[] {
  const units: Unit[] = [{ id: 'prov', parentId: null, path: 'prov/', level: 'province' }];
  for (let c = 1; c <= CITIES; c++) {
    const city = `prov-c${String(c).padStart(2, '0')}`;
    units.push({ id: city, parentId: 'prov', path: `prov/${city}/`, level: 'city' });
    const districts = 8 + (c % 5);
    for (let d = 1; d <= districts; d++) {
      const id = `${city}-d${String(d).padStart(2, '0')}`;
      units.push({ id, parentId: city, path: `prov/${city}/${id}/`, level: 'district' });
    }
  }
  return units;
}

/** mulberry32: the same sequence of scopes every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

/** The Asia/Shanghai calendar date of an instant, as YYYY-MM-DD. */
function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

async function generate(pg: PgClient, cases: number, units: Unit[], now: Date): Promise<void> {
  await pg.query('SET synchronous_commit = off');
  await pg.query('SELECT setseed(0.4242)');
  await pg.query('CREATE TEMP TABLE bench_units (idx int PRIMARY KEY, unit_id text NOT NULL, caseworker text NOT NULL)');
  // Cases belong to cities and districts, not to the provincial office itself.
  const caseUnits = units.filter((u) => u.level !== 'province');
  await pg.query(
    `INSERT INTO bench_units SELECT ord, u, 'caseworker-' || u FROM unnest($1::text[]) WITH ORDINALITY AS t(u, ord)`,
    [caseUnits.map((u) => u.id)],
  );
  await pg.query(`CREATE TEMP TABLE bench_procedures (idx int PRIMARY KEY, procedure text, version int, state text, key1 text, key2 text)`);
  for (const [i, p] of PROCEDURES.entries()) {
    await pg.query('INSERT INTO bench_procedures VALUES ($1, $2, $3, $4, $5, $6)', [i + 1, p.procedure, p.version, p.state, p.keys[0], p.keys[1]]);
  }
  const today = shanghaiDate(now);
  for (let lo = 1; lo <= cases; lo += BATCH) {
    const hi = Math.min(cases, lo + BATCH - 1);
    const t0 = performance.now();
    await pg.query(
      `WITH g AS MATERIALIZED (
         SELECT i, md5('bench-case-' || i)::uuid AS id,
                1 + floor(random() * $4::int)::int AS unit_idx,
                1 + floor(random() * $5::int)::int AS proc_idx,
                $3::timestamptz - random() * interval '400 days' AS received_at
         FROM generate_series($1::int, $2::int) i
       ), src AS MATERIALIZED (
         SELECT g.*, u.unit_id, u.caseworker, p.procedure, p.version, p.state, p.key1, p.key2
         FROM g JOIN bench_units u ON u.idx = g.unit_idx JOIN bench_procedures p ON p.idx = g.proc_idx
       ), inserted AS (
         INSERT INTO cases (id, procedure, definition_version, variant, idempotency_key, workflow_id, state, subject_kind,
                            subject_sealed, subject_name_key, subject_id_key, unit_id, received_at, details, revision, filed_by, parties, updated_at)
         SELECT id, procedure, version, 'standard', 'bench-' || i, 'case-' || id, state, 'organisation',
                $7, $8, $9, unit_id, received_at,
                '{"actionReceipts": []}'::jsonb, 3, caseworker, '{}', $3::timestamptz
         FROM src
         RETURNING id
       ), rows AS (
         SELECT s.*, k.n, random() AS r, random() AS r2, random() < 0.02 AS suspended,
                ($6::date - 182 + floor(random() * 365)::int) AS due_day
         FROM src s CROSS JOIN (VALUES (1), (2)) AS k(n)
       ), timed AS (
         SELECT rows.*, CASE WHEN suspended THEN NULL ELSE ((due_day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai') END AS due_at
         FROM rows
       ), statused AS (
         SELECT timed.*,
                CASE WHEN suspended THEN 'suspended'
                     WHEN due_at <= $3::timestamptz THEN
                       CASE WHEN r < 0.12 THEN 'overdue' WHEN r < 0.75 THEN 'met' WHEN r < 0.92 THEN 'met-late' ELSE 'met-recorded-late' END
                     ELSE CASE WHEN r < 0.15 THEN 'met' ELSE 'running' END
                END AS status
         FROM timed
       )
       INSERT INTO deadlines (case_id, key, label, basis, kind, status, start_at, due_date, due_at, provisional, calendar_version,
                              explanation, previous, completed_at, completion_recorded_at, updated_at, procedure, case_unit,
                              owner_unit, caseworker, yellow_at)
       SELECT id,
              CASE n WHEN 1 THEN key1 ELSE key2 END,
              CASE n WHEN 1 THEN 'Decision on the application' ELSE 'Second legal step of the procedure' END,
              'Heilongjiang Social Credit Regulation Art. ' || (20 + n) || ': within the legal period of working days from acceptance',
              'legal', status, received_at,
              CASE WHEN due_at IS NULL THEN NULL ELSE to_char(due_day, 'YYYY-MM-DD') END,
              due_at, false, 'bench-calendar',
              jsonb_build_object('rule', 'working-days', 'startEvent', 'application accepted', 'startAt', received_at,
                                 'dueDate', to_char(due_day, 'YYYY-MM-DD'), 'owner', unit_id, 'clock', CASE n WHEN 1 THEN key1 ELSE key2 END,
                                 'countedDays', jsonb_build_array(to_char(due_day - 27, 'YYYY-MM-DD'), to_char(due_day - 26, 'YYYY-MM-DD'),
                                   to_char(due_day - 25, 'YYYY-MM-DD'), to_char(due_day - 24, 'YYYY-MM-DD'), to_char(due_day - 21, 'YYYY-MM-DD'),
                                   to_char(due_day - 20, 'YYYY-MM-DD'), to_char(due_day - 19, 'YYYY-MM-DD'), to_char(due_day - 18, 'YYYY-MM-DD'))),
              '[]'::jsonb,
              CASE status WHEN 'met' THEN least(due_at, $3::timestamptz) - r2 * interval '10 days'
                          WHEN 'met-late' THEN due_at + r2 * interval '5 days'
                          WHEN 'met-recorded-late' THEN due_at - r2 * interval '2 days' END,
              CASE status WHEN 'met' THEN least(due_at, $3::timestamptz) - r2 * interval '10 days'
                          WHEN 'met-late' THEN due_at + r2 * interval '5 days'
                          WHEN 'met-recorded-late' THEN due_at + r2 * interval '3 days' END,
              $3::timestamptz, procedure, unit_id, unit_id, caseworker,
              CASE WHEN due_at IS NULL THEN NULL
                   ELSE due_at - interval '1 day' * CASE extract(isodow FROM due_day) WHEN 1 THEN 3 ELSE 1 END END
       FROM statused
       WHERE EXISTS (SELECT 1 FROM inserted)`,
      [lo, hi, now, caseUnits.length, PROCEDURES.length, today, BENCH_SUBJECT.subjectSealed, BENCH_SUBJECT.subjectNameKey, BENCH_SUBJECT.subjectIdKey],
    );
    process.stdout.write(`  cases ${lo}–${hi} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  }
}

interface Stat {
  name: string;
  runs: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  targetMs?: number;
  verdict?: 'PASS' | 'MISS';
}

function stat(name: string, samples: number[], targetMs?: number): Stat {
  const s = [...samples].sort((a, b) => a - b);
  const p99 = percentile(s, 99);
  return {
    name,
    runs: s.length,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99,
    max: s[s.length - 1],
    ...(targetMs === undefined ? {} : { targetMs, verdict: p99 <= targetMs ? 'PASS' : 'MISS' }),
  };
}

async function main(): Promise<number> {
  const cases = positiveInt('SCALE_CASES', 1_000_000);
  const overdueRuns = positiveInt('OVERDUE_RUNS', 300);
  const onTimeRuns = positiveInt('ONTIME_RUNS', 30);
  const cleanups = new Cleanups();
  try {
    const db = await throwawayDatabase('ldl_scale', cleanups);
    console.log(`bench database ${db.name} on ${db.server}`);
    await migrate(db.url);

    const pg = new PgClient({ connectionString: db.url });
    await pg.connect();
    cleanups.add('generator connection', () => pg.end());
    const units = provinceUnits();
    for (const u of units) {
      await pg.query('INSERT INTO units (id, name, parent_id, path) VALUES ($1, $2, $3, $4)', [u.id, `${u.level} ${u.id}`, u.parentId, u.path]);
      await pg.query('INSERT INTO users (id, name, unit_id, roles) VALUES ($1, $2, $3, $4), ($5, $6, $3, $7)', [
        `supervisor-${u.id}`, `Supervisor of ${u.id}`, u.id, ['supervisor'],
        `caseworker-${u.id}`, `Caseworker of ${u.id}`, ['caseworker'],
      ]);
    }
    await pg.query(`INSERT INTO users (id, name, unit_id, roles) VALUES ('admin', 'Administrator', 'prov', '{admin}')`);

    const generatedAt = new Date();
    console.log(`generating ${cases.toLocaleString('en')} cases over ${units.length} units (${units.filter((u) => u.level === 'city').length} cities, ${units.filter((u) => u.level === 'district').length} districts)…`);
    const g0 = performance.now();
    await generate(pg, cases, units, generatedAt);
    const insertSeconds = (performance.now() - g0) / 1000;
    const v0 = performance.now();
    await pg.query('SET maintenance_work_mem = \'256MB\'');
    await pg.query('VACUUM (ANALYZE) cases');
    await pg.query('VACUUM (ANALYZE) deadlines');
    await pg.query('ANALYZE units');
    await pg.query('ANALYZE users');
    const vacuumSeconds = (performance.now() - v0) / 1000;
    console.log(`generated in ${insertSeconds.toFixed(1)} s, VACUUM ANALYZE ${vacuumSeconds.toFixed(1)} s`);

    const counts = (
      await pg.query<Record<string, string>>(
        `SELECT (SELECT count(*) FROM cases) AS cases, count(*) AS deadlines,
                count(*) FILTER (WHERE status IN ('running', 'suspended', 'overdue')) AS open,
                count(*) FILTER (WHERE status IN ('running', 'suspended', 'overdue') AND due_at <= $1) AS past_due_open,
                count(*) FILTER (WHERE status IN ('running', 'suspended', 'overdue') AND yellow_at <= $1 AND due_at > $1) AS yellow_open,
                count(*) FILTER (WHERE status = 'met') AS met,
                count(*) FILTER (WHERE status IN ('met-late', 'met-recorded-late')) AS met_late,
                pg_size_pretty(pg_total_relation_size('deadlines')) AS deadlines_size,
                pg_size_pretty(pg_total_relation_size('cases')) AS cases_size
         FROM deadlines`,
        [new Date()],
      )
    ).rows[0];
    console.log(
      `rows: ${counts.cases} cases (${counts.cases_size}), ${counts.deadlines} deadlines (${counts.deadlines_size}): ${counts.open} open ` +
        `(${counts.past_due_open} past due, ${counts.yellow_open} yellow), ${counts.met} met, ${counts.met_late} met late`,
    );

    // ---------------------------------------------------------------- the service, as the API builds it
    const prisma = createPrisma(db.url);
    cleanups.add('prisma', () => prisma.$disconnect());
    const directory = new Directory(prisma);
    const supervision = new SupervisionService(prisma, directory, new CalendarService(prisma), BENCH_PERSONAL_DATA);
    const rootSupervisor = (await directory.user('supervisor-prov'))!;
    const admin = (await directory.user('admin'))!;
    const cities = units.filter((u) => u.level === 'city');
    const districts = units.filter((u) => u.level === 'district');
    const random = rng(7);
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];

    type Scope = { kind: 'district' | 'district + procedure' | 'city' | 'root (supervisor)' | 'root (admin)'; user: AuthUser; unit?: string; procedure?: string };
    let turn = 0;
    /** District (also filtered by procedure), city, root as its supervisor, root as an administrator, in turn; the unit at random. */
    const scopes = (): Scope => {
      const k = turn++ % 5;
      if (k === 0) return { kind: 'district', user: rootSupervisor, unit: pick(districts).id };
      if (k === 4) return { kind: 'district + procedure', user: rootSupervisor, unit: pick(districts).id, procedure: pick([...PROCEDURES]).procedure };
      if (k === 1) return { kind: 'city', user: rootSupervisor, unit: pick(cities).id };
      if (k === 2) return { kind: 'root (supervisor)', user: rootSupervisor };
      return { kind: 'root (admin)', user: admin };
    };
    const unitPath = new Map(units.map((u) => [u.id, u.path]));

    /** One first page and its second page; checks they are in due order and inside the subtree. */
    const overduePair = async (scope: Scope) => {
      const t1 = performance.now();
      const first = await supervision.overdue(scope.user, { unit: scope.unit, procedure: scope.procedure, limit: 50 });
      const firstMs = performance.now() - t1;
      if (first.items.length === 0) throw new Error(`overdue ${scope.kind} ${scope.unit ?? ''}: no rows`);
      let secondMs: number | undefined;
      const items = [...first.items];
      if (first.nextCursor) {
        const t2 = performance.now();
        const second = await supervision.overdue(scope.user, { unit: scope.unit, procedure: scope.procedure, limit: 50, cursor: first.nextCursor });
        secondMs = performance.now() - t2;
        if (second.items.length === 0) throw new Error(`overdue ${scope.kind} ${scope.unit ?? ''}: a cursor to an empty page`);
        items.push(...second.items);
      }
      for (let i = 1; i < items.length; i++) {
        if (items[i].dueAt < items[i - 1].dueAt) throw new Error(`overdue ${scope.kind}: rows out of due order at ${i}`);
      }
      if (scope.unit) {
        const prefix = unitPath.get(scope.unit)!;
        const outside = items.find((it) => !unitPath.get(it.ownerUnit)?.startsWith(prefix) && !unitPath.get(it.caseUnit)?.startsWith(prefix));
        if (outside) throw new Error(`overdue ${scope.kind} ${scope.unit}: case ${outside.caseId} of ${outside.ownerUnit} is outside the subtree`);
      }
      return { firstMs, secondMs, full: first.items.length === 50 };
    };

    console.log(`warming up (${OVERDUE_WARMUP} overdue pairs, ${ONTIME_WARMUP} on-time rates per scope)…`);
    for (let i = 0; i < OVERDUE_WARMUP; i++) await overduePair(scopes());

    const overdue = { all: [] as number[], first: [] as number[], second: [] as number[], byScope: new Map<string, number[]>(), partialFirstPages: 0 };
    for (let i = 0; i < overdueRuns; i++) {
      const scope = scopes();
      const { firstMs, secondMs, full } = await overduePair(scope);
      const both = secondMs === undefined ? [firstMs] : [firstMs, secondMs];
      overdue.all.push(...both);
      overdue.first.push(firstMs);
      if (secondMs !== undefined) overdue.second.push(secondMs);
      if (!full) overdue.partialFirstPages += 1;
      overdue.byScope.set(scope.kind, [...(overdue.byScope.get(scope.kind) ?? []), ...both]);
    }
    console.log(`overdue: ${overdue.first.length} first pages (${overdue.partialFirstPages} with fewer than 50 rows), ${overdue.second.length} second pages`);

    // ---------------------------------------------------------------- on-time rate over the calendar year
    const year = Number(shanghaiDate(new Date()).slice(0, 4));
    const fromDate = `${year}-01-01`;
    const toDate = `${year + 1}-01-01`;
    // Checked against the deadlines themselves, not the rollup the query reads.
    const legalRowsIn = async (unitIds: string[] | null) =>
      Number(
        (
          await pg.query<{ n: string }>(
            `SELECT count(*) AS n FROM deadlines WHERE kind = 'legal' AND due_date >= $1 AND due_date < $2
               AND status IN ('met', 'met-late', 'met-recorded-late', 'running', 'suspended', 'overdue') AND ($3::text[] IS NULL OR owner_unit = ANY($3))`,
            [fromDate, toDate, unitIds],
          )
        ).rows[0].n,
      );
    const onTime = async (unit: string | undefined) => {
      const t = performance.now();
      const r = await supervision.onTime(rootSupervisor, { unit, fromDate, toDate });
      return { ms: performance.now() - t, r };
    };
    const onTimeStats: { name: string; samples: number[]; rows: number }[] = [];
    for (const [name, unitOf] of [
      ['city', () => pick(cities).id],
      ['root', () => undefined],
    ] as const) {
      const sampleUnit = unitOf();
      const check = (await onTime(sampleUnit)).r.total;
      const expected = await legalRowsIn(sampleUnit ? await directory.subtree(sampleUnit) : null);
      const got = check.met + check.metLate + check.breached + check.running;
      if (got !== expected || got === 0) throw new Error(`onTime ${name} ${sampleUnit ?? ''}: counted ${got} deadlines, the table holds ${expected}`);
      for (let i = 0; i < ONTIME_WARMUP; i++) await onTime(unitOf());
      const samples: number[] = [];
      for (let i = 0; i < onTimeRuns; i++) samples.push((await onTime(unitOf())).ms);
      onTimeStats.push({ name: `onTime ${name} subtree, year ${year}`, samples, rows: expected });
      console.log(`onTime ${name}: ${expected} legal deadlines due in ${year} in ${sampleUnit ?? 'the whole province'}; rate ${check.rate}`);
    }

    // ---------------------------------------------------------------- report
    const stats: Stat[] = [
      stat('overdue, all pages', overdue.all, OVERDUE_TARGET_P99_MS),
      stat('  first pages', overdue.first),
      stat('  second pages', overdue.second),
      ...[...overdue.byScope.entries()].sort().map(([k, v]) => stat(`  ${k}`, v)),
      ...onTimeStats.map((o) => stat(o.name, o.samples, ONTIME_TARGET_P99_MS)),
    ];
    const pad = (s: string | number, w: number) => String(s).padStart(w);
    const ms = (x: number) => x.toFixed(1);
    console.log('');
    console.log(`${'query'.padEnd(34)}${pad('runs', 6)}${pad('p50 ms', 9)}${pad('p95 ms', 9)}${pad('p99 ms', 9)}${pad('max ms', 9)}${pad('target', 14)}  verdict`);
    for (const s of stats) {
      console.log(
        `${s.name.padEnd(34)}${pad(s.runs, 6)}${pad(ms(s.p50), 9)}${pad(ms(s.p95), 9)}${pad(ms(s.p99), 9)}${pad(ms(s.max), 9)}` +
          `${pad(s.targetMs ? `p99 ≤ ${s.targetMs} ms` : '', 14)}  ${s.verdict ?? ''}`,
      );
    }
    const m = machine();
    console.log('');
    console.log(`generation: ${cases.toLocaleString('en')} cases, ${counts.deadlines} deadlines in ${insertSeconds.toFixed(1)} s + VACUUM ANALYZE ${vacuumSeconds.toFixed(1)} s`);
    console.log(`machine: ${m.cpus} CPU(s) ${m.cpuModel}, ${m.totalMemGiB} GiB, Node ${m.node}, ${m.platform}; postgres: ${db.server}`);
    const rounded = (x: number) => Number(x.toFixed(2));
    console.log(
      JSON.stringify({
        bench: 'supervision-scale',
        at: new Date().toISOString(),
        machine: m,
        postgres: db.server,
        cases,
        counts,
        generationSeconds: rounded(insertSeconds),
        vacuumAnalyzeSeconds: rounded(vacuumSeconds),
        partialFirstPages: overdue.partialFirstPages,
        results: stats.map((s) => ({ ...s, name: s.name.trim(), p50: rounded(s.p50), p95: rounded(s.p95), p99: rounded(s.p99), max: rounded(s.max) })),
      }),
    );
    await cleanups.run();
    return 0;
  } catch (error) {
    console.error('benchmark FAILED:', error);
    await cleanups.run();
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error('benchmark FAILED:', error);
    process.exit(1);
  },
);
