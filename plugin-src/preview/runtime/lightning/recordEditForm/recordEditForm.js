/**
 * PREVIEW STAND-IN for `lightning-record-edit-form` (create mode). The form, like
 * `lightning-input-field` and `lightning-messages`, is not in the lightning-base-components
 * npm package: on the platform it is built into Lightning Data Service. This small version
 * keeps its public contract (object-api-name, record-id, submit/success/error events,
 * lightning-input-field children, lightning-messages) and renders the fields with the real
 * base components (lightning-input, lightning-combobox, lightning-textarea), driven by the
 * org's UI API object info; it saves with createRecord/updateRecord.
 */
import { LightningElement, api, wire } from 'lwc';
import { getObjectInfo, getPicklistValuesByRecordType } from 'lightning/uiObjectInfoApi';
import { createRecord, updateRecord } from 'lightning/uiRecordApi';

export default class RecordEditForm extends LightningElement {
    @api objectApiName;
    @api recordId;
    @api recordTypeId;
    objectInfo;
    picklists;

    @wire(getObjectInfo, { objectApiName: '$objectApiName' })
    wiredInfo({ data, error }) {
        if (data) {
            this.objectInfo = data;
            this.configureFields();
        } else if (error) {
            this.showErrors(error);
        }
    }

    @wire(getPicklistValuesByRecordType, { objectApiName: '$objectApiName', recordTypeId: '$defaultRecordTypeId' })
    wiredPicklists({ data }) {
        if (data) {
            this.picklists = data.picklistFieldValues;
            this.configureFields();
        }
    }

    get defaultRecordTypeId() {
        return this.recordTypeId || (this.objectInfo && this.objectInfo.defaultRecordTypeId);
    }

    get inputFields() {
        return [...this.querySelectorAll('lightning-input-field')];
    }

    renderedCallback() {
        this.configureFields();
    }

    configureFields() {
        if (!this.objectInfo) return;
        for (const input of this.inputFields) {
            const name = input.fieldName;
            const info = this.objectInfo.fields[name];
            const picklist = this.picklists && this.picklists[name];
            input.configure(info, picklist ? picklist.values : undefined);
        }
    }

    showErrors(error) {
        const messages = this.querySelector('lightning-messages');
        if (messages) messages.setError(error);
    }

    @api
    submit(fields) {
        this.save(fields);
    }

    handleSubmit(event) {
        event.preventDefault();
        const inputs = this.inputFields;
        const valid = inputs.map((i) => i.reportValidity()).every(Boolean);
        if (!valid) return;
        const fields = {};
        for (const input of inputs) {
            const value = input.value;
            if (value !== undefined && value !== null && value !== '') fields[input.fieldName] = value;
        }
        const submit = new CustomEvent('submit', { cancelable: true, detail: { fields } });
        this.dispatchEvent(submit);
        if (!submit.defaultPrevented) this.save(fields);
    }

    async save(fields) {
        this.showErrors(undefined);
        try {
            const record = this.recordId
                ? await updateRecord({ fields: { ...fields, Id: this.recordId } })
                : await createRecord({ apiName: this.objectApiName, fields });
            this.dispatchEvent(new CustomEvent('success', { detail: { ...record, id: record.id } }));
        } catch (error) {
            this.showErrors(error);
            const body = error && error.body ? error.body : {};
            this.dispatchEvent(new CustomEvent('error', { detail: { message: body.message, detail: body.message, output: body.output } }));
        }
    }
}
