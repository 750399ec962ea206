import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { budgetFigures, localToday, requestRows } from './mdfBudgetLogic';

const currency = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

/**
 * The partner's current MDF budget on the Account record page: budget, accrued, approved,
 * claimed, paid and remaining as one bar, the fund requests with status and claim deadline
 * (expiring ones highlighted), and "New request" through lightning-record-edit-form.
 */
export default class MdfBudget extends LightningElement {
  @api recordId;
  /** Approved funds whose claim deadline is within this many days are highlighted. */
  @api expiringWithinDays = 30;

  budgetNode;
  error;
  showForm = false;
  saving = false;
  refreshBudget;

  @wire(graphql, {
    query: gql`
      query mdfBudget($partnerId: ID) {
        uiapi {
          query {
            MDF_Budget__c(
              where: {
                and: [
                  { Partner__c: { eq: $partnerId } }
                  { Period_Start__c: { lte: { literal: TODAY } } }
                  { Period_End__c: { gte: { literal: TODAY } } }
                ]
              }
              orderBy: { Period_Start__c: { order: DESC } }
              first: 1
            ) {
              edges {
                node {
                  Id
                  Name {
                    value
                  }
                  Period_Start__c {
                    value
                  }
                  Period_End__c {
                    value
                  }
                  Amount__c {
                    value
                  }
                  Accrued_Amount__c {
                    value
                  }
                  Approved_Total__c {
                    value
                  }
                  Remaining__c {
                    value
                  }
                  MDF_Requests__r(first: 100, orderBy: { Claim_Deadline__c: { order: ASC, nulls: LAST } }) {
                    edges {
                      node {
                        Id
                        Name {
                          value
                        }
                        Status__c {
                          value
                        }
                        Activity_Type__c {
                          value
                        }
                        Amount_Requested__c {
                          value
                        }
                        Amount_Approved__c {
                          value
                        }
                        Claimed_Total__c {
                          value
                        }
                        Paid_Total__c {
                          value
                        }
                        Claim_Deadline__c {
                          value
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    `,
    variables: '$variables'
  })
  wiredBudget({ data, errors, refresh }) {
    this.refreshBudget = refresh;
    if (errors) {
      this.error = errors;
      this.budgetNode = undefined;
    } else if (data) {
      this.budgetNode = data.uiapi.query.MDF_Budget__c.edges[0]?.node ?? null;
      this.error = undefined;
    }
  }

  get variables() {
    return { partnerId: this.recordId };
  }

  get isLoading() {
    return this.budgetNode === undefined && !this.error;
  }

  get hasBudget() {
    return !!this.budgetNode;
  }

  get figures() {
    return this.budgetNode ? budgetFigures(this.budgetNode) : undefined;
  }

  get period() {
    const f = this.figures;
    return f ? `${f.periodStart} to ${f.periodEnd}` : '';
  }

  get segments() {
    return (this.figures?.segments ?? []).map((s) => ({
      ...s,
      className: `segment segment_${s.key}`,
      style: `width:${s.width.toFixed(2)}%`,
      title: `${s.label}: ${currency.format(s.amount)}`
    }));
  }

  get barLabel() {
    const f = this.figures;
    if (!f) return '';
    return `${f.utilizationPct}% of ${currency.format(f.funds)} claimed: paid ${currency.format(f.paid)}, approved ${currency.format(f.approved)}, remaining ${currency.format(f.remaining)}`;
  }

  get utilizationText() {
    return `${this.figures?.utilizationPct ?? 0}% claimed`;
  }

  get figureList() {
    const f = this.figures;
    if (!f) return [];
    return [
      { key: 'budget', label: 'Budget', amount: f.budget },
      { key: 'accrued', label: 'Accrued', amount: f.accrued },
      { key: 'approved', label: 'Approved', amount: f.approved },
      { key: 'claimed', label: 'Claimed', amount: f.claimed },
      { key: 'paid', label: 'Paid', amount: f.paid },
      { key: 'remaining', label: 'Remaining', amount: f.remaining }
    ].map((x) => ({
      ...x,
      text: currency.format(x.amount),
      className: `figure figure_${x.key}${x.key === 'remaining' && x.amount < 0 ? ' slds-text-color_error' : ''}`
    }));
  }

  get requests() {
    if (!this.budgetNode) return [];
    return requestRows(this.budgetNode, localToday(), Number(this.expiringWithinDays) || 30).map((r) => ({
      ...r,
      approvedText:
        r.approved === null
          ? `${currency.format(r.requested ?? 0)} requested`
          : `${currency.format(r.approved)} approved`,
      deadlineText: r.deadline ? `Claim by ${r.deadline}` : 'No claim deadline'
    }));
  }

  get hasRequests() {
    return this.requests.length > 0;
  }

  get expiringCount() {
    return this.requests.filter((r) => r.expiring).length;
  }

  get expiringSummary() {
    const n = this.expiringCount;
    return n
      ? `${n} request${n === 1 ? '' : 's'} with funds to claim within ${this.expiringWithinDays} days`
      : '';
  }

  get newRequestDisabled() {
    return !this.hasBudget || this.showForm;
  }

  handleNewRequest() {
    this.showForm = true;
  }

  handleCancel() {
    this.showForm = false;
  }

  handleSubmit() {
    this.saving = true;
  }

  handleError() {
    // lightning-messages in the form shows the org's message (e.g. a validation rule)
    this.saving = false;
  }

  async handleSuccess(event) {
    this.saving = false;
    this.showForm = false;
    this.dispatchEvent(
      new ShowToastEvent({
        title: 'Fund request created',
        message: `Request ${event.detail?.fields?.Name?.value ?? ''} was saved on this budget.`.replace(
          '  ',
          ' '
        ),
        variant: 'success'
      })
    );
    await this.refreshBudget?.();
  }
}
