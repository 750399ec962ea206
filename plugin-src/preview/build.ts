/**
 * Builds the preview bundle: our Lightning Web Components (force-app), the base components
 * of the `lightning-base-components` package and the preview runtime (the `lightning/*`
 * modules Lightning Experience provides), compiled by the LWC compiler through rollup.
 */
import { readdirSync, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { rollup, type Plugin } from 'rollup';
import lwc from '@lwc/rollup-plugin';

export interface PreviewBundle {
  code: string;
  /** Component bundle names (force-app lwc folders) in the bundle. */
  components: string[];
  durationMs: number;
}

/** Where the runtime's LWC modules live (sources, not compiled by tsc). */
export function runtimeDir(): string {
  // lib/preview/build.js and plugin-src/preview/build.ts both sit two levels under the root
  return fileURLToPath(new URL('../../plugin-src/preview/runtime', import.meta.url));
}

const ICON_CATEGORIES = ['action', 'custom', 'doctype', 'standard', 'utility'];
const ICON_NAME = /['"`\s=](action|custom|doctype|standard|utility):([a-z0-9_]+)/g;

function filesUnder(dir: string, exts: string[], skip: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (skip(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, exts, skip));
    else if (exts.some((e) => name.endsWith(e))) out.push(p);
  }
  return out;
}

/**
 * The base components draw icons from inline SVG template libraries (`lightning/iconSvgTemplates*`,
 * thousands of templates, most of the build time). The preview bundles only the icons that our
 * components and the base components name (`utility:down`, `standard:account`, ...): the same
 * Salesforce templates, a subset, resolved per category (RTL shares the LTR subset).
 */
function iconSubset(lbcDir: string, sources: string[]): Plugin {
  const used = new Map<string, Set<string>>(ICON_CATEGORIES.map((c) => [c, new Set<string>()]));
  const scan = (file: string): void => {
    for (const m of readFileSync(file, 'utf8').matchAll(ICON_NAME)) used.get(m[1])?.add(m[2]);
  };
  for (const dir of sources) for (const f of filesUnder(dir, ['.js', '.html'], (n) => n.startsWith('iconSvgTemplates') || n === '__tests__')) scan(f);
  const PREFIX = '\0icons:';
  return {
    name: 'channel-ops-icon-subset',
    resolveId(id) {
      const m = /^lightning\/iconSvgTemplates(Action|Custom|Doctype|Standard|Utility)?(?:Rtl)?$/.exec(id);
      return m ? PREFIX + (m[1] ?? '').toLowerCase() : null;
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const wanted = id.slice(PREFIX.length);
      const lines: string[] = [];
      const entries: string[] = [];
      for (const category of wanted ? [wanted] : ICON_CATEGORIES) {
        const lib = join(lbcDir, 'src', 'lightning', `iconSvgTemplates${category[0].toUpperCase()}${category.slice(1)}`, 'buildTemplates', category);
        for (const name of [...(used.get(category) ?? [])].sort()) {
          const file = join(lib, `${name}.html`);
          if (!existsSync(file)) continue;
          const local = `${category}_${name}`;
          lines.push(`import ${local} from ${JSON.stringify(file)};`);
          entries.push(local);
        }
      }
      return `${lines.join('\n')}\nexport default { ${entries.join(', ')} };`;
    }
  };
}

const NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));
const LBC_DIR = join(NODE_MODULES, 'lightning-base-components');

const camel = (s: string): string => s.replace(/[^A-Za-z0-9]/g, '_');

/**
 * Salesforce's scoped modules that Lightning resolves per org and user: the running user,
 * their permissions, schema references, custom labels. Values come from the page's boot data.
 */
function salesforceScopedModules(labels: Record<string, string>): Plugin {
  const PREFIX = '\0sf:';
  return {
    name: 'channel-ops-salesforce-scoped-modules',
    resolveId(id) {
      if (/^@salesforce\/(user|userPermission|customPermission|schema|label\/c\.)/.test(id)) return PREFIX + id;
      if (id === 'preview:components') return PREFIX + id;
      return null;
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const name = id.slice(PREFIX.length);
      const boot = 'const boot = (typeof window !== "undefined" && window.__CHANNEL_OPS_PREVIEW__) || {};';
      if (name === '@salesforce/user/Id') return `${boot}\nexport default boot.userId;`;
      if (name === '@salesforce/user/isGuest') return 'export default false;';
      let m = /^@salesforce\/(userPermission|customPermission)\/(.+)$/.exec(name);
      if (m) return `${boot}\nexport default (boot.${m[1]}s || {})[${JSON.stringify(m[2])}] === true;`;
      m = /^@salesforce\/schema\/([^.]+)(?:\.(.+))?$/.exec(name);
      if (m) {
        return m[2]
          ? `export default { objectApiName: ${JSON.stringify(m[1])}, fieldApiName: ${JSON.stringify(m[2])} };`
          : `export default { objectApiName: ${JSON.stringify(m[1])} };`;
      }
      m = /^@salesforce\/label\/c\.(.+)$/.exec(name);
      if (m) return `export default ${JSON.stringify(labels[m[1]] ?? m[1])};`;
      return null;
    }
  };
}

