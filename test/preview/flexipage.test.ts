/**
 * Which components a record page shows: the flexipages of force-app, and Lightning's
 * component visibility rules on record fields.
 */
import { describe, it, expect } from '@jest/globals';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isVisible, readRecordPages } from '../../plugin-src/preview/flexipage.js';

describe('record pages from flexipages', () => {
  it('places keyAccountOwner, channelConflicts and mdfBudget on the Account page and channelConflicts on the Opportunity page', () => {
    const pages = readRecordPages(join(process.cwd(), 'force-app'));
    const names = (object: string): string[] => pages.find((p) => p.sobjectType === object)?.components.map((c) => c.name) ?? [];
    expect(names('Account')).toEqual(['keyAccountOwner', 'channelConflicts', 'mdfBudget']);
    expect(names('Opportunity')).toEqual(['channelConflicts']);
  });

  it('hides a component whose visibility rule does not hold for the record', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flexi-'));
    try {
      mkdirSync(join(dir, 'main', 'default', 'flexipages'), { recursive: true });
      writeFileSync(
        join(dir, 'main', 'default', 'flexipages', 'P.flexipage-meta.xml'),
        `<?xml version="1.0" encoding="UTF-8"?><FlexiPage xmlns="http://soap.sforce.com/2006/04/metadata">
        <flexiPageRegions><itemInstances><componentInstance><componentName>c:mdfBudget</componentName>
        <componentInstanceProperties><name>expiringWithinDays</name><value>45</value></componentInstanceProperties>
        <visibilityRule><criteria><leftValue>{!Record.Type}</leftValue><operator>EQUAL</operator><rightValue>Channel Partner / Reseller</rightValue></criteria></visibilityRule>
        </componentInstance></itemInstances><name>sidebar</name><type>Region</type></flexiPageRegions>
        <masterLabel>P</masterLabel><sobjectType>Account</sobjectType><template><name>flexipage:recordHomeTemplateDesktop</name></template><type>RecordPage</type></FlexiPage>`
      );
      const [page] = readRecordPages(dir);
      const [mdf] = page.components;
      expect(mdf.properties).toEqual({ expiringWithinDays: '45' });
      expect(isVisible(mdf, { Type: 'Channel Partner / Reseller' })).toBe(true);
      expect(isVisible(mdf, { Type: 'Customer - Direct' })).toBe(false);
      expect(isVisible(mdf, { Type: null })).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
