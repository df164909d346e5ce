import { createHash } from 'node:crypto';
import type { PrismaClient } from '@prisma/client';
import {
  Client,
  isGrpcDeadlineError,
  isGrpcServiceError,
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { kernelDefinitionFor } from '../../procedures';
import type { caseWorkflow } from '../../workflows/case.workflow';
import {
  ACTION_FAILED,
  ACTION_REFUSED,
  ActionResult,
  caseWorkflowId,
  CaseWorkflowInput,
  IDEMPOTENCY_KEY_REUSED,
  INVALID_ACTION,
  recordActionUpdate,
} from '../../workflows/contracts/case.contract';
import type { AuthUser, Directory } from '../auth/directory';
import { calendarFrom } from '../db/calendar-store';
import { caseExists, caseRows, insertFiledCase, kernelReadModel, readCase, readCasePage, readSubject, reassignCase } from '../db/case-store';
import type { PersonalDataCipher } from '../infra/personal-data';
import { InputProblem, Refusal } from '../domain/case-model';
import type { Said } from '../domain/said';
import { fileKernelCase, parseKernelAction, partyActions } from '../domain/kernel/case-kernel';
import { CalendarService } from './calendar.service';
import { CaseListItem, CaseView, PartyCaseListItem, PartyCaseView, toCaseListItem, toCaseView, toPartyListItem, toPartyView, unmaskedSubject } from './case-view';
import { CreditStatusService } from './credit-status.service';
import { ActionFailedError, ActionRefusedError, BadInputError, CaseNotFoundError, DependencyUnavailableError, DuplicateCaseError, ForbiddenError } from './errors';
import { caseIdFor, legacyCaseIdFor, parseCaseFiling, renewableDefinition } from './filing';
import type { RenewalsService } from './renewals.service';
import { countAction, countFiling } from '../observability/metrics';
import { waitingOn } from '../infra/request-waits';

export interface CaseListQuery {
  procedure?: string;
  state?: string;
  overdue?: boolean;
  dueBefore?: Date;
  q?: string;
  open?: boolean;
  /** `me` (the caller), `none` (nobody), or a user id. */
  assignee?: string;
  sort?: 'received' | 'due';
  limit: number;
  offset: number;
}

/** Filings in flight up to which a new case asks for eager start (measured with `npm run bench`, see README). */
const EAGER_START_MAX_IN_FLIGHT = 2;

export class CaseService {
  private filingsInFlight = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly temporal: Client,
    private readonly calendars: CalendarService,
    private readonly taskQueue: string,
    private readonly creditStatus: CreditStatusService,
    private readonly directory: Directory,
    /** Encrypts and opens the subject in PostgreSQL, and hashes it for search (decision 0021). */
    private readonly personalDataCipher: PersonalDataCipher,
    /** This process runs a worker on the client's connection, so the server may hand it a case's first task. */
    private readonly eagerStart = false,
    /** REQUEST_TIMEOUT_MS: how long a request waits for Temporal before it answers 503 (the call may still land). */
    private readonly requestTimeoutMs = 10_000,
    /** Notices renewing measures past their end (property rating, Art. 15). */
    private readonly renewals?: RenewalsService,
  ) {}

  /** Calls to Temporal not yet settled, including those a request stopped waiting for. */
  private readonly temporalCalls = new Set<Promise<void>>();

  /** Files a case: HTTP → workflow start → read-model row. A repeated idempotency key → DuplicateCaseError. */
  async start(body: unknown, user: AuthUser): Promise<CaseView> {
    const now = new Date();
    const deadline = now.getTime() + this.requestTimeoutMs;
    if (!user.roles.includes('caseworker') && !user.roles.includes('supervisor')) throw new ForbiddenError({ en: 'filing a case needs the role caseworker or supervisor', zh: '立案需要经办人或主管角色' });
    rejectClaimedActor(body, user);
    const procedure = (body as { procedure?: unknown } | null)?.procedure;
    const renewals = typeof procedure === 'string' && renewableDefinition(procedure) && this.renewals ? await this.renewals.renewalsOf(procedure) : [];
    const parsed = parseCaseFiling(body, now, renewals);
    if (!parsed.ok) {
      if ('refusal' in parsed) throw new ActionRefusedError(parsed.refusal);
      throw new BadInputError(parsed.problem);
    }
    const filing = { ...parsed.value, actor: user.id, unitId: (body as { unitId?: unknown }).unitId === undefined ? user.unitId : parsed.value.unitId };
    if (!(await this.directory.unit(filing.unitId))) throw new BadInputError({ field: 'unitId', message: `unit ${filing.unitId} does not exist`, messageZh: `单位 ${filing.unitId} 不存在` });
    if (!(await this.directory.canFileFor(user, filing.unitId))) {
      const below = user.roles.includes('supervisor');
      throw new ForbiddenError(
        {
          en: `${user.id} files for unit ${user.unitId}${below ? ' and the units below it' : ''}, not for ${filing.unitId}`,
          zh: `${user.id} 只能为单位 ${user.unitId}${below ? '及其下级单位' : ''}立案，不能为 ${filing.unitId} 立案`,
        },
        'unit-scope',
      );
    }
    // Same procedure, unit and key → same case id → same workflow id: Temporal refuses a second start
    // (REJECT_DUPLICATE) while it keeps the history; the read model remembers the key for ever, so it is asked first.
    // A case filed before keys belonged to their unit has the older id: it answers for its own unit only.
    const caseId = caseIdFor(filing.procedure, filing.unitId, filing.idempotencyKey);
    const legacyId = legacyCaseIdFor(filing.procedure, filing.idempotencyKey);
    const existing = await this.prisma.case.findMany({ where: { id: { in: [caseId, legacyId] } }, select: { id: true, unitId: true } });
    const taken = existing.find((r) => r.id === caseId) ?? existing.find((r) => r.id === legacyId && r.unitId === filing.unitId);
    if (taken) throw await this.duplicateOf(taken.id, user, deadline);

    const def = kernelDefinitionFor(filing.procedure, filing.definitionVersion)!;
    if (def.eligibility) {
      // One query more per filing: only where the procedure (or the variant filed) reads the subject's credit status.
      const reads = def.readsCreditStatus === true || (Array.isArray(def.readsCreditStatus) && def.readsCreditStatus.includes(filing.variant));
      const creditStatus = reads ? await this.creditStatus.statusOf(filing.subject.idNumber) : undefined;
      const hit = def.eligibility({ filing: filing.filing, variant: filing.variant, receivedAt: filing.receivedAt, subject: filing.subject, creditStatus });
      if (hit) {
        const rule = def.rules[hit.rule];
        throw new ActionRefusedError({ rule: rule.id, basis: rule.basis, message: hit.message, messageZh: hit.messageZh });
      }
    }

    const { seed, calendar } = await this.calendars.current();
    const input: CaseWorkflowInput = {
      caseId,
      idempotencyKey: filing.idempotencyKey,
      procedure: filing.procedure,
      definitionVersion: filing.definitionVersion,
      variant: filing.variant,
      unitId: filing.unitId,
      subject: filing.subject,
      receivedAt: filing.receivedAt,
      filedAt: now.toISOString(),
      actor: filing.actor,
      actorUnit: user.unitId,
      evidenceRef: filing.evidenceRef,
      filing: filing.filing,
      ...(filing.renewal ? { renewal: filing.renewal } : {}),
      calendar: calendarFrom(seed, Number(filing.receivedAt.slice(0, 4))),
    };
    this.filingsInFlight += 1;
    try {
      await this.temporalWithin(deadline, () =>
        this.temporal.workflow.start<typeof caseWorkflow>('caseWorkflow', {
          taskQueue: this.taskQueue,
          workflowId: caseWorkflowId(caseId),
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          // Eager start hands the first workflow task straight to this process's worker: faster for a lone filing,
          // but under a burst it queues every new case on this worker ahead of the task queue's balancing.
          requestEagerStart: this.eagerStart && this.filingsInFlight <= EAGER_START_MAX_IN_FLIGHT,
        }),
      );
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) throw await this.duplicateOf(caseId, user, deadline);
      throw error;
    } finally {
      this.filingsInFlight -= 1;
    }
    countFiling(filing.procedure);
    // The workflow writes the same snapshot (with a higher revision) on its first step; whichever lands first wins.
    const snapshot = kernelReadModel(fileKernelCase(def, calendar, input));
    await insertFiledCase(this.prisma, this.personalDataCipher, snapshot);
    const rows = caseRows(snapshot, now);
    const access = (await this.directory.accessTo(user, rows.case)) ?? 'owner';
    // The database assigns the case to its filer on the first insert, by the API or the worker (migration 20261205300000).
    const assigned = { assignee: user.id, assigneeName: user.name, assignedBy: user.id, assignedAt: now };
    return toCaseView({ ...rows.case, ...assigned, deadlines: rows.deadlines, events: rows.events, escalations: rows.escalations }, now, access);
  }

  /** Performs an action; the same Idempotency-Key again gets the first answer instead of a second step. */
  async act(caseId: string, body: unknown, user: AuthUser, idempotencyKey?: string): Promise<CaseView | PartyCaseView> {
    const deadline = Date.now() + this.requestTimeoutMs;
    if (!isCaseId(caseId)) throw new CaseNotFoundError(caseId);
    const row = await this.prisma.case.findUnique({
      where: { id: caseId },
      select: { id: true, procedure: true, definitionVersion: true, state: true, outcome: true, workflowId: true, details: true, unitId: true, parties: true },
    });
    const access = row ? await this.directory.accessTo(user, row) : null;
    if (!row || !access) throw new CaseNotFoundError(caseId);
    if (!user.roles.includes('caseworker') && !user.roles.includes('supervisor')) throw new ForbiddenError({ en: 'acting on a case needs the role caseworker or supervisor', zh: '办理案件需要经办人或主管角色' });
    rejectClaimedActor(body, user);
    const { actor: _claimed, ...ownFields } = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
    const actionBody = typeof body === 'object' && body !== null && !Array.isArray(body) ? ownFields : body;
    // What a key's receipt remembers of its request: a retry must repeat the body (in any key order), as the same user.
    const bodyHash = idempotencyKey ? hashOf(actionBody) : undefined;
    // A retry of an action that closed the case finds its receipt here: the workflow has finished.
    const receipts = (row.details as { actionReceipts?: StoredReceipt[] }).actionReceipts ?? [];
    const stored = idempotencyKey ? receipts.find((r) => r.key === idempotencyKey) : undefined;
    if (stored) {
      refuseReusedKey(stored, idempotencyKey!, bodyHash!, user.id);
      return (await this.find(caseId, user))!;
    }
    const def = kernelDefinitionFor(row.procedure, row.definitionVersion);
    if (!def) throw new Error(`case ${caseId} names no known definition (${row.procedure} v${row.definitionVersion})`);
    const parsed = parseKernelAction(def, actionBody);
    if (!parsed.ok) throw new BadInputError(parsed.problem);
    let result: ActionResult;
    try {
      const handle = this.temporal.workflow.getHandle(row.workflowId);
      const actor = { id: user.id, roles: user.roles, unitId: user.unitId, access };
      // The update id names the key, the body and the user: a retry while the first is still pending in Temporal
      // joins it (one step); the same key with another body or user is a request of its own, refused by the receipt.
      const updateId = idempotencyKey ? { id: `action:${idempotencyKey}:${hashOf([bodyHash, user.id]).slice(0, 32)}` } : {};
      result = await this.temporalWithin(deadline, () =>
        handle.executeUpdate(recordActionUpdate, { args: [{ body: actionBody, actor, ...(idempotencyKey ? { idempotencyKey, bodyHash } : {}) }], ...updateId }),
      );
    } catch (error) {
      const failure = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
      if (failure instanceof ApplicationFailure && failure.type === ACTION_REFUSED) throw new ActionRefusedError(failure.details?.[0] as Refusal);
      if (failure instanceof ApplicationFailure && failure.type === INVALID_ACTION) throw new BadInputError(failure.details?.[0] as InputProblem);
      if (failure instanceof ApplicationFailure && failure.type === ACTION_FAILED) throw new ActionFailedError(failure.message);
      if (error instanceof WorkflowNotFoundError || isCompletedWorkflowError(error)) {
        throw new ActionRefusedError({
          rule: 'case-closed',
          basis: 'A closed case accepts no further actions',
          message: `case ${caseId} is closed (${row.outcome ?? row.state})`,
          messageZh: `案件 ${caseId} 已办结（${row.outcome ?? row.state}）`,
        });
      }
      throw error;
    }
    if (!result.repeated) countAction(row.procedure, parsed.value.action);
    // The answer is the case with the step in it: a retry that found the key's receipt while the step was still being
    // written waits for it, instead of showing the case from before.
    await this.waitForRevision(caseId, result.revision, deadline);
    return (await this.find(caseId, user))!;
  }

  /** Until the read model holds `revision` of the case, or the request's deadline (503: retrying is safe). */
  private async waitForRevision(caseId: string, revision: number, deadline: number): Promise<void> {
    for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
      const row = await this.prisma.case.findUnique({ where: { id: caseId }, select: { revision: true } });
      if (row && row.revision >= revision) return;
      if (Date.now() + pause > deadline) {
        throw new DependencyUnavailableError('Temporal', {
          en: `the action was taken but its result is not written yet (REQUEST_TIMEOUT_MS ${this.requestTimeoutMs})`,
          zh: `操作已受理，但结果尚未写入（REQUEST_TIMEOUT_MS ${this.requestTimeoutMs}）`,
        });
      }
      await new Promise((r) => setTimeout(r, pause));
    }
  }

  async find(caseId: string, user: AuthUser): Promise<CaseView | PartyCaseView | null> {
    if (!isCaseId(caseId)) return null;
    const row = await readCase(this.prisma, this.personalDataCipher, caseId);
    const access = row ? await this.directory.accessTo(user, row) : null;
    if (!row || !access) return null;
    const now = new Date();
    if (access === 'party') return toPartyView(row, user.unitId, partyActionsOf(row), now);
    const view = toCaseView(row, now, access);
    view.personalDataReads = await this.personalDataReads(caseId);
    return view;
  }

  /** The unmasked subject, for the users of the unit handling the case; the read is recorded before it is shown. */
  async personalData(caseId: string, user: AuthUser): Promise<CaseView['subject']> {
    if (!isCaseId(caseId)) throw new CaseNotFoundError(caseId);
    const row = await readSubject(this.prisma, this.personalDataCipher, caseId);
    const access = row ? await this.directory.accessTo(user, row) : null;
    if (!row || !access) throw new CaseNotFoundError(caseId);
    if (access !== 'owner' || !(user.roles.includes('caseworker') || user.roles.includes('supervisor'))) {
      throw new ForbiddenError(
        { en: 'personal information is shown in full only to the unit handling the case (Social Credit Regulation Art. 23 ¶4)', zh: '个人信息只向承办本案的单位完整显示（《社会信用条例》第二十三条第四款）' },
        'personal-data',
      );
    }
    const fields = row.subjectKind === 'person' ? ['name', 'idNumber'] : ['name', 'uscc'];
    await this.prisma.personalDataRead.create({ data: { caseId, userId: user.id, unitId: user.unitId, fields } });
    return unmaskedSubject(row);
  }

  private async personalDataReads(caseId: string) {
    const reads = await this.prisma.personalDataRead.findMany({ where: { caseId }, orderBy: { at: 'asc' }, take: 200 });
    return reads.map((r) => ({ user: r.userId, unit: r.unitId, fields: r.fields, at: r.at.toISOString() }));
  }

  async list(q: CaseListQuery, user: AuthUser): Promise<{ items: (CaseListItem | PartyCaseListItem)[]; total: number; limit: number; offset: number }> {
    const now = new Date();
    const units = await this.directory.visibleUnits(user);
    const { rows, total } = await readCasePage(
      this.prisma,
      this.personalDataCipher,
      {
        scope: units === 'all' ? undefined : { units, partyUnit: user.unitId },
        procedure: q.procedure,
        state: q.state,
        overdue: q.overdue,
        dueBefore: q.dueBefore,
        q: q.q,
        open: q.open,
        assignee: q.assignee === 'me' ? user.id : q.assignee === 'none' ? null : q.assignee,
        sort: q.sort,
        now,
      },
      q.limit,
      q.offset,
    );
    const items = await Promise.all(
      rows.map(async (r) => {
        const access = (await this.directory.accessTo(user, r))!;
        return access === 'party' ? toPartyListItem(r, user.unitId, partyActionsOf(r), now) : toCaseListItem(r, now, access);
      }),
    );
    return { items, total, limit: q.limit, offset: q.offset };
  }

  /**
   * Sets who handles a case (decision 0020): not a legal step, so it is written beside the workflow, with its own
   * history. A caseworker or supervisor of the owning unit claims an unassigned case (or one already theirs);
   * anything else needs a supervisor of the owning unit or above, or an administrator.
   */
  async assign(caseId: string, body: unknown, user: AuthUser): Promise<CaseView> {
    if (!isCaseId(caseId)) throw new CaseNotFoundError(caseId);
    const target = parseAssigneeBody(body);
    for (;;) {
      const row = await this.prisma.case.findUnique({ where: { id: caseId }, select: { unitId: true, parties: true, state: true, outcome: true, closedAt: true, assignee: true } });
      const access = row ? await this.directory.accessTo(user, row) : null;
      if (!row || !access) throw new CaseNotFoundError(caseId);
      if (access === 'party') {
        throw new ForbiddenError({ en: `only unit ${row.unitId}, which handles the case, assigns it`, zh: `只有承办本案的单位 ${row.unitId} 可以分配本案` }, 'unit-scope');
      }
      if (target !== row.assignee) {
        const claim = target === user.id && (row.assignee === null || row.assignee === user.id);
        const supervises = access === 'admin' || (user.roles.includes('supervisor') && (access === 'owner' || access === 'supervisor'));
        if (!(claim || supervises)) {
          throw new ForbiddenError(
            row.assignee && row.assignee !== user.id && target === user.id
              ? { en: `case ${caseId} is assigned to ${row.assignee}: taking it needs a supervisor of unit ${row.unitId} or above`, zh: `案件 ${caseId} 已分配给 ${row.assignee}：改由他人承办须经单位 ${row.unitId} 或其上级单位的主管` }
              : { en: `assigning a case to someone else, or unassigning it, needs a supervisor of unit ${row.unitId} or above`, zh: `将案件分配给他人或取消分配，须经单位 ${row.unitId} 或其上级单位的主管` },
            'assignment-needs-supervisor',
          );
        }
        if (target !== null) await this.requireAssignable(target, row.unitId);
        if (row.closedAt) {
          throw new ActionRefusedError({
            rule: 'case-closed',
            basis: 'A closed case accepts no further actions',
            message: `case ${caseId} is closed (${row.outcome ?? row.state}): it is no longer assigned`,
            messageZh: `案件 ${caseId} 已办结（${row.outcome ?? row.state}），不再分配`,
          });
        }
        // Lost to a concurrent change: decide again on what is there now.
        if (!(await reassignCase(this.prisma, caseId, row.assignee, target, user.id, new Date()))) continue;
      }
      return (await this.find(caseId, user)) as CaseView;
    }
  }

  /** Only a caseworker or supervisor of the owning unit handles its cases. */
  private async requireAssignable(userId: string, unitId: string): Promise<void> {
    const standing = await this.directory.standing(userId);
    const assignee = standing?.user;
    const why = !assignee
      ? { en: `there is no user ${userId}`, zh: `没有用户 ${userId}` }
      : !standing.active
        ? { en: `${userId} has been deactivated`, zh: `${userId} 已被停用` }
      : assignee.unitId !== unitId
        ? { en: `${userId} is a user of unit ${assignee.unitId}, not of unit ${unitId}, which handles the case`, zh: `${userId} 属于单位 ${assignee.unitId}，不属于承办本案的单位 ${unitId}` }
        : !assignee.roles.includes('caseworker') && !assignee.roles.includes('supervisor')
          ? { en: `${userId} holds neither the role caseworker nor supervisor`, zh: `${userId} 既不是经办人也不是主管` }
          : null;
    if (why) throw new BadInputError({ field: 'userId', message: `cannot assign the case: ${why.en}`, messageZh: `不能分配本案：${why.zh}` });
  }

  /**
   * A call to Temporal bounded by the request's deadline (gRPC deadline on the connection, and a timer in case a
   * call does not honour it). Past it → DependencyUnavailableError (503 + Retry-After); what was sent may still land,
   * which is why retries carry idempotency keys.
   */
  private async temporalWithin<T>(deadline: number, call: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DependencyUnavailableError('Temporal', this.timeoutMessage())), Math.max(0, deadline - Date.now()) + 500);
    });
    const pending = waitingOn('Temporal', this.temporal.withDeadline(deadline, call));
    const settled: Promise<void> = pending.then(
      () => this.temporalCalls.delete(settled),
      () => this.temporalCalls.delete(settled),
    ) as Promise<unknown> as Promise<void>;
    this.temporalCalls.add(settled);
    try {
      return await Promise.race([pending, expired]);
    } catch (error) {
      // Past the deadline, whatever the SDK says (a cancelled or reset call on a hung server): the call ran out of time.
      const failure = temporalFailure(error) ?? (Date.now() >= deadline && (error instanceof ServiceError || isGrpcServiceError(error)) ? 'timeout' : undefined);
      if (failure === 'unreachable') throw new DependencyUnavailableError('Temporal', { en: 'Temporal cannot be reached (TEMPORAL_ADDRESS)', zh: '无法连接 Temporal（TEMPORAL_ADDRESS）' });
      if (failure === 'timeout') throw new DependencyUnavailableError('Temporal', this.timeoutMessage());
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Waits (at most `maxMs`) for calls to Temporal that requests gave up on: the SDK retries them in the background
   * until their gRPC deadline, and a retry on a connection closed meanwhile would throw outside any request.
   */
  async settleTemporalCalls(maxMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all([...this.temporalCalls]), new Promise((resolve) => (timer = setTimeout(resolve, maxMs)))]);
    clearTimeout(timer);
  }

  private timeoutMessage(): Said {
    return { en: `Temporal did not answer within ${this.requestTimeoutMs} ms (REQUEST_TIMEOUT_MS)`, zh: `Temporal 未在 ${this.requestTimeoutMs} 毫秒内应答（REQUEST_TIMEOUT_MS）` };
  }

  /**
   * The 409 of a repeated filing key names the existing case once it reads 200 for this user: a concurrent first start
   * may not have written its row yet, so it is waited for until the request's deadline (then 503: retrying is safe).
   */
  private async duplicateOf(caseId: string, user: AuthUser, deadline: number): Promise<DuplicateCaseError | DependencyUnavailableError> {
    for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
      const found = await this.find(caseId, user);
      if (found) return new DuplicateCaseError(found);
      // The row may have been written between the two reads: read it once more before calling it one this user cannot
      // read (the key is taken, and the case is not named).
      if (await caseExists(this.prisma, caseId)) return new DuplicateCaseError((await this.find(caseId, user)) ?? undefined);
      if (Date.now() + pause > deadline) {
        return new DependencyUnavailableError('Temporal', {
          en: `a case with this idempotencyKey was started but is not written yet (REQUEST_TIMEOUT_MS ${this.requestTimeoutMs})`,
          zh: `使用此 idempotencyKey 的案件已启动，但尚未写入（REQUEST_TIMEOUT_MS ${this.requestTimeoutMs}）`,
        });
      }
      await new Promise((r) => setTimeout(r, pause));
    }
  }
}

