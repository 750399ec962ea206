/**
 * PREVIEW STAND-IN for `lightning-input-field` inside the preview's record edit form (see
 * lightning/recordEditForm): the field's label, type, required flag and picklist values come
 * from the org's object info; the input is a real base component.
 */
import { LightningElement, api } from 'lwc';

const NUMBER_TYPES = { Currency: 'currency', Double: 'decimal', Int: 'decimal', Percent: 'percent-fixed' };

export default class InputField extends LightningElement {
    @api fieldName;
    @api required = false;
    @api disabled = false;
    @api variant;
    info;
    options;
    _value;

    @api
    get value() {
        return this._value;
    }
    set value(v) {
        this._value = v;
    }

    connectedCallback() {
        // lets people and tests find a field by its API name, as data-field on the host
        this.template.host.setAttribute('data-field', this.fieldName);
    }

    @api
    configure(info, picklistValues) {
        this.info = info;
        this.options = picklistValues ? picklistValues.map((p) => ({ label: p.label, value: p.value })) : undefined;
    }

    @api
    reportValidity() {
        const input = this.template.querySelector('lightning-input, lightning-combobox, lightning-textarea');
        return input ? input.reportValidity() : true;
    }

    get label() {
        return (this.info && this.info.label) || this.fieldName;
    }

    get isRequired() {
        return this.required === true || this.required === '' || this.required === 'true' || !!(this.info && this.info.required);
    }

    get dataType() {
        return this.info ? this.info.dataType : undefined;
    }

    get isPicklist() {
        return this.dataType === 'Picklist' && !!this.options;
    }

    get isTextArea() {
        return this.dataType === 'TextArea';
    }

    get isInput() {
        return !!this.info && !this.isPicklist && !this.isTextArea;
    }

    get inputType() {
        const t = this.dataType;
        if (NUMBER_TYPES[t]) return 'number';
        if (t === 'Date') return 'date';
        if (t === 'DateTime') return 'datetime';
        if (t === 'Boolean') return 'checkbox';
        if (t === 'Email') return 'email';
        if (t === 'Phone') return 'tel';
        if (t === 'Url') return 'url';
        return 'text';
    }

    get formatter() {
        return NUMBER_TYPES[this.dataType];
    }

    get step() {
        return this.info && this.info.scale ? String(10 ** -this.info.scale) : '1';
    }

    get placeholder() {
        return this.dataType === 'Reference' ? 'Record Id (15 or 18 characters)' : undefined;
    }

    get pattern() {
        return this.dataType === 'Reference' ? '[a-zA-Z0-9]{15}|[a-zA-Z0-9]{18}' : undefined;
    }

    handleChange(event) {
        const d = event.detail || {};
        this._value = this.inputType === 'checkbox' ? d.checked : d.value;
    }
}
