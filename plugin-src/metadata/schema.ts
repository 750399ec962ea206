/**
 * The schema a metadata project describes once deployed: its custom objects and fields plus
 * the standard objects and fields they may point at. Names resolve case-insensitively, as in
 * Salesforce, and formula paths (`Budget__r.Partner__r.Name`) resolve through each lookup.
 */
import type { FieldMeta, MetadataProject, Xml } from './project.js';
import { STANDARD_OBJECTS, customObjectSystemFields, FORMULA_GLOBALS } from './standard-objects.js';

export interface SchemaField {
  object: string;
  name: string;
  type: string;
  custom: boolean;
  required: boolean;
  referenceTo?: string;
  relationshipName?: string;
  picklistValues?: string[];
  meta?: FieldMeta;
}

export interface SchemaObject {
  name: string;
  custom: boolean;
  sharingModel?: string;
  fields: Map<string, SchemaField>;
}

/** The result of resolving a reference: the field, or why it does not resolve. */
export type Resolution =
  { ok: true; field: SchemaField } | { ok: true; global: string } | { ok: false; reason: string };

export const COMPUTED_TYPES = new Set(['Summary', 'AutoNumber']);
export function isComputed(f: { type: string; meta?: FieldMeta }): boolean {
  return COMPUTED_TYPES.has(f.type) || !!f.meta?.formula;
}

export class Schema {
  public readonly objects = new Map<string, SchemaObject>();

  public constructor(project: MetadataProject) {
    for (const [name, fields] of Object.entries(STANDARD_OBJECTS)) {
      const o: SchemaObject = { name, custom: false, fields: new Map() };
      for (const [fname, f] of Object.entries(fields))
        o.fields.set(fname.toLowerCase(), {
          object: name,
          name: fname,
          custom: false,
          required: false,
          ...f
        });
      this.objects.set(name.toLowerCase(), o);
    }
    for (const meta of project.objects.values()) {
      let o = this.objects.get(meta.name.toLowerCase());
      if (!o && meta.xml) {
        const sharingModel = typeof meta.xml.sharingModel === 'string' ? meta.xml.sharingModel : undefined;
        o = { name: meta.name, custom: true, sharingModel, fields: new Map() };
        const nameField = meta.xml.nameField as Xml | undefined;
        for (const [fname, f] of Object.entries(
          customObjectSystemFields(sharingModel !== 'ControlledByParent')
        )) {
          o.fields.set(fname.toLowerCase(), {
            object: meta.name,
            name: fname,
            custom: false,
            required: false,
            ...f,
            type: fname === 'Name' && nameField?.type === 'AutoNumber' ? 'AutoNumber' : f.type
          });
        }
        this.objects.set(meta.name.toLowerCase(), o);
      }
      if (!o) continue; // fields on an unknown standard object: reported by the checks
      for (const f of meta.fields) {
        o.fields.set(f.name.toLowerCase(), {
          object: o.name,
          name: f.name,
          type: f.formula ? `Formula:${f.type}` : f.type,
          custom: true,
          required: f.required || f.type === 'MasterDetail',
          referenceTo: f.referenceTo,
          relationshipName: f.relationshipName,
          picklistValues: f.picklistValues,
          meta: f
        });
      }
    }
  }

  public object(name: string): SchemaObject | undefined {
    return this.objects.get(name.toLowerCase());
  }

  public field(object: string, name: string): SchemaField | undefined {
    return this.object(object)?.fields.get(name.toLowerCase());
  }

  /** The object a relationship name leads to from `object` (`Budget__r`, `Owner`, `Account`). */
  public relationship(object: string, relationship: string): { target?: string; reason?: string } {
    const o = this.object(object);
    if (!o) return { reason: `object ${object} does not exist` };
    if (/__r$/i.test(relationship)) {
      const lookup = o.fields.get(relationship.replace(/__r$/i, '__c').toLowerCase());
      if (!lookup)
        return {
          reason: `${object} has no lookup ${relationship.replace(/__r$/i, '__c')} for relationship ${relationship}`
        };
      if (!lookup.referenceTo)
        return { reason: `${object}.${lookup.name} is not a lookup, so ${relationship} leads nowhere` };
      return { target: lookup.referenceTo };
    }
    for (const f of o.fields.values()) {
      if (
        !f.custom &&
        f.relationshipName &&
        f.relationshipName.toLowerCase() === relationship.toLowerCase() &&
        f.referenceTo
      )
        return { target: f.referenceTo };
    }
    return { reason: `${object} has no relationship ${relationship}` };
  }

  /** Resolve a formula reference (`Amount__c`, `Budget__r.Partner__r.Name`, `$User.Id`) from `object`. */
  public resolve(object: string, reference: string): Resolution {
    const parts = reference.split('.');
    let current = object;
    if (parts[0].startsWith('$')) {
      const global = parts[0];
      if (
        !FORMULA_GLOBALS.has(global) &&
        ![...FORMULA_GLOBALS].some((g) => g.toLowerCase() === global.toLowerCase())
      ) {
        return { ok: false, reason: `unknown global variable ${global}` };
      }
      if (global.toLowerCase() !== '$user') return { ok: true, global };
      current = 'User';
      parts.shift();
      if (parts.length === 0) return { ok: false, reason: '$User needs a field, e.g. $User.Id' };
    }
    for (const rel of parts.slice(0, -1)) {
      const step = this.relationship(current, rel);
      if (!step.target) return { ok: false, reason: step.reason ?? `cannot follow ${rel}` };
      current = step.target;
    }
    const last = parts[parts.length - 1];
    const field = this.field(current, last);
    if (!field)
      return {
        ok: false,
        reason: this.object(current) ? `unknown field ${current}.${last}` : `object ${current} does not exist`
      };
    return { ok: true, field };
  }
}
