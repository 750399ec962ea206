/**
 * The page shell of the preview: creates the components a flexipage places on the record
 * page (names given by the page server) in their regions, and shows platform toasts with
 * the base components' `lightning/toast`.
 */
// Base components need synthetic shadow (lightning-base-components README: Limitations)
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import Toast from 'lightning/toast';
import { COMPONENTS } from 'preview:components';

function kebab(name) {
    return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

// Platform toasts ({ title, message, variant }) become lightning/toast toasts ({ label, ... }).
window.addEventListener(
    'lightning__showtoast',
    (event) => {
        const d = event.detail || {};
        if (d.label !== undefined || d.toast) return; // already a lightning/toast event
        event.stopPropagation();
        Toast.show({ label: d.title || '', message: d.message || '', variant: d.variant || 'info', mode: d.mode || 'dismissible' });
    },
    true
);

const boot = window.__CHANNEL_OPS_PREVIEW__ || {};
for (const instance of boot.components || []) {
    const ctor = COMPONENTS[instance.name];
    // the shell owns the page (it is not a component): it finds the regions the server rendered
    // eslint-disable-next-line @lwc/lwc/no-document-query
    const region = document.querySelector(`[data-region="${instance.region}"]`);
    if (!ctor || !region) continue;
    const element = createElement(`c-${kebab(instance.name)}`, { is: ctor });
    element.recordId = boot.recordId;
    element.objectApiName = boot.objectApiName;
    for (const [k, v] of Object.entries(instance.properties || {})) element[k] = v;
    const item = document.createElement('div');
    item.className = 'preview-region-item slds-m-bottom_medium';
    item.dataset.component = instance.name;
    item.appendChild(element);
    region.appendChild(item);
}
document.documentElement.dataset.previewReady = 'true';
