/**
 * `lightning/uiRecordApi` for the preview: record reads and writes through the org's UI API
 * (`/ui-api/records`), with Lightning Data Service's argument and error shapes.
 */
import { apiFetch, track } from 'lightning/previewApi';

function fieldName(f) {
    if (typeof f === 'string') return f;
    if (f && f.fieldApiName) return `${f.objectApiName}.${f.fieldApiName}`;
    return String(f);
}

function plainFields(fields) {
    const out = {};
    for (const [k, v] of Object.entries(fields || {})) out[typeof k === 'string' ? k : fieldName(k)] = v;
    return out;
}

export function updateRecord(recordInput) {
    const fields = plainFields(recordInput && recordInput.fields);
    const id = fields.Id;
    delete fields.Id;
    if (!id) return Promise.reject({ status: 400, ok: false, body: { message: 'updateRecord needs fields.Id' } });
    return track(apiFetch(`/ui-api/records/${encodeURIComponent(id)}`, { method: 'PATCH', body: { fields } }));
}

export function createRecord(recordInput) {
    const body = { apiName: recordInput.apiName, fields: plainFields(recordInput.fields) };
    return track(apiFetch('/ui-api/records', { method: 'POST', body }));
}

export function deleteRecord(recordId) {
    return track(apiFetch(`/ui-api/records/${encodeURIComponent(recordId)}`, { method: 'DELETE' }));
}

export function getFieldValue(record, field) {
    const name = fieldName(field).split('.').slice(1);
    let node = record;
    for (let i = 0; i < name.length; i++) {
        const f = node && node.fields && node.fields[name[i]];
        if (!f) return undefined;
        if (i === name.length - 1) return f.value;
        node = f.value;
    }
    return undefined;
}

export function getFieldDisplayValue(record, field) {
    const name = fieldName(field).split('.').slice(1);
    const f = record && record.fields && record.fields[name[0]];
    return f ? f.displayValue : undefined;
}

export function notifyRecordUpdateAvailable() {
    return Promise.resolve();
}

/** Wire adapter: `@wire(getRecord, { recordId, fields, optionalFields })`. */
export class getRecord {
    constructor(dataCallback) {
        this.dataCallback = dataCallback;
        this.connected = false;
    }
    connect() {
        this.connected = true;
        this.load();
    }
    disconnect() {
        this.connected = false;
    }
    update(config) {
        this.config = config;
        this.load();
    }
    load() {
        const c = this.config;
        if (!this.connected || !c || !c.recordId) return;
        const names = (list) => [].concat(list || []).map(fieldName).join(',');
        const params = new URLSearchParams();
        if (c.fields) params.set('fields', names(c.fields));
        if (c.optionalFields) params.set('optionalFields', names(c.optionalFields));
        track(
            apiFetch(`/ui-api/records/${encodeURIComponent(c.recordId)}?${params}`).then(
                (data) => this.connected && this.dataCallback({ data, error: undefined }),
                (error) => this.connected && this.dataCallback({ data: undefined, error })
            )
        );
    }
}
