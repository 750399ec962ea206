// Tests emit wire values through the adapters' test API, which is not a wire usage.
/* eslint-disable @lwc/lwc/no-unexpected-wire-adapter-usages */
import { createElement } from 'lwc';
import ChannelConflicts from 'c/channelConflicts';
import { graphql } from 'lightning/graphql';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import { updateRecord } from 'lightning/uiRecordApi';
import { navigateCalls } from 'lightning/navigation';

const openConflicts = require('./data/openConflicts.json');
const noConflicts = require('./data/noConflicts.json');
const graphqlErrors = require('./data/graphqlErrors.json');
const conflictObjectInfo = require('./data/conflictObjectInfo.json');
const conflictObjectInfoReadOnly = require('./data/conflictObjectInfoReadOnly.json');

// Navigation that records where the component sends the rep.
jest.mock('lightning/navigation', () => {
    const Navigate = Symbol('Navigate');
    const calls = [];
    const NavigationMixin = (Base) =>
        class extends Base {
            [Navigate](pageReference) {
                calls.push(pageReference);
            }
        };
    NavigationMixin.Navigate = Navigate;
    NavigationMixin.GenerateUrl = Symbol('GenerateUrl');
    return { NavigationMixin, navigateCalls: calls };
});
jest.mock('@salesforce/user/Id', () => ({ default: '005SED000000001AAA' }), { virtual: true });

const OPPORTUNITY_ID = '006SED000000001AAA';
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const texts = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)].map((n) => n.textContent.trim());

async function render(recordId = OPPORTUNITY_ID, objectApiName = 'Opportunity') {
    const element = createElement('c-channel-conflicts', { is: ChannelConflicts });
    element.recordId = recordId;
    element.objectApiName = objectApiName;
    document.body.appendChild(element);
    await flush();
    return element;
}

