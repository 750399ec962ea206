/**
 * Pure helpers of the mdfBudget component: the figures of a budget and the rows of its
 * requests, from GraphQL (UI API) nodes. Same definitions as `channel mdf report`:
 * approved = Approved + Closed requests (Approved_Total__c), claimed = Approved + Paid claims,
 * remaining = budget + accrued − approved.
 */

const DAY = 86400000;

const STATUS_BADGE = {
  Approved: 'slds-theme_success',
  Rejected: 'slds-theme_error',
  Expired: 'slds-theme_warning',
  Closed: 'slds-badge_lightest'
};

/** Today's date as YYYY-MM-DD in the user's time zone. */
export function localToday(now = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function daysBetween(from, to) {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
}

const value = (field) => (field && field.value !== undefined && field.value !== null ? field.value : null);
const cents = (n) => Math.round((n || 0) * 100);

/** Figures and bar segments of a budget node with its request edges. */
export function budgetFigures(node) {
  const requests = (node.MDF_Requests__r && node.MDF_Requests__r.edges) || [];
  let claimedCents = 0;
  let paidCents = 0;
  for (const { node: r } of requests) {
    claimedCents += cents(value(r.Claimed_Total__c));
    paidCents += cents(value(r.Paid_Total__c));
  }
  const budget = value(node.Amount__c) || 0;
  const accrued = value(node.Accrued_Amount__c) || 0;
  const approved = value(node.Approved_Total__c) || 0;
  const funds = (cents(budget) + cents(accrued)) / 100;
  const remaining = value(node.Remaining__c) ?? (cents(funds) - cents(approved)) / 100;
  const claimed = claimedCents / 100;
  const paid = paidCents / 100;
  const scale = Math.max(funds, approved);
  const pct = (n) => (scale > 0 ? Math.max(0, (n / scale) * 100) : 0);
  const segments = [
    { key: 'paid', label: 'Paid', amount: paid },
    { key: 'claimed', label: 'Claimed, not paid', amount: Math.max(0, claimed - paid) },
    { key: 'approved', label: 'Approved, not claimed', amount: Math.max(0, approved - claimed) },
    { key: 'remaining', label: 'Remaining', amount: Math.max(0, remaining) }
  ]
    .filter((s) => s.amount > 0)
    .map((s) => ({ ...s, width: pct(s.amount) }));
  return {
    id: node.Id,
    name: value(node.Name),
    periodStart: value(node.Period_Start__c),
    periodEnd: value(node.Period_End__c),
    budget,
    accrued,
    funds,
    approved,
    claimed,
    paid,
    remaining,
    utilizationPct: funds > 0 ? Math.round((claimed / funds) * 1000) / 10 : 0,
    segments
  };
}

/**
 * Rows of the request list. An Approved request with funds left to claim is `expiring` when
 * its claim deadline is within `windowDays` of today, `overdue` when the deadline has passed.
 */
export function requestRows(node, today, windowDays) {
  const requests = (node.MDF_Requests__r && node.MDF_Requests__r.edges) || [];
  return requests.map(({ node: r }) => {
    const status = value(r.Status__c) || 'Draft';
    const deadline = value(r.Claim_Deadline__c);
    const approved = value(r.Amount_Approved__c);
    const claimed = value(r.Claimed_Total__c) || 0;
    const left = approved === null ? 0 : (cents(approved) - cents(claimed)) / 100;
    const daysLeft = deadline ? daysBetween(today, deadline) : null;
    const open = status === 'Approved' && left > 0 && daysLeft !== null;
    const expiring = open && daysLeft >= 0 && daysLeft <= windowDays;
    const overdue = open && daysLeft < 0;
    let deadlineNote = '';
    if (expiring)
      deadlineNote =
        daysLeft === 0 ? 'Claim today' : `${daysLeft} day${daysLeft === 1 ? '' : 's'} left to claim`;
    else if (overdue) deadlineNote = 'Claim deadline passed';
    return {
      id: r.Id,
      name: value(r.Name) || r.Id,
      activity: value(r.Activity_Type__c) || 'Activity',
      status,
      deadline,
      approved,
      requested: value(r.Amount_Requested__c),
      claimed,
      left,
      expiring,
      overdue,
      deadlineNote,
      rowClass: expiring || overdue ? 'request slds-item request_expiring' : 'request slds-item',
      badgeClass: `request-status ${STATUS_BADGE[status] || ''}`.trim()
    };
  });
}
