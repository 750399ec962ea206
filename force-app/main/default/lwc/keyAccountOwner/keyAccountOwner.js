import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { updateRecord, createRecord } from 'lightning/uiRecordApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { NavigationMixin } from 'lightning/navigation';
import userId from '@salesforce/user/Id';
import canTransferAny from '@salesforce/userPermission/TransferAnyEntity';
import { reduceErrors } from 'c/ldsUtils';
import { eligibleKams, keyAccountWarnings, loadsByOwner, strayRecords } from './keyAccountLogic';

const TEAM_FIELDS = [
    'TeamMemberRole',
    'AccountAccessLevel',
    'OpportunityAccessLevel',
    'CaseAccessLevel',
    'ContactAccessLevel'
];

/**
 * Key-account ownership on the Account record page: the one accountable owner (the key
 * account manager), their load against capacity, the account team, what needs acting on,
 * and a hand-over to another KAM that keeps the account team.
 */
export default class KeyAccountOwner extends NavigationMixin(LightningElement) {
    @api recordId;

    account;
    accountError;
    kamUsers = [];
    loads = new Map();
    kamError;
    selectedKamId;
    handingOver = false;
    refreshAccount;
    refreshKams;

    @wire(graphql, {
        query: gql`
            query keyAccount($recordId: ID) {
                uiapi {
                    query {
                        Account(where: { Id: { eq: $recordId } }) {
                            edges {
                                node {
                                    Id
                                    Name { value }
                                    Key_Account__c { value }
                                    Key_Account_Tier__c { value }
                                    OwnerId { value }
                                    Owner { Name { value } IsActive { value } KAM_Capacity__c { value } }
                                    AccountTeamMembers(first: 100) {
                                        edges {
                                            node {
                                                Id
                                                UserId { value }
                                                User { Name { value } }
                                                TeamMemberRole { value }
                                                AccountAccessLevel { value }
                                                OpportunityAccessLevel { value }
                                                CaseAccessLevel { value }
                                                ContactAccessLevel { value }
                                            }
                                        }
                                    }
                                    Opportunities(where: { IsClosed: { eq: false } }, first: 200) {
                                        edges { node { Id Name { value } OwnerId { value } Owner { Name { value } } } }
                                    }
                                    Cases(where: { IsClosed: { eq: false } }, first: 200) {
                                        edges { node { Id CaseNumber { value } OwnerId { value } Owner { Name { value } } } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        `,
        variables: '$accountVariables'
    })
    wiredAccount({ data, errors, refresh }) {
        this.refreshAccount = refresh;
        if (errors) {
            this.accountError = errors;
            this.account = undefined;
        } else if (data) {
            this.account = data.uiapi.query.Account.edges[0]?.node ?? null;
            this.accountError = undefined;
        }
    }

    @wire(graphql, {
        query: gql`
            query keyAccountManagers {
                uiapi {
                    query {
                        User(
                            where: { and: [{ IsActive: { eq: true } }, { KAM_Capacity__c: { ne: null } }] }
                            orderBy: { Name: { order: ASC } }
                            first: 200
                        ) {
                            edges { node { Id Name { value } IsActive { value } KAM_Capacity__c { value } } }
                        }
                    }
                    aggregate {
                        Account(where: { Key_Account__c: { eq: true } }, groupBy: { OwnerId: { group: true } }, first: 2000) {
                            edges { node { aggregate { OwnerId { value } Id { count { value } } } } }
                        }
                    }
                }
            }
        `
    })
    wiredKams({ data, errors, refresh }) {
        this.refreshKams = refresh;
        if (errors) {
            this.kamError = errors;
        } else if (data) {
            this.kamUsers = data.uiapi.query.User.edges.map(({ node }) => ({
                id: node.Id,
                name: node.Name.value,
                isActive: node.IsActive.value,
                capacity: node.KAM_Capacity__c.value
            }));
            this.loads = loadsByOwner(data.uiapi.aggregate.Account.edges);
            this.kamError = undefined;
        }
    }

    get accountVariables() {
        return { recordId: this.recordId };
    }

    get isLoading() {
        return this.account === undefined && !this.accountError;
    }

    get isKeyAccount() {
        return this.account?.Key_Account__c?.value === true;
    }

    get isNotKeyAccount() {
        return this.account !== undefined && this.account !== null && !this.isKeyAccount;
    }

    get tier() {
        return this.account?.Key_Account_Tier__c?.value ?? 'No tier';
    }

