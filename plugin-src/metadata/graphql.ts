/**
 * Reads the GraphQL wire-adapter queries of Lightning components (`gql\`...\``) into their
 * selections, so the metadata check can resolve every object, field and relationship a
 * component asks the UI API for. A small reader for the subset the UI API uses: names,
 * aliases, arguments (skipped), selection sets and inline fragments.
 */
export interface Selection {
  name: string;
  children?: Selection[];
}

type Token = { kind: 'name' | 'punct' | 'string' | 'other'; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (/[\s,]/.test(ch)) i++;
    else if (ch === '#') while (i < source.length && source[i] !== '\n') i++;
    else if (ch === '"') {
      const start = i++;
      while (i < source.length && source[i] !== '"') i += source[i] === '\\' ? 2 : 1;
      tokens.push({ kind: 'string', text: source.slice(start, ++i) });
    } else if (/[_A-Za-z]/.test(ch)) {
      const start = i;
      while (i < source.length && /[_0-9A-Za-z]/.test(source[i])) i++;
      tokens.push({ kind: 'name', text: source.slice(start, i) });
    } else if (source.startsWith('...', i)) {
      tokens.push({ kind: 'punct', text: '...' });
      i += 3;
    } else if ('{}()[]:$!=@|&'.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch });
      i++;
    } else {
      tokens.push({ kind: 'other', text: ch });
      i++;
    }
  }
  return tokens;
}

/** The top-level selection set of the first operation in a GraphQL document. */
export function parseSelections(source: string): Selection[] {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const skipBalanced = (open: string, close: string): void => {
    let depth = 0;
    do {
      const t = tokens[pos++];
      if (!t) throw new Error(`unbalanced ${open}${close} in GraphQL query`);
      if (t.text === open) depth++;
      else if (t.text === close) depth--;
    } while (depth > 0);
  };
  const selectionSet = (): Selection[] => {
    const out: Selection[] = [];
    pos++; // {
    while (peek() && peek()?.text !== '}') {
      const t = tokens[pos++];
      if (t.text === '...') {
        if (peek()?.text === 'on') pos += 2; // on TypeName
        if (peek()?.text === '{') out.push(...selectionSet());
        continue;
      }
      if (t.kind !== 'name') continue;
      let name = t.text;
      if (peek()?.text === ':') {
        pos++;
        name = tokens[pos++]?.text ?? name; // alias: the field is the second name
      }
      if (peek()?.text === '(') skipBalanced('(', ')');
      while (peek()?.text === '@') {
        pos += 2; // @directive
        if (peek()?.text === '(') skipBalanced('(', ')');
      }
      out.push(peek()?.text === '{' ? { name, children: selectionSet() } : { name });
    }
    pos++; // }
    return out;
  };
  while (peek() && peek()?.text !== '{') {
    if (peek()?.text === '(') skipBalanced('(', ')');
    else pos++;
  }
  return peek() ? selectionSet() : [];
}

/** The `gql` template literals of a component's JavaScript. */
export function gqlTemplates(js: string): string[] {
  return [...js.matchAll(/gql\s*`([^`]*)`/g)].map((m) => m[1]);
}
