import { createElement } from 'lwc';
import MdfBudget from 'c/mdfBudget';
import { graphql } from 'lightning/graphql';

const budget = require('./data/budget.json');
const noBudget = require('./data/noBudget.json');
const errors = require('./data/errors.json');

const PARTNER_ID = '001SED000000001AAA';
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

async function render(props = {}) {
  const element = createElement('c-mdf-budget', { is: MdfBudget });
  element.recordId = PARTNER_ID;
  Object.assign(element, props);
  document.body.appendChild(element);
  await flush();
  return element;
}
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const texts = (element, selector) =>
  [...element.shadowRoot.querySelectorAll(selector)].map((n) => n.textContent.replace(/\s+/g, ' ').trim());

describe('c-mdf-budget', () => {
  beforeEach(() => {
    // "Today" is 2026-11-25 for the deadline highlighting; timers stay real for the wire ticks
    jest.useFakeTimers({
      now: new Date(2026, 10, 25, 12, 0, 0),
      doNotFake: [
        'setTimeout',
        'clearTimeout',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'nextTick',
        'queueMicrotask'
      ]
    });
  });
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.useRealTimers();
    jest.clearAllMocks();
  });

  it('asks for the budget of this partner', async () => {
    const element = await render();
    graphql.emit(budget, (config) => config.variables?.partnerId === PARTNER_ID);
    await flush();
    expect($(element, '.funds-bar')).not.toBeNull();
  });

  it('shows the current budget as a bar with budget, accrued, approved, claimed, paid and remaining', async () => {
    // Given Northwind's 2026 budget: 50,000 + 1,000 accrued, 23,000 approved, 15,500 claimed, 14,000 paid
    const element = await render();
    graphql.emit(budget);
    await flush();

    // Then the figures read at a glance
    expect($(element, '.period').textContent).toBe('Budget period 2026-01-01 to 2026-12-31');
    const figures = [...element.shadowRoot.querySelectorAll('.figures .figure')].map(
      (f) => `${f.querySelector('dt').textContent.trim()} ${f.querySelector('dd').textContent.trim()}`
    );
    expect(figures).toEqual([
      'Budget 50,000',
      'Accrued 1,000',
      'Approved 23,000',
      'Claimed 15,500',
      'Paid 14,000',
      'Remaining 28,000'
    ]);
    // And the bar has paid, claimed-not-paid, approved-not-claimed and remaining parts of the 51,000
    const segments = [...element.shadowRoot.querySelectorAll('.funds-bar .segment')];
    expect(segments.map((s) => [s.className.replace('segment segment_', ''), s.style.width])).toEqual([
      ['paid', '27.45%'],
      ['claimed', '2.94%'],
      ['approved', '14.71%'],
      ['remaining', '54.90%']
    ]);
    expect($(element, '.funds-bar').getAttribute('aria-label')).toBe(
      '30.4% of 51,000 claimed: paid 14,000, approved 23,000, remaining 28,000'
    );
    expect($(element, '.utilization').textContent).toBe('30.4% claimed');
  });

  it('lists the requests with status and deadline and highlights funds about to expire', async () => {
    const element = await render();
    graphql.emit(budget);
    await flush();

    expect(texts(element, '.request-name')).toEqual([
      'MDF-0001 · Webinar',
      'MDF-0002 · Trade Show',
      'MDF-0003 · Event',
      'MDF-0004 · Training',
      'MDF-0005 · Email Campaign'
    ]);
    expect([...element.shadowRoot.querySelectorAll('.request-status')].map((b) => b.label)).toEqual([
      'Approved',
      'Approved',
      'Closed',
      'Expired',
      'Submitted'
    ]);
    expect(texts(element, '.request-deadline')[0]).toBe('Claim by 2026-12-10');
    expect(texts(element, '.request-deadline')[4]).toBe('No claim deadline');
    // MDF-0001 has 4,500 unclaimed and 15 days left: highlighted; MDF-0002 is fully claimed
    const expiring = [...element.shadowRoot.querySelectorAll('.request_expiring')];
    expect(expiring).toHaveLength(1);
    expect(expiring[0].querySelector('.request-name').textContent).toBe('MDF-0001 · Webinar');
    expect(expiring[0].querySelector('.deadline-note').textContent.trim()).toBe('15 days left to claim');
    expect($(element, '.expiring-summary').textContent).toBe('1 request with funds to claim within 30 days');
  });

  it('uses the configured expiry window', async () => {
    const element = await render({ expiringWithinDays: 10 });
    graphql.emit(budget);
    await flush();
    expect(element.shadowRoot.querySelectorAll('.request_expiring')).toHaveLength(0);
    expect($(element, '.expiring-summary')).toBeNull();
  });

  it('says so when the partner has no budget for today, and offers no request form', async () => {
    const element = await render();
    graphql.emit(noBudget);
    await flush();
    expect($(element, '.empty').textContent).toMatch(/No MDF budget covers today for this account/);
    expect($(element, '.funds-bar')).toBeNull();
    expect($(element, '.new-request-button').disabled).toBe(true);
  });

  it('shows the error panel with the reason when the budget cannot be read', async () => {
    const element = await render();
    graphql.emitErrors(errors);
    await flush();
    const panel = $(element, 'c-error-panel');
    expect(panel).not.toBeNull();
    expect(panel.friendlyMessage).toBe('The MDF budget could not be loaded.');
    expect(panel.errors).toEqual(errors);
    expect($(element, '.funds-bar')).toBeNull();
  });

  it('opens a new request form on the current budget, and after saving closes it, confirms and reloads', async () => {
    // Given the budget is shown
    const refresh = jest.fn(() => Promise.resolve());
    const element = await render();
    graphql.emit(budget, undefined, refresh);
    await flush();
    const toast = jest.fn();
    element.addEventListener('lightning__showtoast', toast);
    expect($(element, 'lightning-record-edit-form')).toBeNull();

    // When the rep clicks "New request"
    $(element, '.new-request-button').click();
    await flush();

    // Then a record form for MDF_Request__c opens, tied to the budget
    const form = $(element, 'lightning-record-edit-form');
    expect(form.objectApiName).toBe('MDF_Request__c');
    expect($(element, '.budget-field').fieldName).toBe('Budget__c');
    expect($(element, '.budget-field').value).toBe('a00SED000000001AAA');
    expect([...element.shadowRoot.querySelectorAll('lightning-input-field')].map((f) => f.fieldName)).toEqual(
      [
        'Budget__c',
        'Activity_Type__c',
        'Amount_Requested__c',
        'Campaign__c',
        'Start_Date__c',
        'End_Date__c',
        'Description__c',
        'Status__c'
      ]
    );
    expect($(element, '.new-request-button').disabled).toBe(true);

    // When the org saved it
    form.dispatchEvent(new CustomEvent('submit'));
    form.dispatchEvent(
      new CustomEvent('success', {
        detail: { id: 'a01SED000000009AAA', fields: { Name: { value: 'MDF-0009' } } }
      })
    );
    await flush();

    // Then the form closes, a toast confirms it and the budget is read again
    expect($(element, 'lightning-record-edit-form')).toBeNull();
    expect(toast).toHaveBeenCalledTimes(1);
    expect(toast.mock.calls[0][0].detail).toMatchObject({
      title: 'Fund request created',
      variant: 'success'
    });
    expect(toast.mock.calls[0][0].detail.message).toBe('Request MDF-0009 was saved on this budget.');
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('keeps the form open when the org refuses the request, and cancels', async () => {
    const element = await render();
    graphql.emit(budget);
    await flush();
    $(element, '.new-request-button').click();
    await flush();
    const form = $(element, 'lightning-record-edit-form');
    form.dispatchEvent(new CustomEvent('submit'));
    await flush();
    expect($(element, '.save-button').disabled).toBe(true);
    form.dispatchEvent(
      new CustomEvent('error', { detail: { message: 'The amount requested must be more than zero.' } })
    );
    await flush();
    expect($(element, 'lightning-record-edit-form')).not.toBeNull();
    expect($(element, 'lightning-messages')).not.toBeNull();
    expect($(element, '.save-button').disabled).toBe(false);

    $(element, '.cancel-button').click();
    await flush();
    expect($(element, 'lightning-record-edit-form')).toBeNull();
  });

  it('is accessible with data', async () => {
    const element = await render();
    graphql.emit(budget);
    await flush();
    $(element, '.new-request-button').click();
    await flush();
    await expect(element).toBeAccessible();
  });

  it('is accessible with no budget and with an error', async () => {
    const element = await render();
    graphql.emit(noBudget);
    await flush();
    await expect(element).toBeAccessible();
    graphql.emitErrors(errors);
    await flush();
    await expect(element).toBeAccessible();
  });
});
