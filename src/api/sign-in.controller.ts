import { Body, Controller, Get, HttpCode, Optional, Post, ServiceUnavailableException } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Public } from '../auth/auth.guard';
import { DemoSignInState } from '../auth/demo-sign-in';
import { DEMO_USERS, Directory } from '../auth/directory';
import { OidcDiscovery } from '../auth/oidc-discovery';
import { LOCAL_TOKEN_MAX_SECONDS, ensureLocalSigningKey, signLocalToken } from '../auth/local-signing-key';
import { BadInputError, ForbiddenError, NotFoundError } from '../cases/errors';
import { ref } from './dto/responses';
import type { Said } from '../domain/said';

/** Whether the demo users may sign in without a password (demo-sign-in.ts), and the key their tokens are signed with. */
export class DemoSignIn {
  constructor(
    readonly state: DemoSignInState,
    readonly localKeyFile: string,
    readonly audience: string,
  ) {}
}

/** The agency's OpenID Connect provider the web app signs in with, when one is configured. */
export class OidcSignIn {
  constructor(
    readonly discovery: OidcDiscovery,
    readonly clientId: string,
    readonly scope: string,
  ) {}
}

const DEMO_OFF: Record<Exclude<DemoSignInState, 'on'>, Said> = {
  'off-identity-provider': { en: 'demo sign-in is off: this service signs in through the identity provider', zh: '演示登录已关闭：本服务通过统一身份认证登录' },
  'off-demo-directory': { en: 'demo sign-in is off: the demo directory is off (DEMO_DIRECTORY=false)', zh: '演示登录已关闭：演示用户目录未开启（DEMO_DIRECTORY=false）' },
  'off-network-host': {
    en: 'demo sign-in is off: the service listens on a network address (HOST), and the demo users have no password',
    zh: '演示登录已关闭：本服务在网络地址（HOST）上监听，而演示用户没有密码',
  },
};

const demoSignInBody = z.object({ userId: z.string().max(200) }).strict();

/**
 * How the web app signs in. With an OpenID Connect provider: the provider's endpoints, for the browser's authorization
 * code flow with PKCE. On a local install listening on a loopback address: the demo users, by a click, with no password
 * and no CLI; it signs the same 8-hour local token `npm run token` prints, and is off otherwise (404).
 */
@ApiTags('sign-in')
@Controller('sign-in')
export class SignInController {
  constructor(
    private readonly demo: DemoSignIn,
    private readonly directory: Directory,
    @Optional() private readonly oidc?: OidcSignIn,
  ) {}

  @Get('options')
  @Public()
  @ApiOperation({ summary: "How users sign in here: the identity provider's endpoints, or the demo users of a local install" })
  @ApiResponse({ status: 200, description: 'Sign-in options', schema: ref('SignInOptions') })
  @ApiResponse({ status: 503, description: "The identity provider's discovery document cannot be read", schema: ref('ServiceUnavailable') })
  async options() {
    const demoUsers = this.demo.state === 'on' ? DEMO_USERS.map(({ id, name, unitId, roles }) => ({ id, name, unitId, roles })) : [];
    if (!this.oidc) return { demoUsers, demoSignIn: this.demo.state };
    const { issuer, authorizationEndpoint, tokenEndpoint, endSessionEndpoint } = await this.oidc.discovery.metadata().catch((error: Error) => {
      throw new ServiceUnavailableException(error.message);
    });
    const oidc = { issuer, clientId: this.oidc.clientId, scope: this.oidc.scope, authorizationEndpoint, tokenEndpoint, ...(endSessionEndpoint ? { endSessionEndpoint } : {}) };
    return { demoUsers, demoSignIn: this.demo.state, oidc };
  }

  @Post('demo')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in as a demo user (local install with the demo directory on only)' })
  @ApiBody({ schema: { type: 'object', required: ['userId'], additionalProperties: false, properties: { userId: { type: 'string', maxLength: 200 } } } })
  @ApiResponse({ status: 200, description: 'A session token for the demo user', schema: ref('DemoSession') })
  @ApiResponse({ status: 400, description: 'Not a demo user', schema: ref('BadRequest') })
  @ApiResponse({ status: 403, description: 'user-deactivated: the demo user has been deactivated', schema: ref('Forbidden') })
  @ApiResponse({ status: 404, description: 'Demo sign-in is off (an identity provider is configured, DEMO_DIRECTORY=false, or HOST is not a loopback address)', schema: ref('NotFound') })
  async signIn(@Body() body: unknown) {
    if (this.demo.state !== 'on') throw new NotFoundError(DEMO_OFF[this.demo.state]);
    const parsed = demoSignInBody.safeParse(body);
    if (!parsed.success) throw new BadInputError({ field: 'userId', message: 'the body must be {"userId": "<a demo user>"}', messageZh: '请求体须为 {"userId": "<演示用户>"}' });
    const { userId } = parsed.data;
    const standing = DEMO_USERS.some((u) => u.id === userId) ? await this.directory.standing(userId) : null;
    if (standing && !standing.active) {
      throw new ForbiddenError({ en: `user ${userId} has been deactivated and cannot sign in (an administrator can reactivate them)`, zh: `用户 ${userId} 已被停用，不能登录（管理员可重新启用）` }, 'user-deactivated');
    }
    if (!standing) {
      const ids = DEMO_USERS.map((u) => u.id);
      throw new BadInputError({ field: 'userId', message: `userId must be one of the demo users: ${ids.join(', ')}`, messageZh: `userId 须为以下演示用户之一：${ids.join('、')}` });
    }
    const key = await ensureLocalSigningKey(this.demo.localKeyFile);
    const token = await signLocalToken(key, userId, { audience: this.demo.audience, ttlSeconds: LOCAL_TOKEN_MAX_SECONDS });
    return { token, expiresAt: new Date(Date.now() + LOCAL_TOKEN_MAX_SECONDS * 1000).toISOString(), user: userId };
  }
}
