import { reduceErrors } from 'c/ldsUtils';

describe('c-lds-utils reduceErrors', () => {
    it('reads UI API read errors (a list in the body)', () => {
        expect(reduceErrors({ body: [{ message: 'A' }, { message: 'B' }] })).toEqual(['A', 'B']);
    });

    it('reads page and field errors of a failed updateRecord', () => {
        const error = {
            body: {
                output: {
                    errors: [{ message: 'Resolution is required to resolve a conflict.' }],
                    fieldErrors: {}
                }
            }
        };
        expect(reduceErrors(error)).toEqual(['Resolution is required to resolve a conflict.']);
        expect(
            reduceErrors({ body: { fieldErrors: { Status__c: [{ message: 'bad value' }] } } })
        ).toEqual(['bad value']);
    });

    it('reads GraphQL, network and JS errors, dropping blanks', () => {
        expect(reduceErrors([[{ message: 'gql failed' }], null, new Error('boom'), { body: { message: 'net' } }])).toEqual([
            'gql failed',
            'boom',
            'net'
        ]);
        expect(reduceErrors({ statusText: '' })).toEqual([]);
    });
});
