import type { PrismaClient } from '@prisma/client';

export type Role = 'caseworker' | 'supervisor' | 'admin';
export const ROLES: Role[] = ['caseworker', 'supervisor', 'admin'];

export interface AuthUser {
  id: string;
  name: string;
  roles: Role[];
  unitId: string;
}

export interface UnitNode {
  id: string;
  name: string;
  parentId: string | null;
  path: string;
}

/** How a user stands to one case: which decides what they see of it and what they may do. */
export type CaseAccess = 'owner' | 'party' | 'supervisor' | 'admin';

/** What the guard needs of the token's user at every request: whether they may act, and since when their tokens count. */
export interface UserStanding {
  user: AuthUser;
  active: boolean;
  /** Tokens issued before this are refused (set at every deactivation and reactivation); null: all count. */
  tokensValidAfter: Date | null;
}

export interface UserEntry extends AuthUser {
  active: boolean;
}

/**
 * Units and users, read from PostgreSQL. Units are kept for a few seconds (every list needs the subtree and the tree
 * changes rarely). Users are read at every request, by primary key: a deactivation must stop the user's next request
 * in every API process, and a cache would outlive it there (decision 0022).
 */
export class Directory {
  private units?: { byId: Map<string, UnitNode>; at: number };

  constructor(
    private readonly prisma: PrismaClient,
    private readonly ttlMs = 10_000,
  ) {}

  async standing(id: string): Promise<UserStanding | null> {
    const row = await this.prisma.user.findUnique({ where: { id } });
    if (!row) return null;
    return { user: { id: row.id, name: row.name, roles: row.roles as Role[], unitId: row.unitId }, active: row.active, tokensValidAfter: row.tokensValidAfter };
  }

  /** An active user (a deactivated one is no one to assign or sign in). */
  async user(id: string): Promise<AuthUser | null> {
    const standing = await this.standing(id);
    return standing?.active ? standing.user : null;
  }

  async unitMap(): Promise<Map<string, UnitNode>> {
    if (!this.units || Date.now() - this.units.at > this.ttlMs) {
      const rows = await this.prisma.unit.findMany({ select: { id: true, name: true, parentId: true, path: true } });
      this.units = { byId: new Map(rows.map((u) => [u.id, u])), at: Date.now() };
    }
    return this.units.byId;
  }

  async unit(id: string): Promise<UnitNode | undefined> {
    return (await this.unitMap()).get(id);
  }

  /** The unit and every unit below it. */
  async subtree(unitId: string): Promise<string[]> {
    const units = await this.unitMap();
    const root = units.get(unitId);
    if (!root) return [];
    return [...units.values()].filter((u) => u.path.startsWith(root.path)).map((u) => u.id);
  }

  async isWithin(unitId: string, ancestorId: string): Promise<boolean> {
    const units = await this.unitMap();
    const unit = units.get(unitId);
    const ancestor = units.get(ancestorId);
    return !!unit && !!ancestor && unit.path.startsWith(ancestor.path);
  }

  /** The units a user may file for: their own; a supervisor or administrator also the units below theirs. */
  async canFileFor(user: AuthUser, unitId: string): Promise<boolean> {
    if (unitId === user.unitId) return (await this.unit(unitId)) !== undefined;
    return (user.roles.includes('supervisor') || user.roles.includes('admin')) && this.isWithin(unitId, user.unitId);
  }

  /** Object-level access: null means the case does not exist for this user (404). */
  async accessTo(user: AuthUser, c: { unitId: string; parties: string[] }): Promise<CaseAccess | null> {
    if (user.roles.includes('admin')) return 'admin';
    if (c.unitId === user.unitId) return 'owner';
    if (user.roles.includes('supervisor') && (await this.isWithin(c.unitId, user.unitId))) return 'supervisor';
    if (c.parties.includes(user.unitId)) return 'party';
    return null;
  }

  /** Units whose cases a user sees in lists: their own (a supervisor: the subtree); administrators see all. */
  async visibleUnits(user: AuthUser): Promise<string[] | 'all'> {
    if (user.roles.includes('admin')) return 'all';
    return user.roles.includes('supervisor') ? this.subtree(user.unitId) : [user.unitId];
  }

