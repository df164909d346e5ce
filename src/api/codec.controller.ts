import { Body, Controller, Headers, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { PrismaClient } from '@prisma/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import express, { NextFunction, Request, Response } from 'express';
import { OptionalUser, Public } from '../auth/auth.guard';
import type { AuthUser } from '../auth/directory';
import { BadInputError, ForbiddenError } from '../cases/errors';
import { ref } from './dto/responses';

/** What the codec endpoint works with: the service's own payload codecs (those of its data converter) and the UI's origins. */
export class CodecSettings {
  constructor(
    readonly codecs: PayloadCodec[],
    readonly corsOrigins: string[],
    readonly prisma: PrismaClient,
    /**
     * Demo sign-in is on (a local install on a loopback address): anyone at this machine can be the demo
     * administrator by a click, so the dev server's Web UI, which has no sign-in to pass a token from, decodes too.
     */
    readonly localInstall = false,
  ) {}
}

/** Who a decode by the Web UI of a local install is recorded as (it sends no token). */
export const LOCAL_WEB_UI = { id: 'local-web-ui', unitId: '-' };

/** A history page of payloads is far above the API's 64 kB: the UI sends a workflow's inputs and results at once. */
export const CODEC_BODY_LIMIT = '8mb';
const MAX_PAYLOADS = 10_000;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A payload in Temporal's JSON form (proto3 JSON): every bytes field, the data and each metadata value, base64. */
interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const PAYLOADS_SCHEMA = {
  type: 'object',
  required: ['payloads'],
  properties: {
    payloads: {
      type: 'array',
      maxItems: MAX_PAYLOADS,
      items: { type: 'object', properties: { metadata: { type: 'object', additionalProperties: { type: 'string', format: 'byte' } }, data: { type: 'string', format: 'byte' } } },
    },
  },
};

/**
 * Temporal's remote codec protocol for its Web UI (and `temporal --codec-endpoint`): POST /codec/decode and
 * /codec/encode with `{ "payloads": [...] }`. Administrators get decrypted payloads, each decode recorded before it is
 * answered (who, when, namespace, workflow when the caller names it, how many payloads); anyone else, with no token or
 * another role, gets the payloads back as they came. Decision 0022.
 */
@ApiTags('codec')
@Controller('codec')
export class CodecController {
  constructor(@Inject(CodecSettings) private readonly settings: CodecSettings) {}

  @Post('decode')
  @Public()
  @OptionalUser()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Temporal Web UI codec: decrypts payloads for administrators (each decode recorded); for anyone else (no token, another role) answers them unchanged. On a local install with demo sign-in on, the Web UI (a CODEC_CORS_ORIGINS origin) decodes without a token, recorded as local-web-ui.',
  })
  @ApiHeader({ name: 'X-Namespace', required: false, description: 'The Temporal namespace the payloads come from (the UI sends it)' })
  @ApiHeader({ name: 'X-Workflow-Id', required: false, description: 'The workflow the payloads come from, recorded with the decode (the Web UI does not send it)' })
  @ApiBody({ schema: PAYLOADS_SCHEMA })
  @ApiResponse({ status: 200, description: 'The payloads, decrypted for an administrator', schema: ref('CodecPayloads') })
  @ApiResponse({ status: 401, description: 'A token was given and is not valid (no token: the payloads come back unchanged)' })
  @ApiResponse({ status: 403, description: "A token was given and its user is unknown or deactivated (`rule`)" })
  async decode(@Body() body: unknown, @Req() req: Request & { user?: AuthUser }, @Headers('x-namespace') namespace?: string, @Headers('x-workflow-id') workflowId?: string) {
    const payloads = payloadsOf(body);
    const fromLocalWebUi = !req.user && this.settings.localInstall && this.settings.corsOrigins.includes(req.headers.origin ?? '');
    const user = fromLocalWebUi ? LOCAL_WEB_UI : req.user?.roles.includes('admin') ? req.user : undefined;
    if (!user) return { payloads: payloads.map(toJson) };
    let decoded = payloads;
    for (const codec of [...this.settings.codecs].reverse()) decoded = await decodeOrRefuse(codec, decoded);
    await this.settings.prisma.payloadDecode.create({
      data: { userId: user.id, unitId: user.unitId, namespace: namespace?.slice(0, 200) || null, workflowId: workflowId?.slice(0, 400) || null, payloads: payloads.length },
    });
    return { payloads: decoded.map(toJson) };
  }

  @Post('encode')
  @Public()
  @OptionalUser()
  @HttpCode(200)
  @ApiOperation({ summary: 'Temporal Web UI codec: encrypts payloads the UI sends to a workflow (administrators)' })
  @ApiHeader({ name: 'X-Namespace', required: false })
  @ApiBody({ schema: PAYLOADS_SCHEMA })
  @ApiResponse({ status: 200, description: 'The payloads, encrypted', schema: ref('CodecPayloads') })
  @ApiResponse({ status: 401, description: 'A token was given and is not valid' })
  @ApiResponse({ status: 403, description: 'No administrator: `rule` codec-encode (or the token\'s user is unknown or deactivated)' })
  async encode(@Body() body: unknown, @Req() req: Request & { user?: AuthUser }) {
    const payloads = payloadsOf(body);
    const fromLocalWebUi = !req.user && this.settings.localInstall && this.settings.corsOrigins.includes(req.headers.origin ?? '');
    if (!req.user?.roles.includes('admin') && !fromLocalWebUi) {
      throw new ForbiddenError({ en: 'only an administrator may have payloads encrypted for a workflow', zh: '只有管理员可以为工作流加密载荷' }, 'codec-encode');
    }
    let encoded = payloads;
    for (const codec of this.settings.codecs) encoded = await codec.encode(encoded);
    return { payloads: encoded.map(toJson) };
  }
}

