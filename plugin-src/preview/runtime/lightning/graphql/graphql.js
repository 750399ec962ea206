/**
 * `lightning/graphql` for the preview: `gql` and the `graphql` wire adapter. The adapter
 * POSTs { query, variables, operationName } to the org's UI API GraphQL endpoint and emits
 * { data, errors, refresh } like Lightning Data Service.
 */
import { apiFetch, track } from 'lightning/previewApi';

/** The query text; the org parses it (Salesforce's gql parses at build time, same result). */
export function gql(strings, ...values) {
    let out = '';
    strings.forEach((s, i) => {
        out += s + (i < values.length ? String(values[i]) : '');
    });
    return out;
}

function usesVariables(query) {
    return /\(\s*\$\w+\s*:/.test(query);
}

export class graphql {
    constructor(dataCallback) {
        this.dataCallback = dataCallback;
        this.connected = false;
        this.config = undefined;
        this.lastKey = undefined;
        this.seq = 0;
        this.refresh = () => this.fetch(true);
    }

    connect() {
        this.connected = true;
        this.fetch(false);
    }

    disconnect() {
        this.connected = false;
    }

    update(config) {
        this.config = config;
        this.fetch(false);
    }

    fetch(force) {
        const config = this.config;
        if (!this.connected || !config || !config.query) return Promise.resolve();
        // Like LDS: a query with variables waits until its variables are known.
        if (usesVariables(config.query) && (config.variables === undefined || config.variables === null)) {
            return Promise.resolve();
        }
        const key = JSON.stringify([config.query, config.variables, config.operationName]);
        if (!force && key === this.lastKey) return Promise.resolve();
        this.lastKey = key;
        const seq = ++this.seq;
        if (!force) this.dataCallback({ data: undefined, errors: undefined, refresh: this.refresh });
        const body = { query: config.query, variables: config.variables || {} };
        if (config.operationName) body.operationName = config.operationName;
        return track(
            apiFetch('/graphql', { method: 'POST', body }).then(
                (result) => {
                    if (seq !== this.seq || !this.connected) return;
                    const errors = result && result.errors && result.errors.length ? result.errors : undefined;
                    this.dataCallback({ data: errors ? undefined : result.data, errors, refresh: this.refresh });
                },
                (error) => {
                    if (seq !== this.seq || !this.connected) return;
                    const errors = Array.isArray(error.body) ? error.body : [{ message: (error.body && error.body.message) || error.statusText }];
                    this.dataCallback({ data: undefined, errors, refresh: this.refresh });
                }
            )
        );
    }
}

/** Refreshes a graphql wire's data (the `refresh` it emitted does the same). */
export function refreshGraphQL(result) {
    return result && typeof result.refresh === 'function' ? result.refresh() : Promise.resolve();
}
