/**
 * The metadata a deploy left in the org that is not schema: LWC bundles, flexipages,
 * layouts, tabs, apps, permission sets, static resources (their files, as deployed), listed
 * by `listMetadata` (`sf org list metadata`) and readable by tests.
 */
import { createHash } from 'node:crypto';
import { makeId } from '../../domain/ids.js';

/** Key prefixes of metadata ids (as Salesforce's: 0Rb LightningComponentBundle, 0M0 FlexiPage ...). */
export const METADATA_KEY_PREFIXES: Record<string, string> = {
  CustomObject: '01I',
  CustomField: '00N',
  ValidationRule: '03d',
  ListView: '00B',
  PermissionSet: '0PS',
  StaticResource: '081',
  LightningComponentBundle: '0Rb',
  AuraDefinitionBundle: '0Ab',
  FlexiPage: '0M0',
  Layout: '00h',
  CustomTab: '01r',
  CustomApplication: '02u',
  ApexClass: '01p',
  ApexTrigger: '01q'
};

export interface StoredComponent {
  type: string;
  fullName: string;
  fileName: string;
  id: string;
  /** files relative to the package root, as deployed */
  files: Map<string, Buffer>;
  hash: string;
  createdDate: string;
  lastModifiedDate: string;
  createdById: string;
  lastModifiedById: string;
  /** parsed content the org uses (permission set grants ...) */
  parsed?: unknown;
}

export function contentHash(files: Map<string, Uint8Array>): string {
  const h = createHash('sha256');
  for (const [path, bytes] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    h.update(path);
    h.update('\0');
    h.update(bytes);
    h.update('\0');
  }
  return h.digest('hex');
}

export class MetadataStore {
  private readonly byType = new Map<string, Map<string, StoredComponent>>();
  private seq = 0;

  public get(type: string, fullName: string): StoredComponent | undefined {
    return this.byType.get(type)?.get(fullName.toLowerCase());
  }

  public list(type: string): StoredComponent[] {
    return [...(this.byType.get(type)?.values() ?? [])].sort((a, b) => a.fullName.localeCompare(b.fullName));
  }

  public types(): string[] {
    return [...this.byType.keys()].sort();
  }

  /** An id for a new component of `type` (stable for its life in this org). */
  public newId(type: string): string {
    return makeId(METADATA_KEY_PREFIXES[type] ?? '0XX', ++this.seq, 'LOC');
  }

  public put(component: StoredComponent): void {
    let m = this.byType.get(component.type);
    if (!m) this.byType.set(component.type, (m = new Map()));
    m.set(component.fullName.toLowerCase(), component);
  }
}
