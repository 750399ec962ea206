/**
 * How the preview runtime talks to the org: same-origin calls to the UI API and GraphQL
 * endpoints (the page server forwards them to the local org with the session), rejected
 * with Lightning Data Service's error shape ({ status, statusText, ok: false, body }).
 */
export const API_VERSION = '65.0';
export const API_BASE = `/services/data/v${API_VERSION}`;

export function boot() {
    return (typeof window !== 'undefined' && window.__CHANNEL_OPS_PREVIEW__) || {};
}

export async function apiFetch(path, { method = 'GET', body } = {}) {
    const response = await fetch(`${API_BASE}${path}`, {
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body)
    });
    const text = await response.text();
    let parsed = null;
    try {
        parsed = text ? JSON.parse(text) : null;
    } catch {
        parsed = { message: text };
    }
    if (!response.ok) {
        // LDS rejects with a plain FetchResponse-shaped object, not an Error; reduceErrors reads its body
        // eslint-disable-next-line no-throw-literal
        throw { status: response.status, statusText: response.statusText, ok: false, body: parsed, headers: {} };
    }
    return parsed;
}

/** Pending reads and writes, so that a test (or a person) can tell when the page is settled. */
let pending = 0;
export function track(promise) {
    pending++;
    const done = () => {
        pending--;
    };
    promise.then(done, done);
    return promise;
}
if (typeof window !== 'undefined') {
    window.__channelOpsPending = () => pending;
}
