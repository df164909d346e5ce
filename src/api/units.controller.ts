import { Body, Controller, Get, Inject, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ref } from './dto/responses';
import { CurrentUser, RequireRoles } from '../auth/auth.guard';
import { AuthUser, Directory, Role, ROLES } from '../auth/directory';
import { BadInputError, ForbiddenError, NotFoundError } from '../cases/errors';
import { isStorableText } from '../domain/kernel/schema';

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const NAME = { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' };

@ApiTags('units')
@ApiBearerAuth()
@Controller()
export class UnitsController {
  constructor(@Inject(Directory) private readonly directory: Directory) {}

  @Get('units')
  @ApiOperation({ summary: 'The units this user sees: their own and (supervisors, administrators) the ones below it' })
  @ApiResponse({ status: 200, description: 'Units by their place in the tree', schema: ref('Units') })
  async units(@CurrentUser() user: AuthUser) {
    const all = await this.directory.unitMap();
    const scope = await this.directory.visibleUnits(user);
    const visible = [...all.values()].filter((u) => scope === 'all' || scope.includes(u.id));
    return { items: visible.sort((a, b) => a.path.localeCompare(b.path)).map((u) => ({ id: u.id, name: u.name, parentId: u.parentId })) };
  }

  @Get('units/:id/members')
  @ApiOperation({ summary: "The users of a unit with their roles (supervisors of the unit or a unit above it, administrators): whom a case of the unit can be assigned to" })
  @ApiParam({ name: 'id', schema: { type: 'string' } })
  @ApiResponse({ status: 200, description: 'The users of the unit, by id', schema: ref('UnitMembers') })
  @ApiResponse({ status: 403, description: 'unit-scope: the unit is not within the one this user supervises; role: not a supervisor or administrator' })
  @ApiResponse({ status: 404, description: 'No such unit' })
  async members(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    if (!(await this.directory.unit(id))) throw new NotFoundError({ en: `unit ${id.slice(0, 100)} does not exist`, zh: `单位 ${id.slice(0, 100)} 不存在` });
    if (!user.roles.includes('admin')) {
      if (!user.roles.includes('supervisor')) throw new ForbiddenError({ en: "a unit's members are listed for supervisors and administrators", zh: '单位成员列表仅向主管和管理员显示' });
      if (!(await this.directory.isWithin(id, user.unitId))) {
        throw new ForbiddenError({ en: `unit ${id} is not within ${user.unitId}, the unit ${user.id} supervises`, zh: `单位 ${id} 不在 ${user.id} 所主管的单位 ${user.unitId} 之内` }, 'unit-scope');
      }
    }
    return { items: (await this.directory.membersOf(id)).map(({ id: userId, name, roles }) => ({ id: userId, name, roles })) };
  }

  @Put('units/:id')
  @RequireRoles('admin')
  @ApiOperation({ summary: 'Add a unit under a parent, or rename one (administrators). Units do not move.' })
  @ApiParam({ name: 'id', schema: { type: 'string', pattern: ID.source } })
  @ApiBody({ schema: { type: 'object', required: ['name'], properties: { name: NAME, parentId: { type: 'string', nullable: true, description: 'required for a new unit unless the tree is empty; never changes' } }, additionalProperties: false } })
  @ApiResponse({ status: 200, description: 'The unit as stored', schema: ref('Unit') })
  async putUnit(@Param('id') id: string, @Body() body: unknown) {
    const b = objectBody(body, ['name', 'parentId']);
    if (!ID.test(id)) throw new BadInputError({ field: 'id', message: 'a unit id is 1–100 letters, digits, _ . - (starting with a letter or digit)', messageZh: '单位编号为 1–100 个字母、数字或 _ . -（以字母或数字开头）' });
    const name = text(b.name, 'name');
    const parentId = b.parentId === undefined || b.parentId === null ? null : text(b.parentId, 'parentId');
    const units = await this.directory.unitMap();
    if (parentId && !units.has(parentId)) throw new BadInputError({ field: 'parentId', message: `unit ${parentId} does not exist`, messageZh: `单位 ${parentId} 不存在` });
    const existing = units.get(id);
    if (existing && existing.parentId !== parentId) {
      throw new BadInputError({ field: 'parentId', message: `unit ${id} is under ${existing.parentId ?? 'no parent'}: units do not move (their cases' history names them)`,
        messageZh: `单位 ${id} 隶属于 ${existing.parentId ?? '（无上级）'}：单位不能移动（其案件的记录写明了它们）`,
      });
    }
    if (!existing && !parentId && [...units.values()].some((u) => u.parentId === null)) {
      throw new BadInputError({ field: 'parentId', message: 'the tree has a root already: give parentId', messageZh: '单位树已有根单位：请给出 parentId' });
    }
    const u = await this.directory.putUnit(id, name, parentId);
    return { id: u.id, name: u.name, parentId: u.parentId };
  }

  @Get('users')
  @RequireRoles('admin')
  @ApiOperation({ summary: 'Every user with their unit, roles and whether they are active (administrators), by unit then id; at most 5,000' })
  @ApiResponse({ status: 200, description: 'The users', schema: ref('Users') })
  async users() {
    return { items: (await this.directory.allUsers()).map(({ id, name, unitId, roles, active }) => ({ id, name, unitId, roles, active })) };
  }

  @Put('users/:id')
  @RequireRoles('admin')
  @ApiOperation({
    summary:
      'Add or change a user: roles in one unit (administrators). The id is the `sub` of their tokens. `active: false` deactivates them: every request with any token of theirs is refused from the next one on, and tokens issued before a deactivation or reactivation never count again. `{ "active": … }` alone changes only that.',
  })
  @ApiBody({
    schema: {
      oneOf: [
        {
          type: 'object',
          required: ['name', 'unitId', 'roles'],
          properties: { name: NAME, unitId: { type: 'string' }, roles: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: ROLES } }, active: { type: 'boolean' } },
          additionalProperties: false,
        },
        { type: 'object', required: ['active'], properties: { active: { type: 'boolean' } }, additionalProperties: false },
      ],
    },
  })
  @ApiParam({ name: 'id', schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,200}$' }, description: 'the `sub` of their tokens' })
  @ApiResponse({ status: 200, description: 'The user as stored', schema: ref('User') })
  @ApiResponse({ status: 400, description: 'A field breaks its rule (named in `field`); an administrator cannot deactivate themselves' })
  @ApiResponse({ status: 404, description: '`{ "active": … }` alone for a user who does not exist' })
  async putUser(@Param('id') id: string, @Body() body: unknown, @CurrentUser() admin: AuthUser) {
    const b = objectBody(body, ['name', 'unitId', 'roles', 'active']);
    if (!/^[\x21-\x7e]{1,200}$/.test(id)) throw new BadInputError({ field: 'id', message: 'a user id is 1–200 visible ASCII characters (the `sub` of their tokens)', messageZh: '用户编号为 1–200 个可见 ASCII 字符（其令牌的 `sub`）' });
    if (b.active !== undefined && typeof b.active !== 'boolean') throw new BadInputError({ field: 'active', message: 'active must be true or false', messageZh: 'active 须为 true 或 false' });
    if (b.active === false && id === admin.id) throw new BadInputError({ field: 'active', message: 'an administrator cannot deactivate themselves', messageZh: '管理员不能停用自己' });
    if (Object.keys(b).length === 1 && b.active !== undefined) {
      const changed = await this.directory.setActive(id, b.active, admin.id);
      if (!changed) throw new NotFoundError({ en: `there is no user ${id}: give name, unitId and roles to add one`, zh: `没有用户 ${id}：新增用户须给出 name、unitId 和 roles` });
      return changed;
    }
    const name = text(b.name, 'name');
    const unitId = text(b.unitId, 'unitId');
    if (!(await this.directory.unit(unitId))) throw new BadInputError({ field: 'unitId', message: `unit ${unitId} does not exist`, messageZh: `单位 ${unitId} 不存在` });
    const roles = b.roles;
    if (!Array.isArray(roles) || !roles.length || roles.some((r) => !ROLES.includes(r as Role)) || new Set(roles).size !== roles.length) {
      throw new BadInputError({ field: 'roles', message: `roles must be a non-empty list of distinct: ${ROLES.join(', ')}`, messageZh: `roles 须为不重复、非空的列表，取值：${ROLES.join('、')}` });
    }
    if (id === admin.id && !roles.includes('admin')) throw new BadInputError({ field: 'roles', message: 'an administrator cannot take away their own admin role', messageZh: '管理员不能取消自己的管理员角色' });
    const stored = await this.directory.putUser(id, name, unitId, roles as Role[]);
    return typeof b.active === 'boolean' ? ((await this.directory.setActive(id, b.active, admin.id)) ?? stored) : stored;
  }
}

function objectBody(body: unknown, fields: string[]): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadInputError({ field: 'body', message: 'the body must be a JSON object', messageZh: '请求体须为 JSON 对象' });
  const extra = Object.keys(body).find((k) => !fields.includes(k));
  if (extra) throw new BadInputError({ field: extra, message: `${extra} is not a field; use ${fields.join(', ')}`, messageZh: `${extra} 不是可接受的字段；可用：${fields.join('、')}` });
  return body as Record<string, unknown>;
}

function text(v: unknown, field: string): string {
  if (typeof v !== 'string' || !v.trim() || v.length > 200 || !isStorableText(v)) {
    throw new BadInputError({ field, message: `${field} must be a non-empty string of at most 200 characters without NUL or unpaired surrogates`,
      messageZh: `${field} 须为非空文本，最多 200 个字符，不含 NUL 或不成对的代理项`,
    });
  }
  return v.trim();
}