interface StoredReceipt {
  key: string;
  action: string;
  bodyHash?: string;
  actor?: string;
}

/** As the workflow's receipt check (workflows/case.workflow.ts), on a receipt read from the read model. */
function refuseReusedKey(receipt: StoredReceipt, key: string, bodyHash: string, userId: string): void {
  if (receipt.bodyHash === undefined) return;
  const otherUser = receipt.actor !== userId;
  if (!otherUser && receipt.bodyHash === bodyHash) return;
  throw new ActionRefusedError({
    rule: IDEMPOTENCY_KEY_REUSED,
    basis: 'An Idempotency-Key names one request: a retry repeats its body, from the same user',
    message: otherUser
      ? `Idempotency-Key ${key} was used by another user on this case; send a new key`
      : `Idempotency-Key ${key} was used with another body (${receipt.action}); send a new key for a new request`,
    messageZh: otherUser ? `Idempotency-Key ${key} 已被其他用户用于本案；请使用新的键` : `Idempotency-Key ${key} 已用于另一个请求体（${receipt.action}）；新请求请使用新的键`,
  });
}

/** SHA-256 of a JSON value with its object keys sorted, so the same body in another key order hashes alike. */
export function hashOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The actor is the authenticated user: a body may repeat it, never name someone else. */
function rejectClaimedActor(body: unknown, user: AuthUser): void {
  const claimed = typeof body === 'object' && body !== null ? (body as { actor?: unknown }).actor : undefined;
  if (claimed !== undefined && claimed !== user.id) {
    throw new BadInputError({
      field: 'actor',
      message: `the actor is the authenticated user (${user.id}), taken from the token: leave actor out`,
      messageZh: `操作人即已登录的用户（${user.id}），取自令牌：请不要提供 actor`,
    });
  }
}