async function decodeOrRefuse(codec: PayloadCodec, payloads: Payload[]): Promise<Payload[]> {
  try {
    return await codec.decode(payloads);
  } catch (error) {
    const reason = (error as Error).message;
    throw new BadInputError({ field: 'payloads', message: `a payload cannot be decrypted: ${reason}`, messageZh: `有载荷无法解密：${reason}` });
  }
}

function payloadsOf(body: unknown): Payload[] {
  const list = (body as { payloads?: unknown } | null)?.payloads;
  if (!Array.isArray(list) || list.length > MAX_PAYLOADS) {
    throw new BadInputError({ field: 'payloads', message: `the body must be {"payloads": [...]} with at most ${MAX_PAYLOADS} payloads`, messageZh: `请求体须为 {"payloads": [...]}，最多 ${MAX_PAYLOADS} 个载荷` });
  }
  return list.map((p: unknown, i) => {
    const { metadata = {}, data } = (p ?? {}) as JsonPayload;
    const fields = Object.values(typeof metadata === 'object' && metadata ? metadata : { bad: 1 });
    if (fields.some((v) => typeof v !== 'string' || !BASE64.test(v)) || (data !== undefined && (typeof data !== 'string' || !BASE64.test(data)))) {
      throw new BadInputError({
        field: `payloads[${i}]`,
        message: "a payload is {metadata: {key: base64}, data: base64}, Temporal's JSON form",
        messageZh: '载荷须为 Temporal 的 JSON 形式：{metadata: {键: base64}, data: base64}',
      });
    }
    return {
      metadata: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
      ...(data !== undefined ? { data: Buffer.from(data, 'base64') } : {}),
    };
  });
}

function toJson(payload: Payload): JsonPayload {
  const metadata = Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]));
  return { metadata, ...(payload.data ? { data: Buffer.from(payload.data).toString('base64') } : {}) };
}

/**
 * The Web UI calls the codec endpoint from the browser, from its own origin: the listed origins get CORS (with the
 * headers the UI sends, and credentials for its access token); a preflight from any other origin is not answered with
 * them, so the browser refuses. A larger body limit holds for these paths only.
 */
export function installCodecHttp(app: { use: (path: string, ...handlers: express.RequestHandler[]) => unknown }, origins: string[]): void {
  app.use('/codec', (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (origin && origins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Vary', 'Origin');
    }
    if (req.method !== 'OPTIONS') return next();
    if (origin && origins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace, X-Workflow-Id');
      res.setHeader('Access-Control-Max-Age', '600');
    }
    res.status(204).end();
  });
  app.use('/codec', express.json({ limit: CODEC_BODY_LIMIT }));
}
