import { CanActivate, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ForbiddenError, UnauthenticatedError } from '../cases/errors';
import type { AuthUser, Directory, Role } from './directory';
import type { TokenCheck } from './token-verifier';

const PUBLIC = 'auth:public';
const ROLES = 'auth:roles';

/** Reachable without a token (health, the deadline calculator, calendar coverage). */
export const Public = () => SetMetadata(PUBLIC, true);
/** Only users holding one of these roles (403 otherwise). */
export const RequireRoles = (...roles: Role[]) => SetMetadata(ROLES, roles);

type AuthedRequest = Request & { user?: AuthUser };

/** The authenticated user of the request; the actor of everything it records. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  const user = ctx.switchToHttp().getRequest<AuthedRequest>().user;
  if (!user) throw new UnauthenticatedError({ en: 'this endpoint needs a bearer token', zh: '此接口需要持有令牌（bearer token）' });
  return user;
});

/** Every endpoint needs `Authorization: Bearer <JWT>` unless marked @Public(). */
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verify: (token: string) => Promise<TokenCheck>,
    private readonly directory: Directory,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const header = req.headers.authorization;
    if (!header) throw new UnauthenticatedError({
        en: 'Authorization: Bearer <token> is required (a local install prints one with `npm run token -- <user>`)',
        zh: '须提供 Authorization: Bearer <令牌>（本地安装可用 `npm run token -- <用户>` 生成）',
      });
    const match = /^Bearer ([A-Za-z0-9_.~+/=-]+)$/.exec(header);
    if (!match) throw new UnauthenticatedError({ en: 'the Authorization header must be "Bearer <token>"', zh: 'Authorization 请求头须为“Bearer <令牌>”' });
    const check = await this.verify(match[1]);
    if (!check.ok) throw new UnauthenticatedError(check.reason);
    const user = await this.directory.user(check.subject);
    if (!user) throw new ForbiddenError({ en: `user ${check.subject} holds no role in this service (ask an administrator to add them)`, zh: `用户 ${check.subject} 在本服务中没有角色（请管理员添加）` }, 'unknown-user');
    req.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.some((r) => user.roles.includes(r))) {
      throw new ForbiddenError({
        en: `this needs the role ${roles.join(' or ')}; ${user.id} holds ${user.roles.join(', ')}`,
        zh: `此操作需要${roles.map(roleZh).join('或')}角色；${user.id} 的角色为${user.roles.map(roleZh).join('、')}`,
      });
    }
    return true;
  }
}

const ROLE_ZH: Record<Role, string> = { caseworker: '经办人', supervisor: '主管', admin: '管理员' };
export const roleZh = (role: Role): string => ROLE_ZH[role] ?? role;