    get owner() {
        const a = this.account;
        if (!a) return undefined;
        return {
            id: a.OwnerId.value,
            name: a.Owner?.Name?.value ?? 'Unknown user',
            isActive: a.Owner?.IsActive?.value,
            capacity: a.Owner?.KAM_Capacity__c?.value ?? null
        };
    }

    get ownerLoad() {
        return this.loads.get(this.owner?.id) ?? 0;
    }

    get ownerCapacityText() {
        const owner = this.owner;
        if (!owner || owner.capacity === null) return 'Not a key account manager';
        return `${this.ownerLoad} of ${owner.capacity} key accounts`;
    }

    get ownerOverCapacity() {
        const owner = this.owner;
        return !!owner && owner.capacity !== null && this.ownerLoad > owner.capacity;
    }

    get loadClass() {
        return this.ownerOverCapacity ? 'slds-text-color_error load' : 'load';
    }

    get team() {
        return (this.account?.AccountTeamMembers?.edges ?? []).map(({ node }) => ({
            id: node.Id,
            userId: node.UserId.value,
            name: node.User?.Name?.value ?? node.UserId.value,
            role: node.TeamMemberRole?.value || 'No role',
            fields: Object.fromEntries(TEAM_FIELDS.map((f) => [f, node[f]?.value ?? null]))
        }));
    }

    get hasTeam() {
        return this.team.length > 0;
    }

    get warnings() {
        const owner = this.owner;
        if (!owner) return [];
        const children = [
            ...(this.account.Opportunities?.edges ?? []).map(({ node }) => ({
                id: node.Id,
                kind: 'Opportunity',
                name: node.Name.value,
                ownerId: node.OwnerId.value,
                ownerName: node.Owner?.Name?.value ?? node.OwnerId.value
            })),
            ...(this.account.Cases?.edges ?? []).map(({ node }) => ({
                id: node.Id,
                kind: 'Case',
                name: node.CaseNumber.value,
                ownerId: node.OwnerId.value,
                ownerName: node.Owner?.Name?.value ?? node.OwnerId.value
            }))
        ];
        const strays = strayRecords(
            owner.id,
            this.team.map((m) => m.userId),
            children
        );
        return keyAccountWarnings({ owner, load: this.ownerLoad, strays });
    }

    get hasWarnings() {
        return this.warnings.length > 0;
    }

    get canHandOver() {
        return this.isKeyAccount && (canTransferAny === true || this.owner?.id === userId);
    }

    get kamOptions() {
        return eligibleKams(this.kamUsers, this.loads, this.owner?.id).map((k) => ({
            label: `${k.name} (${k.load} of ${k.capacity})`,
            value: k.id
        }));
    }

    get noEligibleKams() {
        return this.kamOptions.length === 0;
    }

    get handOverDisabled() {
        return !this.selectedKamId || this.handingOver;
    }

    handleKamChange(event) {
        this.selectedKamId = event.detail.value;
    }

    /**
     * Changing the owner through the API deletes the account team, so the team is captured
     * first and put back after the owner change: the hand-over keeps everyone on the account.
     */
    async handleHandOver() {
        const newOwnerId = this.selectedKamId;
        const newOwnerName = this.kamUsers.find((k) => k.id === newOwnerId)?.name ?? 'the new owner';
        const team = this.team;
        this.handingOver = true;
        try {
            await updateRecord({ fields: { Id: this.recordId, OwnerId: newOwnerId } });
            for (const member of team) {
                // eslint-disable-next-line no-await-in-loop
                await createRecord({
                    apiName: 'AccountTeamMember',
                    fields: { AccountId: this.recordId, UserId: member.userId, ...member.fields }
                });
            }
            this.dispatchEvent(
                new ShowToastEvent({
                    title: 'Key account handed over',
                    message: `${newOwnerName} now owns this key account; ${team.length} team member(s) kept.`,
                    variant: 'success'
                })
            );
            this.selectedKamId = undefined;
            await Promise.all([this.refreshAccount?.(), this.refreshKams?.()]);
        } catch (error) {
            this.dispatchEvent(
                new ShowToastEvent({
                    title: 'Hand-over failed',
                    message: reduceErrors(error).join(' '),
                    variant: 'error'
                })
            );
        } finally {
            this.handingOver = false;
        }
    }

    handleOwnerClick(event) {
        event.preventDefault();
        this[NavigationMixin.Navigate]({
            type: 'standard__recordPage',
            attributes: { recordId: this.owner.id, objectApiName: 'User', actionName: 'view' }
        });
    }
}
