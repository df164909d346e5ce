import { CanActivate, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ForbiddenError, UnauthenticatedError } from '../cases/errors';
import type { AuthUser, Directory, Role } from './directory';
import type { TokenCheck } from './token-verifier';

const PUBLIC = 'auth:public';
const ROLES = 'auth:roles';
const OPTIONAL_USER = 'auth:optional-user';

/** Reachable without a token (health, the deadline calculator, calendar coverage). */
export const Public = () => SetMetadata(PUBLIC, true);
/** On a @Public() endpoint: a bearer token, when given, is checked and its user is the request's (else there is none). */
export const OptionalUser = () => SetMetadata(OPTIONAL_USER, true);
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
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const header = req.headers.authorization;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) {
      // A token given to a public endpoint that reads it (the codec endpoint) is held to the same rules as anywhere.
      if (header && this.reflector.getAllAndOverride<boolean>(OPTIONAL_USER, targets)) req.user = await this.authenticate(bearer(header));
      return true;
    }
    if (!header) throw new UnauthenticatedError({
        en: 'Authorization: Bearer <token> is required (a local install prints one with `npm run token -- <user>`)',
        zh: '须提供 Authorization: Bearer <令牌>（本地安装可用 `npm run token -- <用户>` 生成）',
      });
    const user = await this.authenticate(bearer(header));
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

  /**
   * The token's user, read at every request (no cache: a deactivation holds in every API process at once). A
   * deactivated user is refused, and so is a token issued before their last deactivation or reactivation.
   */
  private async authenticate(token: string): Promise<AuthUser> {
    const check = await this.verify(token);
    if (!check.ok) throw new UnauthenticatedError(check.reason);
    const standing = await this.directory.standing(check.subject);
    if (!standing) throw new ForbiddenError({ en: `user ${check.subject} holds no role in this service (ask an administrator to add them)`, zh: `用户 ${check.subject} 在本服务中没有角色（请管理员添加）` }, 'unknown-user');
    if (!standing.active) {
      throw new ForbiddenError({ en: `user ${check.subject} has been deactivated: none of their tokens is accepted (an administrator can reactivate them)`, zh: `用户 ${check.subject} 已被停用：其任何令牌均不再被接受（管理员可重新启用）` }, 'user-deactivated');
    }
    if (standing.tokensValidAfter && !issuedAfter(check.issuedAt, standing.tokensValidAfter)) {
      throw new UnauthenticatedError({
        en: `this token of ${check.subject} was issued before their account was last deactivated or reactivated, and no longer counts: sign in again`,
        zh: `${check.subject} 的此令牌签发于其账号最近一次停用或重新启用之前，已失效：请重新登录`,
      });
    }
    return standing.user;
  }
}

function bearer(header: string): string {
  const match = /^Bearer ([A-Za-z0-9_.~+/=-]+)$/.exec(header);
  if (!match) throw new UnauthenticatedError({ en: 'the Authorization header must be "Bearer <token>"', zh: 'Authorization 请求头须为“Bearer <令牌>”' });
  return match[1];
}

/**
 * `iat` counts whole seconds: a token of the same second as the change cannot be told from one issued just before it,
 * so it is refused too (signing in again a second later works). No `iat`: issued no one knows when, so refused.
 */
function issuedAfter(issuedAt: number | undefined, validAfter: Date): boolean {
  return issuedAt !== undefined && issuedAt > Math.floor(validAfter.getTime() / 1000);
}

const ROLE_ZH: Record<Role, string> = { caseworker: '经办人', supervisor: '主管', admin: '管理员' };
export const roleZh = (role: Role): string => ROLE_ZH[role] ?? role;