  async putUnit(id: string, name: string, parentId: string | null): Promise<UnitNode> {
    const units = await this.unitMap();
    const parent = parentId ? units.get(parentId) : undefined;
    const path = `${parent ? parent.path : ''}${id}/`;
    const row = await this.prisma.unit.upsert({ where: { id }, create: { id, name, parentId, path }, update: { name } });
    this.units = undefined;
    return row;
  }

  /** Every user, by unit then id (the administrators' list). */
  async allUsers(): Promise<UserEntry[]> {
    const rows = await this.prisma.user.findMany({ orderBy: [{ unitId: 'asc' }, { id: 'asc' }], take: 5000 });
    return rows.map((row) => ({ id: row.id, name: row.name, roles: row.roles as Role[], unitId: row.unitId, active: row.active }));
  }

  /** The active users of one unit, by id. */
  async membersOf(unitId: string): Promise<AuthUser[]> {
    const rows = await this.prisma.user.findMany({ where: { unitId, active: true }, orderBy: { id: 'asc' } });
    return rows.map((row) => ({ id: row.id, name: row.name, roles: row.roles as Role[], unitId: row.unitId }));
  }

  async putUser(id: string, name: string, unitId: string, roles: Role[]): Promise<UserEntry> {
    const row = await this.prisma.user.upsert({ where: { id }, create: { id, name, unitId, roles }, update: { name, unitId, roles } });
    return { id, name, unitId, roles, active: row.active };
  }

  /**
   * Deactivates or reactivates a user, recording who did it. Either way every token issued until now stops counting:
   * a token taken before someone left must not come back to life when they return.
   */
  async setActive(id: string, active: boolean, by: string): Promise<UserEntry | null> {
    return this.prisma.$transaction(async (tx) => {
      const now = new Date();
      const updated = await tx.user.updateMany({ where: { id, active: !active }, data: { active, tokensValidAfter: now } });
      const row = await tx.user.findUnique({ where: { id } });
      if (!row) return null;
      if (updated.count) await tx.userStatusChange.create({ data: { userId: id, active, by, at: now } });
      return { id: row.id, name: row.name, unitId: row.unitId, roles: row.roles as Role[], active: row.active };
    });
  }
}

/** The demo directory of a local install (contract: units root ⊃ a, b; the users below). */
export const DEMO_UNITS: { id: string; name: string; parentId: string | null }[] = [
  { id: 'root', name: 'Provincial credit office (demo)', parentId: null },
  { id: 'a', name: 'City unit A (demo)', parentId: 'root' },
  { id: 'b', name: 'City unit B (demo)', parentId: 'root' },
  { id: 'default-unit', name: 'Cases filed before units existed', parentId: 'root' },
];

export const DEMO_USERS: { id: string; name: string; unitId: string; roles: Role[] }[] = [
  { id: 'caseworker-a', name: 'Caseworker of unit A', unitId: 'a', roles: ['caseworker'] },
  { id: 'caseworker-b', name: 'Caseworker of unit B', unitId: 'b', roles: ['caseworker'] },
  { id: 'supervisor-a', name: 'Supervisor of unit A', unitId: 'a', roles: ['supervisor'] },
  { id: 'supervisor-b', name: 'Supervisor of unit B', unitId: 'b', roles: ['supervisor'] },
  { id: 'supervisor-root', name: 'Supervisor of the provincial office', unitId: 'root', roles: ['supervisor'] },
  { id: 'admin', name: 'Administrator', unitId: 'root', roles: ['admin'] },
];

/** Adds the demo units and users that are missing; never changes existing ones. Safe to run concurrently. */
export async function seedDemoDirectory(prisma: PrismaClient): Promise<void> {
  for (const u of DEMO_UNITS) {
    const path = u.parentId ? `root/${u.id}/` : `${u.id}/`;
    await prisma.$executeRaw`INSERT INTO units (id, name, parent_id, path) VALUES (${u.id}, ${u.name}, ${u.parentId}, ${path}) ON CONFLICT DO NOTHING`;
  }
  for (const u of DEMO_USERS) {
    await prisma.$executeRaw`INSERT INTO users (id, name, unit_id, roles) VALUES (${u.id}, ${u.name}, ${u.unitId}, ${u.roles}::text[]) ON CONFLICT DO NOTHING`;
  }
}
