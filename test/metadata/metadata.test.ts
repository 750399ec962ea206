/**
 * Metadata checks: force-app must be deployable as it stands (every reference resolves, every
 * file parses, field-level security Salesforce accepts) and must keep DESIGN.md's data-model
 * contract. The checker itself is proven by breaking copies of force-app and watching it fail.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sdr from '@salesforce/source-deploy-retrieve';
import { parse as evaluateFormula, type FormulonLiteral } from 'formulon';
import { checkMetadata, type Problem } from '../../plugin-src/metadata/check.js';
import { loadProject, type MetadataProject } from '../../plugin-src/metadata/project.js';
import { DATA_MODEL_CONTRACT, FULL_ACCESS_PERMISSION_SETS } from '../../plugin-src/metadata/contract.js';
import {
  FormulaSyntaxError,
  formulaFunctions,
  formulaReferences,
  tokenizeFormula
} from '../../plugin-src/metadata/formula.js';
import { DEFAULT_RULES } from '../../plugin-src/conflicts/defaults.js';

const { ComponentSet, MetadataConverter } = sdr;
const FORCE_APP = join(process.cwd(), 'force-app', 'main', 'default');
const OPTIONS = { contract: DATA_MODEL_CONTRACT, fullAccessPermissionSets: FULL_ACCESS_PERMISSION_SETS };
const describeProblems = (problems: Problem[]): string =>
  problems.map((p) => `${p.file} [${p.rule}] ${p.message}`).join('\n');

describe('force-app as committed', () => {
  it('passes every metadata check', async () => {
    // Given the project's force-app, When it is checked with DESIGN.md's contract
    const { problems } = await checkMetadata(FORCE_APP, OPTIONS);
    // Then nothing is reported
    expect(describeProblems(problems)).toBe('');
  });

  it('is read by source-deploy-retrieve (what `sf project deploy start` uses) and converts to a deployable metadata package', async () => {
    // Given force-app, When SDR resolves it and converts it to Metadata API format
    const components = ComponentSet.fromSource(join(process.cwd(), 'force-app'));
    const names = new Set([...components].map((c) => `${c.type.name}:${c.fullName}`));
    const out = await mkdtemp(join(tmpdir(), 'channel-ops-mdapi-'));
    try {
      await new MetadataConverter().convert(components, 'metadata', {
        type: 'directory',
        outputDirectory: out,
        genUniqueDir: false
      });
      const packageXml = await readFile(join(out, 'package.xml'), 'utf8');
      // Then every part of the data model is a component and lands in package.xml
      for (const expected of [
        'CustomObject:Channel_Conflict__c',
        'CustomObject:MDF_Budget__c',
        'CustomObject:MDF_Request__c',
        'CustomObject:MDF_Claim__c',
        'CustomObject:Channel_Sync_Run__c',
        'CustomField:Account.Key_Account__c',
        'CustomField:User.KAM_Capacity__c',
        'CustomField:Opportunity.Registered_Partner__c',
        'PermissionSet:Channel_Ops_Admin',
        'PermissionSet:Channel_Ops_User',
        'StaticResource:ChannelOpsRules',
        'FlexiPage:Channel_Ops_Account_Record_Page',
        'CustomApplication:Channel_Ops',
        'CustomTab:MDF_Budget__c'
      ]) {
        expect(names).toContain(expected);
      }
      expect(packageXml).toContain('<members>MDF_Request__c.Claimed_Total__c</members>');
      expect(packageXml).toContain('<members>MDF_Claim__c.Claim_Within_Deadline</members>');
      expect(packageXml).toContain('<version>64.0</version>');
      const converted = await readFile(join(out, 'objects', 'MDF_Budget__c.object'), 'utf8');
      expect(converted).toContain('<fullName>Remaining__c</fullName>');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('keeps the contract in step with DESIGN.md: every promised picklist value is one DESIGN.md names', async () => {
    const design = await readFile(join(process.cwd(), 'DESIGN.md'), 'utf8');
    const fromDesign = Object.entries(DATA_MODEL_CONTRACT).filter(
      ([path]) => !path.startsWith('Channel_Sync_Run__c.') && path !== 'Channel_Conflict__c.Severity__c'
    );
    const missing = fromDesign.flatMap(([path, want]) =>
      (want.values ?? []).filter((v) => !design.includes(v)).map((v) => `${path}: ${v}`)
    );
    expect(missing).toEqual([]);
  });

  it('has every API name of DESIGN.md\'s "Data model" on the object DESIGN.md puts it on', async () => {
    // Given the Data model section of DESIGN.md: "- **Object**: `Field__c` ..., `Other__c` ..."
    const design = await readFile(join(process.cwd(), 'DESIGN.md'), 'utf8');
    const section = design.slice(
      design.indexOf('## Data model'),
      design.indexOf('\n## ', design.indexOf('## Data model') + 1)
    );
    const project = await loadProject(FORCE_APP);
    const promised: string[] = [];
    let object = '';
    for (const line of section.split('\n')) {
      const heading = /^- \*\*([A-Za-z_]+)\*\*/.exec(line);
      if (heading) object = heading[1];
      for (const match of line.matchAll(/\*\*([A-Za-z_]+__c)\*\*|`([A-Za-z_]+__c)`/g)) {
        const name = match[1] ?? match[2];
        if (project.objects.has(name)) object = name;
        else promised.push(`${object}.${name}`);
      }
    }
    // Then each exists in force-app on that object (the MDF line names fields of three objects)
    expect(promised).toEqual(
      expect.arrayContaining([
        'Account.Key_Account__c',
        'MDF_Request__c.Claimed_Total__c',
        'MDF_Claim__c.Claim_Date__c'
      ])
    );
    const exists = (path: string): boolean => {
      const [objectName, name] = path.split('.');
      return !!project.objects.get(objectName)?.fields.some((f) => f.name === name);
    };
    expect(promised.length).toBeGreaterThan(30);
    expect(promised.filter((p) => !exists(p))).toEqual([]);
  });

  it('ships the rules-of-engagement static resource with the defaults the conflict scan uses', async () => {
    const shipped = JSON.parse(
      await readFile(join(FORCE_APP, 'staticresources', 'ChannelOpsRules.json'), 'utf8')
    ) as unknown;
    expect(shipped).toEqual(DEFAULT_RULES);
  });
});

