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
  if (!user) throw new UnauthenticatedError('this endpoint needs a bearer token');
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
    if (!header) throw new UnauthenticatedError('Authorization: Bearer <token> is required (a local install prints one with `npm run token -- <user>`)');
    const match = /^Bearer ([A-Za-z0-9_.~+/=-]+)$/.exec(header);
    if (!match) throw new UnauthenticatedError('the Authorization header must be "Bearer <token>"');
    const check = await this.verify(match[1]);
    if (!check.ok) throw new UnauthenticatedError(check.reason);
    const user = await this.directory.user(check.subject);
    if (!user) throw new ForbiddenError(`user ${check.subject} holds no role in this service (ask an administrator to add them)`, 'unknown-user');
    req.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.some((r) => user.roles.includes(r))) {
      throw new ForbiddenError(`this needs the role ${roles.join(' or ')}; ${user.id} holds ${user.roles.join(', ')}`);
    }
    return true;
  }
}