/** `{ "userId": "<user id>" | null }` and nothing else. */
function parseAssigneeBody(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadInputError({ field: 'body', message: 'the body must be a JSON object: { "userId": "<user id>" | null }', messageZh: '请求体须为 JSON 对象：{ "userId": "<用户编号>" | null }' });
  }
  const extra = Object.keys(body).find((k) => k !== 'userId');
  if (extra) throw new BadInputError({ field: extra, message: `${extra} is not a field; the body is { "userId": "<user id>" | null }`, messageZh: `${extra} 不是可接受的字段；请求体为 { "userId": "<用户编号>" | null }` });
  const userId = (body as { userId?: unknown }).userId;
  if (userId === null) return null;
  if (typeof userId !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(userId)) {
    throw new BadInputError({ field: 'userId', message: 'userId must be a user id (1–200 visible ASCII characters) or null to unassign', messageZh: 'userId 须为用户编号（1–200 个可见 ASCII 字符），或为 null 以取消分配' });
  }
  return userId;
}

function partyActionsOf(row: { procedure: string; definitionVersion: number }): PartyCaseView['actions'] {
  const def = kernelDefinitionFor(row.procedure, row.definitionVersion);
  return def ? partyActions(def) : [];
}

/** The form of every case id (a UUID): anything else is a case that does not exist, and never reaches PostgreSQL. */
export function isCaseId(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

/** A call that ran out of time, or that found no server (the SDK retries UNAVAILABLE until the deadline). */
function temporalFailure(error: unknown): 'timeout' | 'unreachable' | undefined {
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(error)) return 'timeout';
  const cause = error instanceof Error ? error.cause : undefined;
  if ([error, cause].some((e) => isGrpcServiceError(e) && e.code === GRPC_DEADLINE_EXCEEDED)) return 'timeout';
  if ([error, cause].some((e) => isGrpcServiceError(e) && e.code === GRPC_UNAVAILABLE)) return 'unreachable';
  return undefined;
}
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

function isCompletedWorkflowError(error: unknown): boolean {
  return error instanceof Error && /workflow execution already completed/i.test(error.message);
}
