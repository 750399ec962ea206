/**
 * The MDF rules in TypeScript: the twins of the validation rules deployed on MDF_Budget__c,
 * MDF_Request__c and MDF_Claim__c (the validationRules folders of the MDF objects in force-app), with
 * the same names, fields and messages. The CLI checks a record with these before it writes it,
 * so a run reports every record it would break instead of stopping at the first one the org
 * rejects. Pure functions; a test keeps names and messages equal to the deployed rules.
 *
 * In the org, "approve no more than the budget's remaining amount" (Amount__c +
 * Accrued_Amount__c − approved total of the other requests) is enforced on the budget by
 * Approved_Total_Within_Budget when a request's approval changes the Approved_Total__c
 * roll-up; "claims never total more than the approved amount" likewise by the request's
 * Claims_Within_Approved_Amount over the Claimed_Total__c roll-up. Here both are checked on the
 * request or claim being saved, with the same message.
 */
import {
  type Budget,
  type Claim,
  type FundRequest,
  type IsoDate,
  CLAIMED_CLAIM_STATUSES,
  COMMITTED_REQUEST_STATUSES,
  fromCents,
  toCents
} from './model.js';

export interface RuleViolation {
  sobject: 'MDF_Budget__c' | 'MDF_Request__c' | 'MDF_Claim__c';
  /** The validation rule's API name in force-app. */
  rule: string;
  /** The field the org shows the error on (none: shown at the top of the record). */
  field?: string;
  /** The rule's error message, word for word. */
  message: string;
}

type Rule = Readonly<RuleViolation>;

const budgetRule = (rule: string, message: string, field?: string): Rule => ({
  sobject: 'MDF_Budget__c',
  rule,
  field,
  message
});
const requestRule = (rule: string, message: string, field?: string): Rule => ({
  sobject: 'MDF_Request__c',
  rule,
  field,
  message
});
const claimRule = (rule: string, message: string, field?: string): Rule => ({
  sobject: 'MDF_Claim__c',
  rule,
  field,
  message
});

/** The deployed rules' names, fields and messages. */
export const MDF_RULES = {
  budgetAccrualRate: budgetRule(
    'Accrual_Rate_Between_0_And_100',
    'The accrual rate must be between 0% and 100%.',
    'Accrual_Rate__c'
  ),
  budgetAmountPositive: budgetRule(
    'Amount_Must_Be_Positive',
    'The budget amount must be more than zero.',
    'Amount__c'
  ),
  budgetApprovedWithin: budgetRule(
    'Approved_Total_Within_Budget',
    'This would approve more funds than the budget holds: approved requests may not total more than the budget amount plus accrued funds. Approve a smaller amount or increase the budget.'
  ),
  budgetPeriodOrder: budgetRule(
    'Period_End_Not_Before_Start',
    'The budget period cannot end before it starts. Set Period End on or after Period Start.',
    'Period_End__c'
  ),
  requestApprovedPositive: requestRule(
    'Amount_Approved_Must_Be_Positive',
    'The approved amount must be more than zero. To turn the request down, set its status to Rejected.',
    'Amount_Approved__c'
  ),
  requestRequestedPositive: requestRule(
    'Amount_Requested_Must_Be_Positive',
    'The amount requested must be more than zero.',
    'Amount_Requested__c'
  ),
  requestNotAboveBudget: requestRule(
    'Approved_Not_Above_Budget',
    'The approved amount is more than the whole budget (budget amount plus accrued funds). Approve a smaller amount or increase the budget.',
    'Amount_Approved__c'
  ),
  requestNotAboveRequested: requestRule(
    'Approved_Not_Above_Requested',
    'The approved amount cannot be more than the partner requested.',
    'Amount_Approved__c'
  ),
  requestNeedsAmount: requestRule(
    'Approved_Request_Needs_Amount',
    'Enter the approved amount before approving the request.',
    'Amount_Approved__c'
  ),
  requestClaimsWithin: requestRule(
    'Claims_Within_Approved_Amount',
    'Claims on this request would total more than its approved amount. Claim a smaller amount, or ask the channel manager to approve more funds.'
  ),
  requestDateOrder: requestRule(
    'End_Date_Not_Before_Start',
    'The activity cannot end before it starts. Set End Date on or after Start Date.',
    'End_Date__c'
  ),
  claimAmountPositive: claimRule(
    'Amount_Must_Be_Positive',
    'The claim amount must be more than zero.',
    'Amount__c'
  ),
  claimBeforeDeadline: claimRule(
    'Claim_Within_Deadline',
    "The claim deadline for this MDF request has passed. Claims must be made on or before the request's claim deadline.",
    'Claim_Date__c'
  ),
  claimWithinRemaining: claimRule(
    'Claim_Within_Remaining_Approved',
    'This claim is more than the funds left on the request (approved amount minus claims already approved or paid). Claim a smaller amount.',
    'Amount__c'
  ),
  claimOnApprovedRequest: claimRule(
    'Request_Must_Be_Approved',
    'Claims can only be submitted on an approved MDF request. Ask the channel manager to approve the request first.'
  )
} as const satisfies Record<string, Rule>;

const hit = (r: Rule): RuleViolation => ({ ...r });