describe('the checker catches what a deploy would reject', () => {
  let pristine: string;
  let work: string;

  beforeAll(async () => {
    pristine = await mkdtemp(join(tmpdir(), 'channel-ops-metadata-'));
    await cp(FORCE_APP, pristine, { recursive: true });
  });
  afterAll(async () => {
    await rm(pristine, { recursive: true, force: true });
  });

  /** A fresh copy of force-app with one file changed. */
  async function mutated(file: string, change: (text: string) => string): Promise<Problem[]> {
    work = await mkdtemp(join(tmpdir(), 'channel-ops-metadata-'));
    try {
      await cp(pristine, work, { recursive: true });
      const path = join(work, file);
      const before = await readFile(path, 'utf8');
      const after = change(before);
      expect(after).not.toBe(before); // the mutation must really change something
      await writeFile(path, after);
      return (await checkMetadata(work, OPTIONS)).problems;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  const baseline = async (): Promise<Problem[]> => (await checkMetadata(pristine, OPTIONS)).problems;

  it('a misspelt field in a validation rule fails the check, naming the file and the unknown field', async () => {
    // Given a copy of force-app whose over-budget rule reads Budget__r.Acrued_Amount__c
    const rule = 'objects/MDF_Request__c/validationRules/Approved_Not_Above_Budget.validationRule-meta.xml';
    const problems = await mutated(rule, (xml) =>
      xml.replace('Budget__r.Accrued_Amount__c', 'Budget__r.Acrued_Amount__c')
    );
    // Then the check reports exactly that file and field, which the unbroken copy does not
    const found = problems.filter((p) => p.rule === 'unknown-field');
    expect(found).toEqual([
      {
        file: rule,
        rule: 'unknown-field',
        message:
          'validation rule MDF_Request__c.Approved_Not_Above_Budget references Budget__r.Acrued_Amount__c: unknown field MDF_Budget__c.Acrued_Amount__c'
      }
    ]);
    expect((await baseline()).filter((p) => p.rule === 'unknown-field')).toEqual([]);
  });

  it('a component naming a field that does not exist fails the check, naming the component file', async () => {
    // Given a copy of force-app with a component that reads misspelt fields (schema import, string, GraphQL)
    work = await mkdtemp(join(tmpdir(), 'channel-ops-metadata-'));
    try {
      await cp(pristine, work, { recursive: true });
      const dir = join(work, 'lwc', 'budgetProbe');
      await mkdir(dir, { recursive: true });
      await writeFile(
        join(dir, 'budgetProbe.js'),
        [
          "import REMAINING from '@salesforce/schema/MDF_Budget__c.Remaning__c';",
          "import RULES from '@salesforce/resourceUrl/ChannelOpsRules';",
          "const FIELDS = ['MDF_Request__c.Budget__r.Partner__r.Name', 'MDF_Request__c.Claim_Dedline__c'];",
          'const QUERY = gql`query probe { uiapi { query { MDF_Budget__c(first: 1, where: { Amount__c: { gt: 0 } }) {',
          '  edges { node { Id Remaining__c { value } Partner__r { Name { value } Direct_Only__c { value } }',
          '  MDF_Requests__r(first: 5) { edges { node { Status__c { value } Claimed_Totl__c { value } } } }',
          '  MDF_Claims__r { edges { node { Id } } } } } } } } }`;',
          'export { REMAINING, RULES, FIELDS, QUERY };'
        ].join('\n')
      );
      await writeFile(
        join(dir, 'budgetProbe.html'),
        [
          '<template><lightning-record-edit-form object-api-name="MDF_Claim__c">',
          '<lightning-input-field field-name="Amount__c"></lightning-input-field>',
          '<lightning-input-field field-name="Proof_Of_Performance_c"></lightning-input-field>',
          '</lightning-record-edit-form></template>'
        ].join('\n')
      );
      // When it is checked
      const problems = (await checkMetadata(work, OPTIONS)).problems.filter((p) =>
        p.file.startsWith('lwc/budgetProbe/')
      );
      // Then the misspelt fields and the wrong child relationship are reported; the good paths and the static resource are not
      expect(problems.map((p) => p.message)).toEqual([
        'budgetProbe has a record form field MDF_Claim__c.Proof_Of_Performance_c, which does not exist',
        'budgetProbe imports @salesforce/schema/MDF_Budget__c.Remaning__c: unknown field MDF_Budget__c.Remaning__c',
        "budgetProbe names field 'MDF_Request__c.Claim_Dedline__c': unknown field MDF_Request__c.Claim_Dedline__c",
        'budgetProbe GraphQL query: MDF_Request__c.Claimed_Totl__c does not exist',
        'budgetProbe GraphQL query: MDF_Budget__c has no child relationship MDF_Claims__r'
      ]);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it.each([
    [
      'malformed XML',
      'objects/MDF_Claim__c/fields/Amount__c.field-meta.xml',
      (x: string) => x.replace('</label>', '</labl>'),
      'malformed-xml',
      /malformed XML at line \d+/
    ],
    [
      'an unknown relationship in a formula field',
      'objects/MDF_Request__c/fields/Partner_Name__c.field-meta.xml',
      (x: string) => x.replace('Budget__r.Partner__r.Name', 'Budget__r.Partnr__r.Name'),
      'unknown-field',
      /MDF_Budget__c has no lookup Partnr__c/
    ],
    [
      'a formula our local org cannot evaluate (PRIORVALUE)',
      'objects/MDF_Budget__c/validationRules/Amount_Must_Be_Positive.validationRule-meta.xml',
      (x: string) => x.replace('Amount__c &lt;= 0', 'Amount__c &lt; PRIORVALUE(Amount__c)'),
      'formula-not-evaluable',
      /Unknown function PRIORVALUE/
    ],
    [
      'a roll-up of an unknown field',
      'objects/MDF_Budget__c/fields/Approved_Total__c.field-meta.xml',
      (x: string) => x.replace('MDF_Request__c.Amount_Approved__c', 'MDF_Request__c.Amount_Aproved__c'),
      'unknown-field',
      /summarises unknown field MDF_Request__c.Amount_Aproved__c/
    ],
    [
      'a roll-up through a field that is not the master-detail',
      'objects/MDF_Request__c/fields/Claimed_Total__c.field-meta.xml',
      (x: string) =>
        x.replace('<summaryForeignKey>MDF_Claim__c.Request__c', '<summaryForeignKey>MDF_Claim__c.Amount__c'),
      'rollup',
      /must be a master-detail field pointing at MDF_Request__c/
    ],
    [
      'a roll-up filter on a picklist value that does not exist',
      'objects/MDF_Request__c/fields/Claimed_Total__c.field-meta.xml',
      (x: string) => x.replace('Approved, Paid', 'Approved, Payed'),
      'rollup',
      /"Payed", which is not one of its values/
    ],
    [
      'a lookup to an object that does not exist',
      'objects/Opportunity/fields/Registered_Partner__c.field-meta.xml',
      (x: string) => x.replace('<referenceTo>Account<', '<referenceTo>Partner_Account__c<'),
      'lookup-target',
      /points at Partner_Account__c, which does not exist/
    ],
    [
      'field permissions on a required field',
      'permissionsets/Channel_Ops_User.permissionset-meta.xml',
      (x: string) =>
        x.replace('<field>MDF_Budget__c.Accrual_Rate__c</field>', '<field>MDF_Budget__c.Amount__c</field>'),
      'fls-required-field',
      /MDF_Budget__c.Amount__c, a required field/
    ],
    [
      'field permissions on a master-detail field',
      'permissionsets/Channel_Ops_User.permissionset-meta.xml',
      (x: string) =>
        x.replace('<field>MDF_Request__c.Campaign__c</field>', '<field>MDF_Request__c.Budget__c</field>'),
      'fls-required-field',
      /MDF_Request__c.Budget__c, a master-detail field/
    ],
    [
      'field permissions on an unknown field',
      'permissionsets/Channel_Ops_Admin.permissionset-meta.xml',
      (x: string) =>
        x.replace('<field>Account.Direct_Only__c</field>', '<field>Account.Direct_Only_c</field>'),
      'unknown-field',
      /unknown field Account.Direct_Only_c/
    ],
    [
      'object permissions on an unknown object',
      'permissionsets/Channel_Ops_User.permissionset-meta.xml',
      (x: string) => x.replace('<object>MDF_Claim__c</object>', '<object>MDF_Claims__c</object>'),
      'unknown-object',
      /unknown object MDF_Claims__c/
    ],
    [
      'a picklist that lost a value DESIGN.md names',
      'objects/Opportunity/fields/Registration_Status__c.field-meta.xml',
      (x: string) => x.replace(/\s*<value>\s*<fullName>Expired<\/fullName>[\s\S]*?<\/value>/, ''),
      'picklist-contract',
      /lacks the picklist value "Expired"/
    ],
    [
      'a field without a description',
      'objects/Account/fields/Direct_Only__c.field-meta.xml',
      (x: string) => x.replace(/<description>[\s\S]*?<\/description>/, ''),
      'field-documentation',
      /Account.Direct_Only__c has no description/
    ],
    [
      'a record page placing a component that does not exist',
      'flexipages/Channel_Ops_Opportunity_Record_Page.flexipage-meta.xml',
      (x: string) => x.replace('<componentName>c:channelConflicts<', '<componentName>c:channelConflictz<'),
      'unknown-component',
      /no lwc\/channelConflictz bundle/
    ],
    [
      'a layout placing a calculated field as editable',
      'layouts/MDF_Budget__c-MDF Budget Layout.layout-meta.xml',
      (x: string) =>
        x.replace(
          /<behavior>Readonly<\/behavior>(\s*)<field>Remaining__c/,
          '<behavior>Edit</behavior>$1<field>Remaining__c'
        ),
      'layout-behavior',
      /Remaining__c is calculated and must be Readonly/
    ],
    [
      'a validation rule showing its error on an unknown field',
      'objects/MDF_Claim__c/validationRules/Claim_Within_Deadline.validationRule-meta.xml',
      (x: string) => x.replace('<errorDisplayField>Claim_Date__c', '<errorDisplayField>Claim_Day__c'),
      'unknown-field',
      /unknown field MDF_Claim__c.Claim_Day__c/
    ],
    [
      'two lookups to one object with the same relationship name',
      'objects/Channel_Conflict__c/fields/Partner__c.field-meta.xml',
      (x: string) =>
        x.replace('<relationshipName>Partner_Channel_Conflicts<', '<relationshipName>Channel_Conflicts<'),
      'relationship-name',
      /both use relationship name Channel_Conflicts on Account/
    ],
    [
      'a lookup reusing a standard relationship name',
      'objects/Opportunity/fields/Registered_Partner__c.field-meta.xml',
      (x: string) =>
        x.replace('<relationshipName>Registered_Opportunities<', '<relationshipName>Opportunities<'),
      'relationship-name',
      /the standard Opportunities relationship/
    ],
    [
      'a field label longer than Salesforce allows',
      'objects/MDF_Request__c/fields/Claim_Deadline__c.field-meta.xml',
      (x: string) =>
        x.replace(
          '<label>Claim Deadline</label>',
          '<label>Last day on which the partner may still claim</label>'
        ),
      'limits',
      /MDF_Request__c.Claim_Deadline__c: the label has 45 characters \(at most 40\)/
    ],
    [
      'a text field longer than 255',
      'objects/Channel_Conflict__c/fields/Reason__c.field-meta.xml',
      (x: string) => x.replace('<length>255</length>', '<length>1000</length>'),
      'limits',
      /a Text field needs a length from 1 to 255 \(has 1000\)/
    ],
    [
      'an app listing a tab that does not exist',
      'applications/Channel_Ops.app-meta.xml',
      (x: string) => x.replace('<tabs>MDF_Claim__c</tabs>', '<tabs>MDF_Claims__c</tabs>'),
      'unknown-tab',
      /unknown tab MDF_Claims__c/
    ],
    [
      'an app making a record page the default for the wrong object',
      'applications/Channel_Ops.app-meta.xml',
      (x: string) => x.replace('<pageOrSobjectType>Opportunity<', '<pageOrSobjectType>Account<'),
      'flexipage',
      /Channel_Ops_Opportunity_Record_Page for Account, but that page is for Opportunity/
    ]
  ])('%s fails the check', async (_what, file, change, rule, message) => {
    const problems = await mutated(file, change);
    const hit = problems.find((p) => p.rule === rule && p.file === file);
    expect(hit ? hit.message : describeProblems(problems)).toMatch(message);
  });
});

describe('formula references are read like Salesforce reads them', () => {
  it('finds fields, relationship paths and globals, and skips text, comments and function names', () => {
    const formula = `AND( /* Budget_X__c in a comment */ ISPICKVAL(Status__c, "Approved"), Amount_Approved__c > Budget__r.Amount__c,
      $User.Id <> 'Owner.Name', NOT(ISBLANK(Budget__r.Partner__r.Name)), TRUE, amount_approved__c > 1.5 )`;
    expect(formulaReferences(formula)).toEqual([
      'Status__c',
      'Amount_Approved__c',
      'Budget__r.Amount__c',
      '$User.Id',
      'Budget__r.Partner__r.Name'
    ]);
    expect(formulaFunctions(formula)).toEqual(['AND', 'ISPICKVAL', 'NOT', 'ISBLANK']);
    expect(tokenizeFormula('"a \\" b" & X__c').map((t) => t.kind)).toEqual(['string', 'symbol', 'reference']);
  });

  it('rejects unbalanced formulas with where it broke', () => {
    expect(() => tokenizeFormula('AND(A__c, B__c')).toThrow(FormulaSyntaxError);
    expect(() => tokenizeFormula('"open text')).toThrow(/not closed/);
  });
});

describe('the MDF validation rules, evaluated as the local org evaluates them (formulon)', () => {
  let project: MetadataProject;
  beforeAll(async () => {
    project = await loadProject(FORCE_APP);
  });
  const num = (value: number): FormulonLiteral => ({
    type: 'literal',
    dataType: 'number',
    value,
    options: { length: 16, scale: 2 }
  });
  const date = (iso: string): FormulonLiteral => ({
    type: 'literal',
    dataType: 'date',
    value: new Date(`${iso}T00:00:00Z`)
  });
  const blank: FormulonLiteral = { type: 'literal', dataType: 'null', value: null };
  const pick = (value: string): FormulonLiteral => ({
    type: 'literal',
    dataType: 'picklist',
    value,
    options: { values: [value] }
  });
  /** Does the rule stop this record? (true = the error shows) */
  function fires(object: string, rule: string, values: Record<string, FormulonLiteral>): boolean {
    const found = project.validationRules.find((r) => r.object === object && r.name === rule);
    if (!found) throw new Error(`no validation rule ${object}.${rule}`);
    const result = evaluateFormula(found.formula, values);
    if (result.type === 'error') throw new Error(`${rule}: ${result.message}`);
    return result.value === true;
  }

  it("stops a claim after the request's claim deadline, and allows one on the deadline", () => {
    const deadline = { 'Request__r.Claim_Deadline__c': date('2026-03-31') };
    expect(
      fires('MDF_Claim__c', 'Claim_Within_Deadline', { ...deadline, Claim_Date__c: date('2026-04-01') })
    ).toBe(true);
    expect(
      fires('MDF_Claim__c', 'Claim_Within_Deadline', { ...deadline, Claim_Date__c: date('2026-03-31') })
    ).toBe(false);
    expect(
      fires('MDF_Claim__c', 'Claim_Within_Deadline', {
        'Request__r.Claim_Deadline__c': date('2020-01-01'),
        Claim_Date__c: blank
      })
    ).toBe(true);
  });

  it('stops a submitted claim larger than what is left to claim on the request', () => {
    const request = {
      Status__c: pick('Submitted'),
      'Request__r.Amount_Approved__c': num(1000),
      'Request__r.Claimed_Total__c': num(600)
    };
    expect(
      fires('MDF_Claim__c', 'Claim_Within_Remaining_Approved', { ...request, Amount__c: num(401) })
    ).toBe(true);
    expect(
      fires('MDF_Claim__c', 'Claim_Within_Remaining_Approved', { ...request, Amount__c: num(400) })
    ).toBe(false);
  });

  it('stops claims on requests that are not approved', () => {
    expect(
      fires('MDF_Claim__c', 'Request_Must_Be_Approved', {
        Status__c: pick('Submitted'),
        'Request__r.Status__c': pick('Draft')
      })
    ).toBe(true);
    expect(
      fires('MDF_Claim__c', 'Request_Must_Be_Approved', {
        Status__c: pick('Submitted'),
        'Request__r.Status__c': pick('Approved')
      })
    ).toBe(false);
  });

  it('stops approvals past the budget: one request above the whole budget, or all approvals together above it', () => {
    const budget = { 'Budget__r.Amount__c': num(5000), 'Budget__r.Accrued_Amount__c': num(500) };
    expect(
      fires('MDF_Request__c', 'Approved_Not_Above_Budget', { ...budget, Amount_Approved__c: num(5500.01) })
    ).toBe(true);
    expect(
      fires('MDF_Request__c', 'Approved_Not_Above_Budget', { ...budget, Amount_Approved__c: num(5500) })
    ).toBe(false);
    expect(
      fires('MDF_Budget__c', 'Approved_Total_Within_Budget', {
        Amount__c: num(5000),
        Accrued_Amount__c: blank,
        Approved_Total__c: num(5000.01)
      })
    ).toBe(true);
    expect(
      fires('MDF_Budget__c', 'Approved_Total_Within_Budget', {
        Amount__c: num(5000),
        Accrued_Amount__c: num(500),
        Approved_Total__c: num(5500)
      })
    ).toBe(false);
  });

  it('stops claims that total more than the approved amount, and activities that end before they start', () => {
    expect(
      fires('MDF_Request__c', 'Claims_Within_Approved_Amount', {
        Claimed_Total__c: num(1000.5),
        Amount_Approved__c: num(1000)
      })
    ).toBe(true);
    expect(
      fires('MDF_Request__c', 'Claims_Within_Approved_Amount', {
        Claimed_Total__c: num(1000),
        Amount_Approved__c: num(1000)
      })
    ).toBe(false);
    expect(
      fires('MDF_Request__c', 'End_Date_Not_Before_Start', {
        Start_Date__c: date('2026-05-02'),
        End_Date__c: date('2026-05-01')
      })
    ).toBe(true);
    expect(
      fires('MDF_Request__c', 'End_Date_Not_Before_Start', {
        Start_Date__c: date('2026-05-02'),
        End_Date__c: blank
      })
    ).toBe(false);
  });
});
