import { createElement } from 'lwc';
import KeyAccountOwner from 'c/keyAccountOwner';
import { graphql } from 'lightning/graphql';
import { updateRecord, createRecord } from 'lightning/uiRecordApi';

const keyAccount = require('./data/keyAccount.json');
const notKeyAccount = require('./data/notKeyAccount.json');
const keyAccountManagers = require('./data/keyAccountManagers.json');

// The user may transfer any record (Transfer Record permission).
jest.mock('@salesforce/userPermission/TransferAnyEntity', () => ({ default: true }), { virtual: true });

const RECORD_ID = '001SED000000001AAA';
const isAccountQuery = (config) => config.variables?.recordId === RECORD_ID;
const isKamQuery = (config) => !config.variables;

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

// Wire configs reach the adapters a tick after the element is connected.
async function render() {
    const element = createElement('c-key-account-owner', { is: KeyAccountOwner });
    element.recordId = RECORD_ID;
    document.body.appendChild(element);
    await flush();
    return element;
}
const texts = (element, selector) =>
    [...element.shadowRoot.querySelectorAll(selector)].map((n) => n.textContent.trim());

describe('c-key-account-owner', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('shows the tier, the accountable owner, load, team and what needs attention', async () => {
        // Given a strategic key account whose owner holds 3 key accounts for a capacity of 2
        const element = await render();
        graphql.emit(keyAccount, isAccountQuery);
        graphql.emit(keyAccountManagers, isKamQuery);
        await flush();

        // Then the owner, tier and load are shown, with over capacity flagged
        expect(element.shadowRoot.querySelector('.tier').textContent).toBe('Strategic');
        expect(element.shadowRoot.querySelector('.owner-name').textContent).toBe('Alice Kam');
        expect(element.shadowRoot.querySelector('.load').textContent).toBe('3 of 2 key accounts');
        expect(element.shadowRoot.querySelector('lightning-badge').label).toBe('Over capacity');
        // And the team with roles
        expect(texts(element, '.team .member-name')).toEqual(['Bob Rep', 'Carol Engineer']);
        // And the warnings: over capacity, and the opportunity owned by an outsider (not Bob's, who is on the team)
        const warnings = texts(element, '.warnings li');
        expect(warnings).toHaveLength(2);
        expect(warnings[0]).toMatch(/owns 3 key accounts, over a capacity of 2/);
        expect(warnings[1]).toMatch(/Opportunity Globex expansion is owned by Dave Outsider/);
    });

    it('offers only active KAMs with free capacity, other than the owner, for a hand-over', async () => {
        const element = await render();
        graphql.emit(keyAccount, isAccountQuery);
        graphql.emit(keyAccountManagers, isKamQuery);
        await flush();

        const combobox = element.shadowRoot.querySelector('lightning-combobox');
        // Alice is the owner and Frank is full: only Erin (1 of 3) is eligible
        expect(combobox.options).toEqual([{ label: 'Erin Kam (1 of 3)', value: '005SED000000005AAA' }]);
        expect(element.shadowRoot.querySelector('.hand-over-button').disabled).toBe(true);
    });

    it('hands the key account over and puts the account team back', async () => {
        // Given a rep choosing Erin as the new key account manager
        const element = await render();
        graphql.emit(keyAccount, isAccountQuery);
        graphql.emit(keyAccountManagers, isKamQuery);
        await flush();
        const toast = jest.fn();
        element.addEventListener('lightning__showtoast', toast);
        const combobox = element.shadowRoot.querySelector('lightning-combobox');
        combobox.dispatchEvent(new CustomEvent('change', { detail: { value: '005SED000000005AAA' } }));
        await flush();

        // When the rep hands over
        element.shadowRoot.querySelector('.hand-over-button').click();
        await flush();

        // Then the owner is changed and both team members are re-created with their access
        expect(updateRecord).toHaveBeenCalledWith({ fields: { Id: RECORD_ID, OwnerId: '005SED000000005AAA' } });
        expect(createRecord).toHaveBeenCalledTimes(2);
        expect(createRecord).toHaveBeenCalledWith({
            apiName: 'AccountTeamMember',
            fields: {
                AccountId: RECORD_ID,
                UserId: '005SED000000002AAA',
                TeamMemberRole: 'Sales Rep',
                AccountAccessLevel: 'Edit',
                OpportunityAccessLevel: 'Edit',
                CaseAccessLevel: 'Read',
                ContactAccessLevel: 'Edit'
            }
        });
        expect(toast).toHaveBeenCalled();
        expect(toast.mock.calls[0][0].detail.variant).toBe('success');
    });

    it('tells the rep when the hand-over fails and re-creates no team member', async () => {
        updateRecord.mockRejectedValueOnce({ body: { message: 'insufficient access rights on object id' } });
        const element = await render();
        graphql.emit(keyAccount, isAccountQuery);
        graphql.emit(keyAccountManagers, isKamQuery);
        await flush();
        const toast = jest.fn();
        element.addEventListener('lightning__showtoast', toast);
        element
            .shadowRoot.querySelector('lightning-combobox')
            .dispatchEvent(new CustomEvent('change', { detail: { value: '005SED000000005AAA' } }));
        await flush();

        element.shadowRoot.querySelector('.hand-over-button').click();
        await flush();

        expect(createRecord).not.toHaveBeenCalled();
        expect(toast.mock.calls[0][0].detail.variant).toBe('error');
        expect(toast.mock.calls[0][0].detail.message).toBe('insufficient access rights on object id');
    });

    it('says so when the account is not a key account', async () => {
        const element = await render();
        graphql.emit(notKeyAccount, isAccountQuery);
        graphql.emit(keyAccountManagers, isKamQuery);
        await flush();

        expect(element.shadowRoot.querySelector('.not-key-account')).not.toBeNull();
        expect(element.shadowRoot.querySelector('.owner-name')).toBeNull();
        expect(element.shadowRoot.querySelector('.hand-over')).toBeNull();
    });

    it('shows an error panel when the account cannot be read', async () => {
        const element = await render();
        graphql.emitErrors([{ message: 'No access to Account' }], isAccountQuery);
        await flush();

        const panel = element.shadowRoot.querySelector('c-error-panel');
        expect(panel).not.toBeNull();
        expect(panel.errors).toEqual([{ message: 'No access to Account' }]);
    });

    it('is accessible with data', async () => {
        const element = await render();
        graphql.emit(keyAccount, isAccountQuery);
        graphql.emit(keyAccountManagers, isKamQuery);
        await flush();
        await expect(element).toBeAccessible();
    });
});