/** Approved total of a budget's requests (Approved_Total__c), leaving out one request. */
export function approvedTotal(requests: readonly FundRequest[], exceptRequestId?: string): number {
  let cents = 0;
  for (const r of requests) {
    if (r.id !== exceptRequestId && COMMITTED_REQUEST_STATUSES.includes(r.status))
      cents += toCents(r.amountApproved);
  }
  return fromCents(cents);
}

/** What is left to approve on a budget: Amount__c + Accrued_Amount__c − approved total of the other requests. */
export function remainingFor(
  budget: Budget,
  requests: readonly FundRequest[],
  exceptRequestId?: string
): number {
  return fromCents(
    toCents(budget.amount) + toCents(budget.accruedAmount) - toCents(approvedTotal(requests, exceptRequestId))
  );
}

/** Claimed total of a request's claims (Claimed_Total__c: Approved and Paid), leaving out one claim. */
export function claimedTotal(claims: readonly Claim[], exceptClaimId?: string): number {
  let cents = 0;
  for (const c of claims) {
    if (c.id !== exceptClaimId && CLAIMED_CLAIM_STATUSES.includes(c.status)) cents += toCents(c.amount);
  }
  return fromCents(cents);
}

/**
 * Checks a budget as it is about to be saved. `requests` are its requests (for the approved
 * total); leave them out to skip that rule.
 */
export function checkBudget(budget: Budget, requests?: readonly FundRequest[]): RuleViolation[] {
  const out: RuleViolation[] = [];
  if (budget.accrualRate !== null && (budget.accrualRate < 0 || budget.accrualRate > 100)) {
    out.push(hit(MDF_RULES.budgetAccrualRate));
  }
  if (!(budget.amount > 0)) out.push(hit(MDF_RULES.budgetAmountPositive));
  if (requests && toCents(approvedTotal(requests)) > toCents(budget.amount) + toCents(budget.accruedAmount)) {
    out.push(hit(MDF_RULES.budgetApprovedWithin));
  }
  if (budget.periodEnd < budget.periodStart) out.push(hit(MDF_RULES.budgetPeriodOrder));
  return out;
}

/**
 * Checks a request as it is about to be saved, against its budget and the budget's other
 * requests as stored (the request itself may be among them; it is left out of the approved
 * total) and, optionally, its claims.
 */
export function checkRequest(
  request: FundRequest,
  budget: Budget,
  budgetRequests: readonly FundRequest[],
  claims: readonly Claim[] = []
): RuleViolation[] {
  const out: RuleViolation[] = [];
  const approved = request.amountApproved;
  if (approved !== null && approved <= 0) out.push(hit(MDF_RULES.requestApprovedPositive));
  if (request.amountRequested !== null && request.amountRequested <= 0)
    out.push(hit(MDF_RULES.requestRequestedPositive));
  const funds = toCents(budget.amount) + toCents(budget.accruedAmount);
  if (approved !== null && toCents(approved) > funds) out.push(hit(MDF_RULES.requestNotAboveBudget));
  if (approved !== null && toCents(approved) > toCents(request.amountRequested)) {
    out.push(hit(MDF_RULES.requestNotAboveRequested));
  }
  if (request.status === 'Approved' && approved === null) out.push(hit(MDF_RULES.requestNeedsAmount));
  if (toCents(claimedTotal(claims)) > toCents(approved)) out.push(hit(MDF_RULES.requestClaimsWithin));
  if (request.startDate && request.endDate && request.endDate < request.startDate) {
    out.push(hit(MDF_RULES.requestDateOrder));
  }
  // Approving no more than the budget's remaining amount (the budget's rule, via the roll-up).
  if (
    COMMITTED_REQUEST_STATUSES.includes(request.status) &&
    approved !== null &&
    toCents(approved) <= funds
  ) {
    if (toCents(approved) > toCents(remainingFor(budget, budgetRequests, request.id))) {
      out.push(hit(MDF_RULES.budgetApprovedWithin));
    }
  }
  return out;
}

/**
 * Checks a claim as it is about to be saved, against its request and the request's claims as
 * stored (the claim itself may be among them). A claim without a date is dated `today`, as
 * the org's default does.
 */
export function checkClaim(
  claim: Claim,
  request: FundRequest,
  requestClaims: readonly Claim[],
  today: IsoDate
): RuleViolation[] {
  const out: RuleViolation[] = [];
  if (claim.amount !== null && claim.amount <= 0) out.push(hit(MDF_RULES.claimAmountPositive));
  const claimDate = claim.claimDate ?? today;
  if (request.claimDeadline && claimDate > request.claimDeadline)
    out.push(hit(MDF_RULES.claimBeforeDeadline));
  const others = toCents(claimedTotal(requestClaims, claim.id));
  const approved = toCents(request.amountApproved);
  if (claim.status === 'Submitted') {
    if (toCents(claim.amount) > approved - others) out.push(hit(MDF_RULES.claimWithinRemaining));
    if (request.status !== 'Approved') out.push(hit(MDF_RULES.claimOnApprovedRequest));
  } else if (CLAIMED_CLAIM_STATUSES.includes(claim.status) && others + toCents(claim.amount) > approved) {
    // Approving or paying this claim would push the request's Claimed_Total__c over the approved amount.
    out.push(hit(MDF_RULES.requestClaimsWithin));
  }
  return out;
}
