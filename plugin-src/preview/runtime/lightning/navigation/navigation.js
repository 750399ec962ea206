/**
 * `lightning/navigation` for the preview: NavigationMixin (Navigate, GenerateUrl) over the
 * preview's record-page URLs, and CurrentPageReference for the page being shown.
 * (The npm base components' navigation re-exports `force/navigation`, which only the
 * Salesforce app provides.)
 */
import { boot } from 'lightning/previewApi';

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

export function urlOf(pageReference) {
    const { type, attributes = {} } = pageReference || {};
    switch (type) {
        case 'standard__recordPage':
            return `/lightning/r/${attributes.objectApiName || 'sObject'}/${attributes.recordId}/${attributes.actionName || 'view'}`;
        case 'standard__objectPage':
            return `/lightning/o/${attributes.objectApiName}/${attributes.actionName || 'home'}`;
        case 'standard__webPage':
            return attributes.url;
        default:
            return undefined;
    }
}

export function NavigationMixin(Base) {
    return class extends Base {
        [Navigate](pageReference, replace) {
            const url = urlOf(pageReference);
            if (!url) return;
            if (replace) window.location.replace(url);
            else window.location.assign(url);
        }
        [GenerateUrl](pageReference) {
            return Promise.resolve(urlOf(pageReference));
        }
    };
}
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

export class CurrentPageReference {
    constructor(dataCallback) {
        this.dataCallback = dataCallback;
    }
    connect() {
        const b = boot();
        this.dataCallback({
            type: 'standard__recordPage',
            attributes: { recordId: b.recordId, objectApiName: b.objectApiName, actionName: 'view' },
            state: {}
        });
    }
    disconnect() {}
    update() {}
}
