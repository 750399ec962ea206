import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { updateRecord } from 'lightning/uiRecordApi';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { NavigationMixin } from 'lightning/navigation';
import userId from '@salesforce/user/Id';
import { reduceErrors } from 'c/ldsUtils';
// The same rules of engagement the CLI scan runs (generated from the TypeScript engine).
import { DEFAULT_RULES, describeRule, protectionStatus, today } from 'c/conflictRules';

const DAY_MS = 86400000;

const val = (field) => (field && field.value !== undefined ? field.value : null);

function registrationOf(opp) {
    if (!opp) return null;
    return {
        Registered_Partner__c: val(opp.Registered_Partner__c),
        Registration_Status__c: val(opp.Registration_Status__c),
        Registration_Date__c: val(opp.Registration_Date__c),
        Registration_Expires__c: val(opp.Registration_Expires__c)
    };
}

/**
 * The open channel conflicts of the record (Opportunity or Account page): what kind, with whom,
 * why, since when; the rule of engagement behind each, with the protection window left; a
 * resolve / dismiss with a resolution note for reps who may edit conflicts.
 */
export default class ChannelConflicts extends NavigationMixin(LightningElement) {
    @api recordId;
    @api objectApiName;

    conflicts = [];
    error;
    loaded = false;
    refreshConflicts;
    canEdit = false;
    /** The conflict whose resolution note is being written, and how it is closed. */
    editingId;
    editingStatus;
    note = '';
    saving = false;
    /** Conflicts closed in this session: hidden at once, before the wire refreshes. */
    closedIds = new Set();

    @wire(graphql, {
        query: gql`
            query openConflicts($recordId: ID) {
                uiapi {
                    query {
                        Channel_Conflict__c(
                            where: {
                                and: [
                                    { Status__c: { eq: "Open" } }
                                    {
                                        or: [
                                            { Account__c: { eq: $recordId } }
                                            { Opportunity__c: { eq: $recordId } }
                                            { Conflicting_Opportunity__c: { eq: $recordId } }
                                            { Opportunity__r: { AccountId: { eq: $recordId } } }
                                            { Conflicting_Opportunity__r: { AccountId: { eq: $recordId } } }
                                        ]
                                    }
                                ]
                            }
                            orderBy: { Detected_At__c: { order: ASC } }
                            first: 50
                        ) {
                            edges {
                                node {
                                    Id
                                    Type__c { value }
                                    Severity__c { value }
                                    Reason__c { value }
                                    Score__c { value }
                                    Detected_At__c { value }
                                    Account__c { value }
                                    Account__r { Name { value } }
                                    Opportunity__c { value }
                                    Opportunity__r {
                                        Name { value }
                                        Registered_Partner__c { value }
                                        Registration_Status__c { value }
                                        Registration_Date__c { value }
                                        Registration_Expires__c { value }
                                    }
                                    Conflicting_Opportunity__c { value }
                                    Conflicting_Opportunity__r {
                                        Name { value }
                                        Registered_Partner__c { value }
                                        Registration_Status__c { value }
                                        Registration_Date__c { value }
                                        Registration_Expires__c { value }
                                    }
                                    Partner__c { value }
                                    Partner__r { Name { value } }
                                }
                            }
                        }
                    }
                }
            }
        `,
        variables: '$variables'
    })
    wiredConflicts({ data, errors, refresh }) {
        this.refreshConflicts = refresh;
        if (errors) {
            this.error = errors;
            this.conflicts = [];
            this.loaded = true;
        } else if (data) {
            this.error = undefined;
            this.conflicts = data.uiapi.query.Channel_Conflict__c.edges.map((e) => e.node);
            this.loaded = true;
        }
    }

    @wire(getObjectInfo, { objectApiName: 'Channel_Conflict__c' })
    wiredObjectInfo({ data }) {
        if (data) {
            const status = data.fields && data.fields.Status__c;
            const resolution = data.fields && data.fields.Resolution__c;
            this.canEdit = !!(data.updateable && status && status.updateable && resolution && resolution.updateable);
        }
    }

    get variables() {
        return this.recordId ? { recordId: this.recordId } : undefined;
    }

    get isLoading() {
        return !this.loaded && !this.error;
    }

