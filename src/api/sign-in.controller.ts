import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Public } from '../auth/auth.guard';
import { DEMO_USERS, Directory } from '../auth/directory';
import { LOCAL_TOKEN_MAX_SECONDS, ensureLocalSigningKey, signLocalToken } from '../auth/local-signing-key';
import { BadInputError, NotFoundError } from '../cases/errors';
import { ref } from './dto/responses';

/** Whether the demo users may sign in without a password: a local install (no identity provider) with the demo directory on. */
export class DemoSignIn {
  constructor(
    readonly localKeyFile: string | null,
    readonly audience: string,
  ) {}
}

const demoSignInBody = z.object({ userId: z.string().max(200) }).strict();

/**
 * Sign-in for the web app on a local install: the demo users, by a click, with no password and no CLI. It signs the
 * same 8-hour local token `npm run token` prints; with an identity provider configured it is off (404).
 */
@ApiTags('sign-in')
@Controller('sign-in')
export class SignInController {
  constructor(
    private readonly demo: DemoSignIn,
    private readonly directory: Directory,
  ) {}

  @Get('options')
  @Public()
  @ApiOperation({ summary: 'How users sign in here: the demo users offered on a local install (empty otherwise)' })
  @ApiResponse({ status: 200, description: 'Sign-in options', schema: ref('SignInOptions') })
  options() {
    return { demoUsers: this.demo.localKeyFile ? DEMO_USERS.map(({ id, name, unitId, roles }) => ({ id, name, unitId, roles })) : [] };
  }

  @Post('demo')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in as a demo user (local install with the demo directory on only)' })
  @ApiBody({ schema: { type: 'object', required: ['userId'], additionalProperties: false, properties: { userId: { type: 'string', maxLength: 200 } } } })
  @ApiResponse({ status: 200, description: 'A session token for the demo user', schema: ref('DemoSession') })
  @ApiResponse({ status: 400, description: 'Not a demo user', schema: ref('BadRequest') })
  @ApiResponse({ status: 404, description: 'Demo sign-in is off (an identity provider is configured, or DEMO_DIRECTORY=false)', schema: ref('NotFound') })
  async signIn(@Body() body: unknown) {
    if (!this.demo.localKeyFile) throw new NotFoundError({ en: 'demo sign-in is off: this service signs in through the identity provider', zh: '演示登录已关闭：本服务通过统一身份认证登录' });
    const parsed = demoSignInBody.safeParse(body);
    if (!parsed.success) throw new BadInputError({ field: 'userId', message: 'the body must be {"userId": "<a demo user>"}', messageZh: '请求体须为 {"userId": "<演示用户>"}' });
    const { userId } = parsed.data;
    const known = DEMO_USERS.some((u) => u.id === userId) && (await this.directory.user(userId));
    if (!known) {
      const ids = DEMO_USERS.map((u) => u.id);
      throw new BadInputError({ field: 'userId', message: `userId must be one of the demo users: ${ids.join(', ')}`, messageZh: `userId 须为以下演示用户之一：${ids.join('、')}` });
    }
    const key = await ensureLocalSigningKey(this.demo.localKeyFile);
    const token = await signLocalToken(key, userId, { audience: this.demo.audience, ttlSeconds: LOCAL_TOKEN_MAX_SECONDS });
    return { token, expiresAt: new Date(Date.now() + LOCAL_TOKEN_MAX_SECONDS * 1000).toISOString(), user: userId };
  }
}
