import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ref } from './dto/responses';
import type { Response } from 'express';
import { Public } from '../auth/auth.guard';
import { HealthService } from './health.service';

const HEALTH_RETRY_AFTER_SECONDS = 5;

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(@Inject(HealthService) private readonly health: HealthService) {}

  @Get()
  @ApiOperation({ summary: '200 once PostgreSQL, Temporal and the worker are ready; 503 before' })
  @ApiResponse({ status: 200, description: 'Ready', schema: ref('HealthReport') })
  @ApiResponse({ status: 503, description: 'Starting, stopping, or a dependency is down', schema: { oneOf: [ref('HealthReport'), ref('ServiceUnavailable')] } })
  async check(@Res() res: Response) {
    const report = await this.health.check();
    if (!report.ok) res.setHeader('Retry-After', String(HEALTH_RETRY_AFTER_SECONDS));
    res.status(report.ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(report);
  }
}