    get rows() {
        const asOf = today();
        return this.conflicts
            .filter((c) => !this.closedIds.has(c.Id))
            .map((c) => {
                const type = val(c.Type__c);
                const onOpportunity = val(c.Opportunity__c) === this.recordId;
                const onConflicting = val(c.Conflicting_Opportunity__c) === this.recordId;
                // The other party: the other opportunity when we are one of them; else the deal and partner.
                let other;
                if (onOpportunity && val(c.Conflicting_Opportunity__c)) {
                    other = { id: val(c.Conflicting_Opportunity__c), name: val(c.Conflicting_Opportunity__r && c.Conflicting_Opportunity__r.Name) };
                } else if (onConflicting) {
                    other = { id: val(c.Opportunity__c), name: val(c.Opportunity__r && c.Opportunity__r.Name) };
                } else if (onOpportunity) {
                    other = { id: val(c.Account__c), name: val(c.Account__r && c.Account__r.Name) };
                } else {
                    other = { id: val(c.Opportunity__c), name: val(c.Opportunity__r && c.Opportunity__r.Name) };
                }
                const partner = val(c.Partner__c) ? { id: val(c.Partner__c), name: val(c.Partner__r && c.Partner__r.Name) } : null;
                const detected = val(c.Detected_At__c);
                const age = detected ? Math.max(0, Math.floor((Date.parse(asOf) - Date.parse(detected.slice(0, 10))) / DAY_MS)) : null;
                // The registration that protects a deal here: the winner of a duplicate, the holder against a direct deal.
                let protection = null;
                if (type === 'Duplicate Registration' || type === 'Direct vs Partner') {
                    const status = protectionStatus(registrationOf(c.Conflicting_Opportunity__r), asOf, DEFAULT_RULES);
                    if (status.expires) {
                        protection =
                            status.daysLeft >= 0
                                ? `Registration protected until ${status.expires} (${status.daysLeft} ${status.daysLeft === 1 ? 'day' : 'days'} left)`
                                : `Registration protection ended on ${status.expires}`;
                    }
                }
                const severity = val(c.Severity__c) || 'Medium';
                return {
                    id: c.Id,
                    type,
                    severity,
                    severityClass: severity === 'High' ? 'slds-badge slds-theme_error' : severity === 'Low' ? 'slds-badge' : 'slds-badge slds-theme_warning',
                    reason: val(c.Reason__c),
                    rule: describeRule(type, DEFAULT_RULES),
                    protection,
                    other,
                    partner,
                    age: age === null ? '' : age === 0 ? 'today' : `${age} ${age === 1 ? 'day' : 'days'} ago`,
                    editing: this.editingId === c.Id,
                    noteLabel: `Resolution note for this ${type} conflict`
                };
            });
    }

    get hasRows() {
        return this.rows.length > 0;
    }

    get isEmpty() {
        return this.loaded && !this.error && this.rows.length === 0;
    }

    get title() {
        const n = this.loaded && !this.error ? this.rows.length : 0;
        return n > 0 ? `Channel conflicts (${n})` : 'Channel conflicts';
    }

    get showActions() {
        return this.canEdit && !this.editingId;
    }

    get editingLabel() {
        return this.editingStatus === 'Dismissed' ? 'Dismiss' : 'Resolve';
    }

    get saveDisabled() {
        return this.saving || !this.note.trim();
    }

    /** Days a Duplicate Registration protects, for the footer. */
    get rulesNote() {
        return `Rules of engagement: registrations protect a deal for ${DEFAULT_RULES.registrationProtectionDays} days; prices may differ by up to ${DEFAULT_RULES.priceVariancePct}%.`;
    }

    handleResolve(event) {
        this.startEditing(event.target.dataset.id, 'Resolved');
    }

    handleDismiss(event) {
        this.startEditing(event.target.dataset.id, 'Dismissed');
    }

    startEditing(id, status) {
        this.editingId = id;
        this.editingStatus = status;
        this.note = '';
    }

    handleNoteChange(event) {
        this.note = event.detail.value;
    }

    handleCancel() {
        this.editingId = undefined;
        this.note = '';
    }

    async handleSave() {
        const id = this.editingId;
        const status = this.editingStatus;
        this.saving = true;
        try {
            await updateRecord({
                fields: {
                    Id: id,
                    Status__c: status,
                    Resolution__c: this.note.trim(),
                    Resolved_At__c: new Date().toISOString(),
                    Resolved_By__c: userId
                }
            });
            this.closedIds = new Set([...this.closedIds, id]);
            this.editingId = undefined;
            this.note = '';
            this.dispatchEvent(
                new ShowToastEvent({ title: status === 'Dismissed' ? 'Conflict dismissed' : 'Conflict resolved', message: 'The note is saved on the conflict.', variant: 'success' })
            );
            if (this.refreshConflicts) await this.refreshConflicts();
        } catch (error) {
            this.dispatchEvent(new ShowToastEvent({ title: 'Could not update the conflict', message: reduceErrors(error).join(', '), variant: 'error' }));
        } finally {
            this.saving = false;
        }
    }

    handleOpen(event) {
        event.preventDefault();
        this[NavigationMixin.Navigate]({ type: 'standard__recordPage', attributes: { recordId: event.target.dataset.id, actionName: 'view' } });
    }
}

