/**
 * A deploy zip in Metadata API format, read into components: `objects/X.object`,
 * `permissionsets/X.permissionset`, `staticresources/X.resource` (+ `-meta.xml`),
 * `lwc/<bundle>/...`, `flexipages/X.flexipage`, `layouts/X.layout`, `tabs/X.tab`,
 * `applications/X.app`, ... next to `package.xml` (at the root, or in one folder when the
 * client deploys with singlePackage=false).
 */
import { unzipSync } from 'fflate';

/** Folder → Metadata API type, for the types the local org knows by folder. */
export const FOLDER_TYPES: Record<string, { type: string; suffix?: string; bundle?: boolean }> = {
  objects: { type: 'CustomObject', suffix: 'object' },
  permissionsets: { type: 'PermissionSet', suffix: 'permissionset' },
  staticresources: { type: 'StaticResource', suffix: 'resource' },
  lwc: { type: 'LightningComponentBundle', bundle: true },
  aura: { type: 'AuraDefinitionBundle', bundle: true },
  flexipages: { type: 'FlexiPage', suffix: 'flexipage' },
  layouts: { type: 'Layout', suffix: 'layout' },
  tabs: { type: 'CustomTab', suffix: 'tab' },
  applications: { type: 'CustomApplication', suffix: 'app' },
  classes: { type: 'ApexClass', suffix: 'cls' },
  triggers: { type: 'ApexTrigger', suffix: 'trigger' },
  globalValueSets: { type: 'GlobalValueSet', suffix: 'globalValueSet' },
  labels: { type: 'CustomLabels', suffix: 'labels' },
  profiles: { type: 'Profile', suffix: 'profile' },
  customMetadata: { type: 'CustomMetadata', suffix: 'md' },
  quickActions: { type: 'QuickAction', suffix: 'quickAction' },
  compactLayouts: { type: 'CompactLayout', suffix: 'compactLayout' }
};

export interface PackageComponent {
  type: string;
  fullName: string;
  /** The component's main file (or bundle folder), relative to the package root, as Salesforce reports it. */
  fileName: string;
  /** Every file of the component, keyed by path relative to the package root. */
  files: Map<string, Uint8Array>;
}

export interface DeployPackage {
  /** `package.xml` text (absent: the deploy fails as Salesforce's does). */
  manifest?: string;
  /** The folder in front of every path (`unpackaged/`), or ''. */
  root: string;
  components: PackageComponent[];
  /** Files the local org could not place in a component. */
  stray: string[];
}

export class ZipError extends Error {}

export function readDeployZip(zip: Uint8Array): DeployPackage {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip);
  } catch (e) {
    throw new ZipError(`The deploy zip could not be read: ${(e as Error).message}`);
  }
  const paths = Object.keys(entries).filter((p) => !p.endsWith('/'));
  const manifestPath = paths
    .filter((p) => p === 'package.xml' || /^[^/]+\/package\.xml$/.test(p))
    .sort((a, b) => a.length - b.length)[0];
  const root = manifestPath ? manifestPath.slice(0, -'package.xml'.length) : '';
  const byKey = new Map<string, PackageComponent>();
  const stray: string[] = [];
  for (const full of paths.sort()) {
    if (!full.startsWith(root)) {
      stray.push(full);
      continue;
    }
    const path = full.slice(root.length);
    if (
      path === 'package.xml' ||
      path === 'destructiveChanges.xml' ||
      path === 'destructiveChangesPre.xml' ||
      path === 'destructiveChangesPost.xml'
    )
      continue;
    const parts = path.split('/');
    const folder = parts[0];
    const known = FOLDER_TYPES[folder];
    let type: string;
    let fullName: string;
    let fileName: string;
    if (known?.bundle && parts.length >= 3) {
      type = known.type;
      fullName = parts[1];
      fileName = `${folder}/${parts[1]}`;
    } else if (parts.length === 2) {
      const base = parts[1].replace(/-meta\.xml$/, '');
      const dot = known?.suffix ? base.lastIndexOf(`.${known.suffix}`) : base.lastIndexOf('.');
      fullName = dot > 0 ? base.slice(0, dot) : base;
      type = known?.type ?? folder;
      fileName = known?.suffix ? `${folder}/${fullName}.${known.suffix}` : `${folder}/${base}`;
    } else if (parts.length > 2) {
      // folders of reports/documents/email templates: <folder>/<sub>/<name>.<suffix>
      type = known?.type ?? folder;
      const base = parts
        .slice(1)
        .join('/')
        .replace(/-meta\.xml$/, '');
      const dot = base.lastIndexOf('.');
      fullName = dot > base.lastIndexOf('/') ? base.slice(0, dot) : base;
      fileName = `${folder}/${base}`;
    } else {
      stray.push(full);
      continue;
    }
    const key = `${type}#${fullName}`;
    let c = byKey.get(key);
    if (!c) byKey.set(key, (c = { type, fullName, fileName, files: new Map() }));
    c.files.set(path, entries[full]);
  }
  return {
    manifest: manifestPath ? Buffer.from(entries[manifestPath]).toString('utf8') : undefined,
    root,
    components: [...byKey.values()],
    stray
  };
}

export function fileText(c: PackageComponent, path = c.fileName): string | undefined {
  const bytes = c.files.get(path);
  return bytes ? Buffer.from(bytes).toString('utf8') : undefined;
}
