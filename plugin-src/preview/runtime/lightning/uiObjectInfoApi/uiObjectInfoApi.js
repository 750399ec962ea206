/**
 * `lightning/uiObjectInfoApi` for the preview: object info and picklist values from the
 * org's UI API (`/ui-api/object-info`), emitted as { data, error } like LDS.
 */
import { apiFetch, track } from 'lightning/previewApi';

const objectName = (o) => (o && typeof o === 'object' ? o.objectApiName : o);

class UiApiAdapter {
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
        const path = this.config && this.path(this.config);
        if (!this.connected || !path || path === this.lastPath) return;
        this.lastPath = path;
        track(
            apiFetch(path).then(
                (data) => this.connected && this.dataCallback({ data, error: undefined }),
                (error) => this.connected && this.dataCallback({ data: undefined, error })
            )
        );
    }
}

export class getObjectInfo extends UiApiAdapter {
    path(config) {
        const name = objectName(config.objectApiName);
        return name ? `/ui-api/object-info/${encodeURIComponent(name)}` : undefined;
    }
}

export class getPicklistValuesByRecordType extends UiApiAdapter {
    path(config) {
        const name = objectName(config.objectApiName);
        return name && config.recordTypeId
            ? `/ui-api/object-info/${encodeURIComponent(name)}/picklist-values/${encodeURIComponent(config.recordTypeId)}`
            : undefined;
    }
}

export class getPicklistValues extends UiApiAdapter {
    path(config) {
        const f = config.fieldApiName;
        const [obj, field] = typeof f === 'string' ? f.split('.') : [f && f.objectApiName, f && f.fieldApiName];
        return obj && field && config.recordTypeId
            ? `/ui-api/object-info/${encodeURIComponent(obj)}/picklist-values/${encodeURIComponent(config.recordTypeId)}/${encodeURIComponent(field)}`
            : undefined;
    }
}
