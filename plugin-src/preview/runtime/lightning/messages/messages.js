/**
 * PREVIEW STAND-IN for `lightning-messages` (see lightning/recordEditForm): the error of the
 * last save, page-level and field-level messages from the UI API error body, in an SLDS alert.
 */
import { LightningElement, api } from 'lwc';

export default class Messages extends LightningElement {
    messages = [];

    @api
    setError(error) {
        const body = (error && error.body) || {};
        const out = [];
        const output = body.output || {};
        for (const e of output.errors || []) out.push(e.message);
        for (const list of Object.values(output.fieldErrors || {})) for (const e of list) out.push(`${e.fieldLabel || e.field}: ${e.message}`);
        if (!out.length && error) out.push(body.message || error.message || 'The record could not be saved.');
        this.messages = out.map((text, i) => ({ key: `m${i}`, text }));
    }

    get hasMessages() {
        return this.messages.length > 0;
    }
}
