import 'reflect-metadata';
import { INestApplication, Module } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { PrismaClient } from '@prisma/client';
import type { Client } from '@temporalio/client';
import express, { NextFunction, Request, Response } from 'express';
import { CalendarController } from './api/calendar.controller';
import { InboxController } from './api/inbox.controller';
import { MeController } from './api/me.controller';
import { SupervisionController } from './api/supervision.controller';
import { UnitsController } from './api/units.controller';
import { CodecController, CodecSettings, installCodecHttp } from './api/codec.controller';
import type { PayloadCodec } from '@temporalio/common';
import { AuthGuard } from './auth/auth.guard';
import { Directory } from './auth/directory';
import { AuthSettings, createTokenVerifier } from './auth/token-verifier';
import { CasesController } from './api/cases.controller';
import { HealthController } from './api/health.controller';
import { HEALTH_TIMEOUT_MS, HealthService, WorkerProbe } from './api/health.service';
import { requestDeadline } from './api/request-deadline';
import { HttpErrorFilter } from './api/http-exception.filter';
import { StorableQueryPipe } from './api/storable-query.pipe';
import { CalendarAdminService } from './cases/calendar-admin.service';
import { CalendarService } from './cases/calendar.service';
import { CaseService } from './cases/case.service';
import { CreditStatusService } from './cases/credit-status.service';
import { InboxService } from './cases/inbox.service';
import { SupervisionService } from './cases/supervision.service';
import { openApiBodies } from './cases/procedures.service';
import { ProceduresController } from './api/procedures.controller';
import { RenewalsController } from './api/renewals.controller';
import { RenewalsService } from './cases/renewals.service';
import { SubjectsController } from './api/subjects.controller';
import { completeOpenApi } from './api/openapi';
import { MetricsController } from './api/metrics.controller';
import { installHttpObservability } from './observability/http';
import { NestJsonLogger } from './observability/logger';
import { DatabaseGauges, SCRAPE_QUERY_TIMEOUT_MS } from './observability/metrics';
import { Draining } from './infra/draining';
import type { PersonalDataCipher } from './infra/personal-data';
import { DemoSignIn, OidcSignIn, SignInController } from './api/sign-in.controller';
import { demoSignInState } from './auth/demo-sign-in';
import { OidcDiscovery } from './auth/oidc-discovery';
import { serveWebApp } from './api/web-app';
import { contentLanguage, languageOfRequest } from './api/language';
import { beijingIso, isUtcInstant } from './domain/said';
import { projectRoot } from './config/paths';
import { DEFAULT_HOST, DEFAULT_REQUEST_TIMEOUT_MS } from './config/settings';
import path from 'node:path';

export interface AppDeps {
  prisma: PrismaClient;
  /** Encrypts, opens and hashes the subject in PostgreSQL (decision 0021). */
  personalData: PersonalDataCipher;
  temporal: Client;
  taskQueue: string;
  worker: WorkerProbe;
  bodyLimit?: string;
  /** The Temporal client shares its connection with an in-process worker (eager workflow start). */
  eagerStart?: boolean;
  auth: AuthSettings;
  /** Shutdown state: the API answers in-flight requests with `Connection: close` and /health with 503 while it drains. */
  draining?: Draining;
  /** Past this, a request's call to Temporal or PostgreSQL gives up with 503 + Retry-After. */
  requestTimeoutMs?: number;
  /** The demo directory is on: its users sign in by a click if also no identity provider is set and `host` is a loopback address. */
  demoSignIn?: boolean;
  /** The address the API listens on (HOST); demo sign-in is off unless it is a loopback address. */
  host?: string;
  /** The built web app (`dist/web`), served at `/`. */
  webDir?: string;
  /** The codec endpoint for the Temporal Web UI: the payload codecs of the service's data converter, the UI's origins. */
  codec?: { codecs: PayloadCodec[]; corsOrigins: string[] };
}