/** Replaces build-time constants the LWC engine and base components read. */
function constants(): Plugin {
  return {
    name: 'channel-ops-constants',
    transform(code) {
      if (!code.includes('import.meta.env') && !code.includes('process.env.NODE_ENV')) return null;
      return {
        code: code
          .replace(/import\.meta\.env\.SSR/g, 'false')
          .replace(/import\.meta\.env\.DEV/g, 'false')
          .replace(/process\.env\.NODE_ENV/g, '"production"'),
        map: null
      };
    }
  };
}

/**
 * The LWC runtime of the same release as the compiler: `lwc` (engine-dom), synthetic shadow
 * and the wire service come from the `lwc` package's own dependencies, like @lwc/rollup-plugin's
 * compiler; an older copy elsewhere in node_modules (sfdx-lwc-jest's) is never picked up.
 */
function lwcRuntime(): Plugin {
  const lwcDir = join(NODE_MODULES, 'lwc');
  const fromLwc = createRequire(join(lwcDir, 'package.json'));
  const version = (pkg: string): string => (JSON.parse(readFileSync(fromLwc.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;
  const pluginRequire = createRequire(join(NODE_MODULES, '@lwc', 'rollup-plugin', 'package.json'));
  const compiler = (JSON.parse(readFileSync(pluginRequire.resolve('@lwc/compiler/package.json'), 'utf8')) as { version: string }).version;
  const engine = version('@lwc/engine-dom');
  if (compiler !== engine) throw new Error(`LWC compiler ${compiler} and engine ${engine} differ: install matching lwc and @lwc/rollup-plugin versions`);
  const entry = (pkg: string): string => join(dirname(fromLwc.resolve(`${pkg}/package.json`)), 'dist', 'index.js');
  const ids: Record<string, string> = {
    lwc: entry('@lwc/engine-dom'),
    '@lwc/engine-dom': entry('@lwc/engine-dom'),
    '@lwc/synthetic-shadow': entry('@lwc/synthetic-shadow'),
    '@lwc/wire-service': entry('@lwc/wire-service')
  };
  return { name: 'channel-ops-lwc-runtime', resolveId: (id) => ids[id] ?? null };
}

export interface BuildOptions {
  forceAppDir: string;
  /** Component bundles to include (default: every bundle with an html template). */
  components?: string[];
  labels?: Record<string, string>;
}

export async function buildPreviewBundle(opts: BuildOptions): Promise<PreviewBundle> {
  const started = Date.now();
  const lwcDir = join(opts.forceAppDir, 'main', 'default', 'lwc');
  const components =
    opts.components ??
    readdirSync(lwcDir).filter((name) => existsSync(join(lwcDir, name, `${name}.html`)));
  const entry = [
    ...components.map((c) => `import ${camel(c)} from 'c/${c}';`),
    `export const COMPONENTS = { ${components.map((c) => `${JSON.stringify(c)}: ${camel(c)}`).join(', ')} };`
  ].join('\n');
  const runtime = runtimeDir();
  const virtualEntry: Plugin = {
    name: 'channel-ops-preview-entry',
    resolveId: (id) => (id === 'preview:components' ? '\0preview:components' : null),
    load: (id) => (id === '\0preview:components' ? entry : null)
  };
  const bundle = await rollup({
    input: join(runtime, 'shell.js'),
    plugins: [
      virtualEntry,
      lwcRuntime(),
      iconSubset(LBC_DIR, [lwcDir, runtime, join(LBC_DIR, 'src', 'lightning')]),
      salesforceScopedModules(opts.labels ?? {}),
      constants(),
      lwc({
        rootDir: runtime,
        modules: [
          // the preview runtime first: it provides what only Lightning Experience has
          { dir: runtime },
          // force-app's bundles are the `c` namespace (source format has no namespace folder)
          ...readdirSync(lwcDir)
            .filter((name) => existsSync(join(lwcDir, name, `${name}.js`)))
            .map((name) => ({ name: `c/${name}`, path: join(lwcDir, name, `${name}.js`) })),
          { npm: 'lightning-base-components' }
        ],
        apiVersion: 64,
        // base components (lightning-combobox, lightning-input) are form-associated: attachInternals under synthetic shadow
        enableSyntheticElementInternals: true
      } as Parameters<typeof lwc>[0])
    ],
    onwarn(warning, warn) {
      // LWC1137/LWC1057: the base components' own templates (duplicate slots in if/else branches, type on a div)
      if (warning.message.includes('LWC1137') || warning.message.includes('LWC1057')) return;
      if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
      warn(warning);
    }
  });
  const { output } = await bundle.generate({ format: 'iife', name: 'ChannelOpsPreview', inlineDynamicImports: true });
  await bundle.close();
  return { code: output[0].code, components, durationMs: Date.now() - started };
}
