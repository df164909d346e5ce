import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.guard';
import { DatabaseGauges } from '../observability/metrics';

/** Prometheus text: counts and gauges only, no identifiers of cases or people, so it needs no token. */
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(DatabaseGauges) private readonly gauges: DatabaseGauges) {}

  @Get()
  @ApiExcludeEndpoint()
  async scrape(@Res() res: Response) {
    const { contentType, text } = await this.gauges.metrics();
    res.setHeader('Content-Type', contentType);
    res.send(text);
  }
}