describe('c-channel-conflicts', () => {
    beforeEach(() => {
        // Only the clock is fixed (the fixture was recorded on 2026-06-30); timers stay real.
        jest.useFakeTimers({ now: new Date('2026-06-30T12:00:00Z'), doNotFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'nextTick', 'queueMicrotask', 'setInterval', 'clearInterval'] });
    });
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.useRealTimers();
        jest.clearAllMocks();
    });

    it('lists the open conflicts of the opportunity: type, other party, reason, age, rule and protection left', async () => {
        // Given an opportunity with a Direct vs Partner and a Price conflict
        const element = await render();
        graphql.emit(openConflicts);
        getObjectInfo.emit(conflictObjectInfo);
        await flush();

        // Then both are listed with the other party, why, and since when
        expect(element.shadowRoot.querySelector('lightning-card').title).toBe('Channel conflicts (2)');
        expect(texts(element, '.conflict-type')).toEqual(['Direct vs Partner', 'Price']);
        expect(texts(element, '.severity')).toEqual(['High', 'Medium']);
        expect(texts(element, '.other')).toEqual(['Globex via Northwind', 'Globex analytics via Northwind']);
        expect(texts(element, '.partner')).toEqual(['Northwind Partners', 'Northwind Partners']);
        expect(texts(element, '.age')).toEqual(['3 days ago', 'today']);
        expect(texts(element, '.reason')[1]).toMatch(/22.2% apart/);
        // And the rule comes from the shared rules module, with the holder's protection window left
        expect(texts(element, '.rule')[0]).toBe('A direct opportunity on a customer that a partner holds an approved, unexpired registration for.');
        expect(texts(element, '.rule')[1]).toMatch(/more than 10% apart/);
        expect(texts(element, '.protection')).toEqual(['Registration protected until 2026-07-10 (10 days left)']);
        expect(element.shadowRoot.querySelector('.rules-note').textContent).toMatch(/protect a deal for 90 days/);
    });

    it('asks for the conflicts of this record only, Open ones', async () => {
        await render('001SED000000001AAA', 'Account');
        expect(graphql.getLastConfig().variables).toEqual({ recordId: '001SED000000001AAA' });
    });

    it('says so when there is no open conflict', async () => {
        const element = await render();
        graphql.emit(noConflicts);
        await flush();
        expect(element.shadowRoot.querySelector('.empty').textContent).toBe('No open channel conflicts on this record.');
        expect(element.shadowRoot.querySelector('.conflict')).toBeNull();
    });

    it('shows the error panel when the conflicts cannot be read', async () => {
        const element = await render();
        graphql.emitErrors(graphqlErrors);
        await flush();
        const panel = element.shadowRoot.querySelector('c-error-panel');
        expect(panel).not.toBeNull();
        expect(panel.friendlyMessage).toBe('Could not load the channel conflicts of this record.');
        expect(panel.errors).toEqual(graphqlErrors);
        expect(element.shadowRoot.querySelector('.empty')).toBeNull();
    });

    it('resolves a conflict with a note: updateRecord gets the fields, the conflict leaves the list', async () => {
        // Given a rep who may edit conflicts
        const element = await render();
        graphql.emit(openConflicts);
        getObjectInfo.emit(conflictObjectInfo);
        await flush();
        updateRecord.mockResolvedValue({ id: 'a00SED000000001AAA' });
        const toast = jest.fn();
        element.addEventListener('lightning__showtoast', toast);

        // When they resolve the first conflict with a note
        element.shadowRoot.querySelector('lightning-button.resolve').click();
        await flush();
        const save = element.shadowRoot.querySelector('lightning-button.save');
        expect(save.disabled).toBe(true); // a note is required
        const note = element.shadowRoot.querySelector('lightning-textarea.note');
        note.dispatchEvent(new CustomEvent('change', { detail: { value: '  Northwind keeps the deal; direct team steps back.  ' } }));
        await flush();
        expect(element.shadowRoot.querySelector('lightning-button.save').disabled).toBe(false);
        element.shadowRoot.querySelector('lightning-button.save').click();
        await flush();

        // Then the conflict record is updated with status, note, when and who
        expect(updateRecord).toHaveBeenCalledTimes(1);
        const { fields } = updateRecord.mock.calls[0][0];
        expect(fields).toMatchObject({
            Id: 'a00SED000000001AAA',
            Status__c: 'Resolved',
            Resolution__c: 'Northwind keeps the deal; direct team steps back.',
            Resolved_By__c: '005SED000000001AAA'
        });
        expect(fields.Resolved_At__c).toBe('2026-06-30T12:00:00.000Z');
        // And the list shows only the remaining conflict, with a success toast
        expect(texts(element, '.conflict-type')).toEqual(['Price']);
        expect(toast.mock.calls[0][0].detail.variant).toBe('success');
    });

    it('dismisses a conflict, and keeps it listed with an error toast when the save fails', async () => {
        const element = await render();
        graphql.emit(openConflicts);
        getObjectInfo.emit(conflictObjectInfo);
        await flush();
        updateRecord.mockRejectedValue({ body: { message: 'insufficient access rights on object id' } });
        const toast = jest.fn();
        element.addEventListener('lightning__showtoast', toast);

        element.shadowRoot.querySelectorAll('lightning-button.dismiss')[1].click();
        await flush();
        element.shadowRoot.querySelector('lightning-textarea.note').dispatchEvent(new CustomEvent('change', { detail: { value: 'Same price list, rounding' } }));
        await flush();
        expect(element.shadowRoot.querySelector('lightning-button.save').label).toBe('Dismiss');
        element.shadowRoot.querySelector('lightning-button.save').click();
        await flush();

        expect(updateRecord.mock.calls[0][0].fields).toMatchObject({ Id: 'a00SED000000002AAA', Status__c: 'Dismissed', Resolution__c: 'Same price list, rounding' });
        expect(texts(element, '.conflict-type')).toEqual(['Direct vs Partner', 'Price']);
        expect(toast.mock.calls[0][0].detail).toMatchObject({ variant: 'error', message: 'insufficient access rights on object id' });
    });

    it('offers no resolve or dismiss to a rep who may not edit conflicts', async () => {
        const element = await render();
        graphql.emit(openConflicts);
        getObjectInfo.emit(conflictObjectInfoReadOnly);
        await flush();
        expect(element.shadowRoot.querySelector('lightning-button.resolve')).toBeNull();
        expect(element.shadowRoot.querySelectorAll('.conflict')).toHaveLength(2);
    });

    it('opens the other opportunity', async () => {
        const element = await render();
        graphql.emit(openConflicts);
        await flush();
        element.shadowRoot.querySelector('a.other').click();
        expect(navigateCalls[navigateCalls.length - 1]).toEqual({ type: 'standard__recordPage', attributes: { recordId: '006SED000000002AAA', actionName: 'view' } });
    });

    it('is accessible with conflicts, empty and on error', async () => {
        const element = await render();
        graphql.emit(openConflicts);
        getObjectInfo.emit(conflictObjectInfo);
        await flush();
        await expect(element).toBeAccessible();
        graphql.emit(noConflicts);
        await flush();
        await expect(element).toBeAccessible();
        graphql.emitErrors(graphqlErrors);
        await flush();
        await expect(element).toBeAccessible();
    });
});
