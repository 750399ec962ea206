import { Messages, SfError } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { buildPlan, parseCascade, PlanError, type PlanOrg, type PlanProgress } from '../../../ownership/plan.js';
import type { CascadeChoice, PlanIssue } from '../../../ownership/plan-manifest.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('channel-ops', 'channel.ownership.plan');

/** The `--json` result of `channel ownership plan`. */
export type PlanResult = {
  planId: string;
  planDir: string;
  orgId: string;
  createdAt: string;
  /** Rows read from the file, or accounts matched by the rule. */
  inputRows: number;
  /** Accounts skipped because they already belong to the new owner. */
  noOpRows: number;
  cascade: CascadeChoice[];
  /** Rows per object (0 for objects with nothing to move). */
  counts: Record<string, number>;
  objects: Array<{ sobject: string; rows: number; file: string }>;
  teams: Array<{ sobject: string; rows: number; file: string }>;
  /** Absolute paths: `manifest` and one per object or team file. */
  files: Record<string, string>;
  warnings: PlanIssue[];
};

/** Most problems printed on screen; --json carries up to 1000. */
const MAX_PRINTED_ISSUES = 50;

function formatIssues(issues: readonly PlanIssue[], total: number): string {
  const lines = issues.slice(0, MAX_PRINTED_ISSUES).map((i) => `  - ${i.message}`);
  if (total > lines.length) lines.push(`  … and ${total - lines.length} more (run with --json to get up to 1000 of them).`);
  return lines.join('\n');
}

function progressText(p: PlanProgress): string {
  const count = p.total !== undefined ? `${p.done}/${p.total}` : `${p.done}`;
  switch (p.phase) {
    case 'reading':
      return `reading input (${count} rows)`;
    case 'resolving-users':
      return 'resolving new owners';
    case 'planning':
      return `checking accounts and collecting children (${count})`;
    case 'checking-capacity':
      return 'checking KAM capacity';
    case 'writing':
      return 'writing the plan';
  }
}

export default class OwnershipPlan extends SfCommand<PlanResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'target-org': Flags.requiredOrg(),
    file: Flags.file({ char: 'f', summary: messages.getMessage('flags.file.summary'), exists: true }),
    'from-user': Flags.string({ summary: messages.getMessage('flags.from-user.summary') }),
    'to-user': Flags.string({ summary: messages.getMessage('flags.to-user.summary') }),
    where: Flags.string({ char: 'w', summary: messages.getMessage('flags.where.summary'), description: messages.getMessage('flags.where.description') }),
    'output-dir': Flags.directory({ char: 'd', summary: messages.getMessage('flags.output-dir.summary'), required: true }),
    cascade: Flags.string({ summary: messages.getMessage('flags.cascade.summary') }),
    'allow-over-capacity': Flags.boolean({ summary: messages.getMessage('flags.allow-over-capacity.summary'), default: false })
  };

  public async run(): Promise<PlanResult> {
    const { flags } = await this.parse(OwnershipPlan);
    const org = flags['target-org'];
    const conn = org.getConnection();
    const planOrg: PlanOrg = {
      query: (soql, options) => conn.query(soql, options as never) as never,
      queryMore: (locator, options) => conn.queryMore(locator, options as never) as never,
      describe: (sobject) => conn.describe(sobject) as never
    };
    this.spinner.start('Planning the ownership reassignment');
    try {
      const cascade = parseCascade(flags.cascade);
      const summary = await buildPlan(
        {
          org: planOrg,
          orgId: org.getOrgId(),
          username: conn.getUsername() ?? '',
          onProgress: (p) => {
            this.spinner.status = progressText(p);
          }
        },
        {
          outputDir: flags['output-dir'],
          file: flags.file,
          fromUser: flags['from-user'],
          toUser: flags['to-user'],
          where: flags.where,
          cascade,
          allowOverCapacity: flags['allow-over-capacity']
        }
      );
      this.spinner.stop('done');
      const m = summary.manifest;
      const result: PlanResult = {
        planId: m.planId,
        planDir: summary.planDir,
        orgId: m.orgId,
        createdAt: m.createdAt,
        inputRows: m.checks.inputRows,
        noOpRows: m.checks.noOpRows,
        cascade: m.inputs.cascade,
        counts: summary.counts,
        objects: m.objects.map((o) => ({ sobject: o.sobject, rows: o.rows, file: summary.files[o.sobject] })),
        teams: m.teams.map((t) => ({ sobject: t.sobject, rows: t.rows, file: summary.files[t.sobject] })),
        files: summary.files,
        warnings: m.checks.warnings
      };

      this.table({
        title: 'Records to move',
        data: Object.entries(summary.counts)
          .filter(([s]) => !s.endsWith('TeamMember'))
          .map(([sobject, rows]) => ({ object: sobject, rows })),
        columns: [
          { key: 'object', name: 'Object' },
          { key: 'rows', name: 'Rows' }
        ]
      });
      this.table({
        title: 'Checks',
        data: [
          { check: m.inputs.file ? 'Input rows' : 'Accounts matched', value: String(m.checks.inputRows) },
          { check: 'Already owned by the new owner (skipped)', value: String(m.checks.noOpRows) },
          { check: 'Errors', value: '0' },
          { check: 'Warnings', value: String(m.checks.warnings.length) },
          { check: 'Account team members captured', value: String(summary.counts.AccountTeamMember) },
          { check: 'Opportunity team members captured', value: String(summary.counts.OpportunityTeamMember) }
        ],
        columns: [
          { key: 'check', name: 'Check' },
          { key: 'value', name: 'Result' }
        ]
      });
      for (const w of m.checks.warnings.slice(0, MAX_PRINTED_ISSUES)) this.warn(w.message);
      this.logSuccess(messages.getMessage('info.planWritten', [m.planId, summary.planDir]));
      this.log(messages.getMessage('info.nextStep', [this.config.bin, summary.planDir, org.getUsername() ?? '<org>']));
      return result;
    } catch (e) {
      this.spinner.stop('failed');
      if (e instanceof PlanError) {
        const tokens = e.kind === 'ChecksFailed' ? [String(e.totalIssues), formatIssues(e.issues, e.totalIssues)] : [e.message];
        const error = messages.createError(`error.${e.kind}`, tokens);
        error.setData({ issues: e.issues, totalIssues: e.totalIssues, warnings: e.warnings });
        throw error;
      }
      throw e instanceof Error ? SfError.wrap(e) : e;
    }
  }
}
