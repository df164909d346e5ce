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

/**
 * Units and users, read from PostgreSQL and kept for a few seconds: every request needs the user, every list the
 * subtree, and the directory changes rarely. A change made through this process is seen at once.
 */
export class Directory {
  private units?: { byId: Map<string, UnitNode>; at: number };
  private users = new Map<string, { user: AuthUser | null; at: number }>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly ttlMs = 10_000,
  ) {}

  async user(id: string): Promise<AuthUser | null> {
    const hit = this.users.get(id);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.user;
    const row = await this.prisma.user.findUnique({ where: { id } });
    const user = row ? { id: row.id, name: row.name, roles: row.roles as Role[], unitId: row.unitId } : null;
    if (this.users.size > 10_000) this.users.clear();
    this.users.set(id, { user, at: Date.now() });
    return user;
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
  async allUsers(): Promise<AuthUser[]> {
    const rows = await this.prisma.user.findMany({ orderBy: [{ unitId: 'asc' }, { id: 'asc' }], take: 5000 });
    return rows.map((row) => ({ id: row.id, name: row.name, roles: row.roles as Role[], unitId: row.unitId }));
  }

  /** The users of one unit, by id. */
  async membersOf(unitId: string): Promise<AuthUser[]> {
    const rows = await this.prisma.user.findMany({ where: { unitId }, orderBy: { id: 'asc' } });
    return rows.map((row) => ({ id: row.id, name: row.name, roles: row.roles as Role[], unitId: row.unitId }));
  }

  async putUser(id: string, name: string, unitId: string, roles: Role[]): Promise<AuthUser> {
    await this.prisma.user.upsert({ where: { id }, create: { id, name, unitId, roles }, update: { name, unitId, roles } });
    this.users.delete(id);
    return { id, name, unitId, roles };
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
