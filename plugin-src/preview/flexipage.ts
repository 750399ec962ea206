/**
 * Reads the record pages (flexipages) of force-app: which `c:` components a record page of an
 * object places in which region, with their properties and visibility rules (record fields).
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { Row } from '../local-org/database.js';

export interface VisibilityCriterion {
  leftValue: string;
  operator: string;
  rightValue?: string;
}

export interface PlacedComponent {
  /** Bundle name in the `c` namespace, e.g. keyAccountOwner. */
  name: string;
  region: string;
  properties: Record<string, string>;
  visibility?: { criteria: VisibilityCriterion[]; booleanFilter?: string };
}

export interface RecordPage {
  file: string;
  label: string;
  sobjectType: string;
  template: string;
  components: PlacedComponent[];
}

const asArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

type Xml = Record<string, unknown>;

export function readRecordPages(forceAppDir: string): RecordPage[] {
  const dir = join(forceAppDir, 'main', 'default', 'flexipages');
  if (!existsSync(dir)) return [];
  const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false });
  const pages: RecordPage[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.flexipage-meta.xml'))) {
    const page = (parser.parse(readFileSync(join(dir, file), 'utf8')) as Xml).FlexiPage as Xml | undefined;
    if (!page || page.type !== 'RecordPage' || typeof page.sobjectType !== 'string') continue;
    const components: PlacedComponent[] = [];
    for (const region of asArray(page.flexiPageRegions as Xml | Xml[])) {
      for (const item of asArray(region.itemInstances as Xml | Xml[])) {
        const ci = item.componentInstance as Xml | undefined;
        const name = String(ci?.componentName ?? '');
        if (!ci || !name.startsWith('c:')) continue;
        const properties: Record<string, string> = {};
        for (const p of asArray(ci.componentInstanceProperties as Xml | Xml[])) properties[String(p.name)] = String(p.value ?? '');
        const rule = ci.visibilityRule as Xml | undefined;
        components.push({
          name: name.slice(2),
          region: String(region.name),
          properties,
          visibility: rule
            ? {
                criteria: asArray(rule.criteria as Xml | Xml[]).map((c) => ({
                  leftValue: String(c.leftValue),
                  operator: String(c.operator),
                  rightValue: c.rightValue === undefined ? undefined : String(c.rightValue)
                })),
                booleanFilter: rule.booleanFilter === undefined ? undefined : String(rule.booleanFilter)
              }
            : undefined
        });
      }
    }
    pages.push({
      file,
      label: String(page.masterLabel ?? file),
      sobjectType: page.sobjectType,
      template: String((page.template as Xml | undefined)?.name ?? ''),
      components
    });
  }
  return pages;
}

/** Record fields a page's visibility rules read (`{!Record.Type}` → Type). */
export function visibilityFields(page: RecordPage): string[] {
  const out = new Set<string>();
  for (const c of page.components) for (const k of c.visibility?.criteria ?? []) {
    const m = /^\{!Record\.([A-Za-z0-9_]+)\}$/.exec(k.leftValue);
    if (m) out.add(m[1]);
  }
  return [...out];
}

function holds(c: VisibilityCriterion, record: Row): boolean {
  const m = /^\{!Record\.([A-Za-z0-9_]+)\}$/.exec(c.leftValue);
  if (!m) return true; // criteria on things other than record fields (device, user) do not hide here
  const value = record[m[1]];
  const left = value === null || value === undefined ? '' : String(value);
  const right = c.rightValue ?? '';
  switch (c.operator) {
    case 'EQUAL':
      return left === right;
    case 'NE':
      return left !== right;
    case 'CONTAINS':
      return left.includes(right);
    case 'GT':
      return Number(left) > Number(right);
    case 'LT':
      return Number(left) < Number(right);
    default:
      return true;
  }
}

/** Component visibility as Lightning evaluates it: all criteria (AND), or the boolean filter. */
export function isVisible(component: PlacedComponent, record: Row): boolean {
  const v = component.visibility;
  if (!v || !v.criteria.length) return true;
  const results = v.criteria.map((c) => holds(c, record));
  if (!v.booleanFilter) return results.every(Boolean);
  const expr = v.booleanFilter.replace(/\d+/g, (n) => String(results[Number(n) - 1] === true)).replace(/AND/gi, '&&').replace(/OR/gi, '||').replace(/NOT/gi, '!');
  if (!/^[\s()!&|truefals]*$/.test(expr)) return true;
  return Boolean(new Function(`return (${expr});`)());
}