/** The HTTP API. Infrastructure comes in from outside, so tests, the benchmark and the launcher share it. */
export async function createApp(deps: AppDeps): Promise<INestApplication> {
  const requestTimeoutMs = deps.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const calendars = new CalendarService(deps.prisma);
  const creditStatus = new CreditStatusService(deps.prisma, deps.personalData);
  const renewals = new RenewalsService(deps.prisma);
  const directory = new Directory(deps.prisma);
  const draining = deps.draining ?? new Draining();
  const discovery = deps.auth.oidc && new OidcDiscovery(deps.auth.oidc.issuer);
  const verify = await createTokenVerifier(deps.auth, discovery);
  const demoSignIn = demoSignInState({ demoDirectory: !!deps.demoSignIn, identityProvider: !!(deps.auth.jwksUrl || discovery), host: deps.host ?? DEFAULT_HOST });
  @Module({
    controllers: [SignInController, HealthController, CalendarController, CasesController, ProceduresController, RenewalsController, SubjectsController, MeController, InboxController, UnitsController, SupervisionController, MetricsController, CodecController],
    providers: [
      { provide: CalendarService, useValue: calendars },
      { provide: DemoSignIn, useValue: new DemoSignIn(demoSignIn, deps.auth.localKeyFile, deps.auth.audience) },
      ...(discovery ? [{ provide: OidcSignIn, useValue: new OidcSignIn(discovery, deps.auth.oidc!.clientId, deps.auth.oidc!.scope) }] : []),
      { provide: Directory, useValue: directory },
      { provide: CodecSettings, useValue: new CodecSettings(deps.codec?.codecs ?? [], deps.codec?.corsOrigins ?? [], deps.prisma, demoSignIn === 'on') },
      { provide: SupervisionService, useValue: new SupervisionService(deps.prisma, directory, calendars, deps.personalData) },
      { provide: InboxService, useValue: new InboxService(deps.prisma) },
      { provide: CaseService, useValue: new CaseService(deps.prisma, deps.temporal, calendars, deps.taskQueue, creditStatus, directory, deps.personalData, deps.eagerStart, deps.requestTimeoutMs, renewals) },
      { provide: RenewalsService, useValue: renewals },
      { provide: CreditStatusService, useValue: creditStatus },
      { provide: DatabaseGauges, useValue: new DatabaseGauges(deps.prisma, Math.min(SCRAPE_QUERY_TIMEOUT_MS, requestTimeoutMs)) },
      { provide: CalendarAdminService, useValue: new CalendarAdminService(deps.prisma, deps.temporal, calendars, deps.requestTimeoutMs) },
      { provide: HealthService, useValue: new HealthService(deps.prisma, deps.temporal, deps.worker, draining, Math.min(HEALTH_TIMEOUT_MS, requestTimeoutMs)) },
    ],
  })
  class AppModule {}

  const app = await NestFactory.create(AppModule, { bodyParser: false, logger: new NestJsonLogger() });
  installHttpObservability(app);
  app.use(draining.middleware);
  serveWebApp(app, deps.webDir ?? path.join(projectRoot(), 'dist', 'web'), { identityProvider: deps.auth.oidc?.issuer });
  app.use(contentLanguage);
  // Every instant the API answers with is in Beijing time (+08:00): the service stores and compares UTC.
  (app.getHttpAdapter().getInstance() as express.Express).set('json replacer', (_key: string, value: unknown) => (typeof value === 'string' && isUtcInstant(value) ? beijingIso(value) : value));
  installCodecHttp(app, deps.codec?.corsOrigins ?? []);
  app.use(express.json({ limit: deps.bodyLimit ?? '64kb', strict: false }));
  // Body-parser errors (malformed JSON, oversized body) happen before Nest's filters see the request.
  app.use((error: { status?: number; type?: string; message: string; limit?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (!error) return next();
    const tooLarge = error.type === 'entity.too.large';
    const status = tooLarge ? 413 : (error.status ?? 400);
    res.status(status).json({
      statusCode: status,
      error: tooLarge ? 'Payload Too Large' : 'Bad Request',
      field: 'body',
      message:
        languageOfRequest(_req) === 'en'
          ? tooLarge
            ? `request body exceeds the limit of ${error.limit} bytes`
            : `malformed JSON body: ${error.message}`
          : tooLarge
            ? `请求体超过 ${error.limit} 字节的上限`
            : `JSON 请求体格式错误：${error.message}`,
    });
  });
  app.use(requestDeadline(requestTimeoutMs));
  app.useGlobalFilters(new HttpErrorFilter());
  app.useGlobalPipes(new StorableQueryPipe());
  app.useGlobalGuards(new AuthGuard(app.get(Reflector), verify, directory));
  const openApi = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Legal deadlines')
      .setDescription('Administrative procedures with legal deadlines counted on the official PRC calendar')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "A token of the agency's identity provider; a local install prints one with `npm run token -- <user>`" })
      .build(),
  );
  const bodies = openApiBodies();
  openApi.components = { ...openApi.components, schemas: { ...openApi.components?.schemas, ...(bodies.schemas as Record<string, SchemaObject>) } };
  const oneOf = (names: string[]) => ({ content: { 'application/json': { schema: { oneOf: names.map(($ref) => ({ $ref: `#/components/schemas/${$ref}` })) } } } });
  openApi.paths['/cases'].post!.requestBody = { required: true, ...oneOf(bodies.filings) };
  openApi.paths['/cases/{id}/actions'].post!.requestBody = { required: true, ...oneOf(bodies.actions) };
  SwaggerModule.setup('docs', app, completeOpenApi(openApi), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
