import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// These classes document the wire format in OpenAPI. Bodies are checked by the domain parsers
// (parseCaseFiling, parseObjectionAction), which name the field and the rule in every 400.

export class SubjectDto {
  @ApiProperty({ example: '哈尔滨某某科技有限公司' }) name!: string;
  @ApiPropertyOptional({ description: 'Unified social credit code (GB 32100-2015), organisations', example: '91350100M000100Y43' }) uscc?: string;
  @ApiPropertyOptional({ description: 'Resident identity number (GB 11643-1999), natural persons', example: '11010519491231002X' }) idNumber?: string;
}

export class StartCaseDto {
  @ApiProperty({ enum: ['objection-review'] }) procedure!: string;
  @ApiProperty({ description: 'Client-chosen key; the same key again returns 409 with the existing case' }) idempotencyKey!: string;
  @ApiProperty({ description: 'When the written objection was received: ISO 8601 instant with offset, or YYYY-MM-DD (Asia/Shanghai). Past dates are allowed (late entry).', example: '2026-11-27T09:30:00+08:00' })
  receivedAt!: string;
  @ApiProperty({ type: SubjectDto }) subject!: SubjectDto;
  @ApiPropertyOptional({ enum: ['standard', 'serious-dishonesty-list'], default: 'standard' }) variant?: string;
  @ApiPropertyOptional({ default: 'default-unit' }) unitId?: string;
  @ApiPropertyOptional({ default: 'caseworker' }) actor?: string;
  @ApiPropertyOptional() evidenceRef?: string;
}

export class CaseActionDto {
  @ApiProperty({
    enum: ['mark-disputed', 'refer', 'request-assistance', 'record-assistance-reply', 'suspend', 'resume', 'decide', 'confirm-correction', 'extend'],
  })
  action!: string;
  @ApiPropertyOptional({ default: 'caseworker' }) actor?: string;
  @ApiPropertyOptional({ description: 'When the step happened, if entered late; not in the future nor before the previous step' }) occurredAt?: string;
  @ApiPropertyOptional() evidenceRef?: string;
  @ApiPropertyOptional() note?: string;
  @ApiPropertyOptional({ description: 'refer: the competent unit' }) competentUnit?: string;
  @ApiPropertyOptional({ description: 'request-assistance: [{ unitId, name? }]' }) units?: object[];
  @ApiPropertyOptional({ description: 'record-assistance-reply: the unit' }) unitId?: string;
  @ApiPropertyOptional({ description: 'record-assistance-reply: the verification result' }) result?: string;
  @ApiPropertyOptional({ description: 'suspend: inspection | testing | quarantine | appraisal | expert-review' }) reason?: string;
  @ApiPropertyOptional({ enum: ['upheld', 'rejected'], description: 'decide' }) outcome?: string;
  @ApiPropertyOptional({ description: 'decide: mandatory when rejected' }) reasons?: string;
  @ApiPropertyOptional({ description: 'decide (upheld): systems/websites that received the information', type: [String] }) downstreamSystems?: string[];
  @ApiPropertyOptional({ description: 'confirm-correction: the downstream system' }) system?: string;
  @ApiPropertyOptional({ description: 'extend: the deadline key (only where the definition allows extensions, before it passes)' }) deadlineKey?: string;
  @ApiPropertyOptional({ description: 'extend: working days to add' }) workingDays?: number;
}
